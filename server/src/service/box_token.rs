//! The box-page token: every opinion submission (form post or API) must carry one, so a script
//! has to load the box page for each opinion it sends. A token is the hour it was handed out,
//! a random nonce and a keyed MAC over both: no identity, no box, nothing finer than the hour.
//! It is spent once per submission key; only keyed hashes of spent tokens are stored, with a
//! coarse last day, and nothing links them to an opinion.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngExt;

use super::db_problem;
use crate::config::Secret;
use crate::crypto::mac;
use crate::db::holding::Schedule;
use crate::db::throttle::{self, Spend};
use crate::domain::day::{day_of_unix, unix_now};
use crate::domain::problem::{self, Problem};
use crate::state::AppState;

/// Hours a token stays good after the hour it was handed out in: a slow villager may take two
/// days to write.
pub const VALID_HOURS: i64 = 48;

const NONCE: usize = 16;
const TAG: usize = 16;
const HOUR: i64 = 3600;

fn key(secret: &Secret) -> [u8; 32] {
    let mut key = [0u8; 32];
    key.copy_from_slice(&mac(secret.expose(), b"mashangshuo box token")[..32]);
    key
}

fn tag(key: &[u8; 32], hour: i64, nonce: &[u8]) -> [u8; TAG] {
    let mut data = Vec::with_capacity(8 + NONCE + 6);
    data.extend_from_slice(b"token ");
    data.extend_from_slice(&hour.to_be_bytes());
    data.extend_from_slice(nonce);
    let mut out = [0u8; TAG];
    out.copy_from_slice(&mac(key, &data)[..TAG]);
    out
}

/// A token handed out in `hour` (unix seconds / 3600), with a fresh nonce.
pub fn issue_at(secret: &Secret, hour: i64) -> String {
    let nonce: [u8; NONCE] = rand::rng().random();
    let mut bytes = Vec::with_capacity(8 + NONCE + TAG);
    bytes.extend_from_slice(&hour.to_be_bytes());
    bytes.extend_from_slice(&nonce);
    bytes.extend_from_slice(&tag(&key(secret), hour, &nonce));
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A token for a box page served now.
pub fn issue(secret: &Secret) -> String {
    issue_at(secret, unix_now().div_euclid(HOUR))
}

/// The hour a genuine token was handed out in, if it is one and is still good at `now`.
pub fn verify(secret: &Secret, token: &str, now: i64) -> Option<i64> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    if bytes.len() != 8 + NONCE + TAG {
        return None;
    }
    let (hour, rest) = bytes.split_at(8);
    let (nonce, given) = rest.split_at(NONCE);
    let hour = i64::from_be_bytes(hour.try_into().ok()?);
    let expected = tag(&key(secret), hour, nonce);
    // Constant time: the tag is compared whole.
    let same = expected
        .iter()
        .zip(given)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
        == 0;
    let current = now.div_euclid(HOUR);
    // One hour of slack for servers whose clocks differ a little.
    (same && hour <= current + 1 && current - hour <= VALID_HOURS).then_some(hour)
}

/// The keyed hash under which a spent token is stored.
pub fn spent_hash(secret: &Secret, token: &str) -> String {
    hex::encode(&mac(&key(secret), format!("used {}", token.trim()).as_bytes())[..32])
}

/// A token spent by a submission, to give back if the submission is then refused.
#[derive(Debug)]
pub struct Spent {
    token_hash: String,
    fresh: bool,
}

/// Checks and spends the token of a submission with `submission_key`. A token already spent
/// with the same key passes again (the same submission sent again gets the same receipt); with
/// another key, or none, it is refused.
pub async fn spend(
    state: &AppState,
    token: Option<&str>,
    submission_key: Option<&str>,
) -> Result<Spent, Problem> {
    let secret = &state.config.secret;
    let token = token.map(str::trim).unwrap_or_default();
    let hour = verify(secret, token, unix_now()).ok_or(problem::BOX_TOKEN_INVALID)?;
    let k = key(secret);
    let token_hash = spent_hash(secret, token);
    let key_text = submission_key.map(str::trim).unwrap_or_default();
    let binding = hex::encode(&mac(&k, format!("bind {token} {key_text}").as_bytes())[..32]);
    let resendable = !key_text.is_empty();
    // Kept a day past the token's last hour, then the maintenance job deletes it.
    let expires_on = day_of_unix((hour + VALID_HOURS + 2) * HOUR + 24 * HOUR);
    let hash = token_hash.clone();
    let schedule = Schedule {
        policy: state.config.release.clone(),
        now: unix_now(),
    };
    let spent = state
        .db(move |conn| {
            throttle::spend_token(conn, &hash, &binding, resendable, &expires_on, &schedule)
        })
        .await
        .map_err(|e| db_problem(e, problem::INTERNAL))?;
    match spent {
        Spend::Fresh => Ok(Spent {
            token_hash,
            fresh: true,
        }),
        Spend::Again => Ok(Spent {
            token_hash,
            fresh: false,
        }),
        Spend::Used => Err(problem::BOX_TOKEN_USED),
    }
}

/// Gives back a token this submission spent, after the submission was refused, so the same
/// page can send the corrected opinion.
pub async fn give_back(state: &AppState, spent: Spent) {
    if !spent.fresh {
        return;
    }
    let hash = spent.token_hash;
    if let Err(e) = state
        .db(move |conn| throttle::unspend_token(conn, &hash))
        .await
    {
        tracing::warn!(error = %e, "cannot give back a box-page token");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(byte: u8) -> Secret {
        Secret::new(vec![byte; 32])
    }

    #[test]
    fn a_token_is_good_for_two_days_and_only_under_its_secret() {
        let s = secret(7);
        let now = 1_800_000_000;
        let hour = now / HOUR;
        let token = issue_at(&s, hour);
        assert_eq!(verify(&s, &token, now), Some(hour));
        assert_eq!(verify(&s, &token, now + VALID_HOURS * HOUR), Some(hour));
        assert_eq!(verify(&s, &token, now + (VALID_HOURS + 1) * HOUR), None);
        assert_eq!(verify(&secret(8), &token, now), None);
        // From the future (beyond the slack): refused.
        assert_eq!(verify(&s, &issue_at(&s, hour + 2), now), None);
    }

    #[test]
    fn a_changed_or_malformed_token_is_refused() {
        let s = secret(7);
        let now = 1_800_000_000;
        let token = issue_at(&s, now / HOUR);
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).expect("base64");
        for i in 0..bytes.len() {
            bytes[i] ^= 1;
            assert_eq!(
                verify(&s, &URL_SAFE_NO_PAD.encode(&bytes), now),
                None,
                "byte {i}"
            );
            bytes[i] ^= 1;
        }
        for bad in [
            "",
            "x",
            "!!!!",
            &token[..token.len() - 1],
            &format!("{token}AA"),
        ] {
            assert_eq!(verify(&s, bad, now), None, "{bad}");
        }
        assert_ne!(
            issue_at(&s, 5),
            issue_at(&s, 5),
            "each token has its own nonce"
        );
    }
}
