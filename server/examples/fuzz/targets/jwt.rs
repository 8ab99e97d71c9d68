//! `jwt`: the staff session token (`auth::verify`), the CSRF token check (`auth::csrf_matches`)
//! and the sealed receipts (`Keys::open`), on random and mutated tokens and on tokens built
//! from random headers and claims and signed with the test key (HS256, or HS384/HS512 with the
//! same key, another key, `alg: none`, no signature).
//!
//! Invariants: no panic; `verify` accepts a token exactly when an independent reading of the
//! rules says so: three base64url parts, the header's `alg` is `HS256`, the signature is the
//! canonical base64url of HMAC-SHA256 of the first two parts under the key, the claims hold
//! string `sub`, `sid` and `aud` (= the staff audience) and integer `iat` (not in the future)
//! and `exp` (not past, 30 s of leeway). A mutated token never verifies (nor a mutated sealed
//! receipt opens, nor a wrong CSRF token matches) unless it equals the original.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use mashangshuo::auth::{self, AUDIENCE};
use mashangshuo::config::Secret;
use mashangshuo::crypto::Keys;
use mashangshuo::domain::day::unix_now;
use rand::RngExt;
use rand::rngs::SmallRng;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{pick, random_text};
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "jwt",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 4096,
        check,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b".",
    b"..",
    b"=",
    b"==",
    b"+",
    b"/",
    b"-",
    b"_",
    b"eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0", // {"alg":"none","typ":"JWT"}
    b"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", // {"alg":"HS256","typ":"JWT"}
    b"eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9", // {"alg":"HS512","typ":"JWT"}
    b"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", // {"alg":"RS256","typ":"JWT"}
    b"e30",                                 // {}
    b"Bearer ",
    b"A",
    b"AA",
    b"AAA",
];

/// The test key, tokens issued with it, receipts sealed with it, and a session's CSRF token.
struct Fixture {
    keys: Keys,
    tokens: Vec<String>,
    sealed: Vec<String>,
    csrf: String,
}

const SEAL_KEY: &str = "0123456789abcdef0123456789abcdef";

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let keys = Keys::derive(&Secret::new(vec![7; 32]));
        let now = unix_now();
        let tokens = [
            ("staff-1", "session-1", 3600),
            ("s", "x", 60),
            ("管理员", "会话", 86_400),
        ]
        .iter()
        .filter_map(|(sub, sid, ttl)| auth::issue(&keys, &(*sub).into(), sid, now, *ttl).ok())
        .collect();
        let sealed = [b"1234567890123456".as_slice(), b"", b"\xff"]
            .iter()
            .filter_map(|plain| keys.seal(SEAL_KEY, plain))
            .collect();
        let csrf = auth::csrf_token(&keys, "session-1");
        Fixture {
            keys,
            tokens,
            sealed,
            csrf,
        }
    })
}

fn seeds() -> Vec<Vec<u8>> {
    let f = fixture();
    let mut seeds: Vec<Vec<u8>> = f.tokens.iter().map(|t| t.clone().into_bytes()).collect();
    seeds.extend(f.sealed.iter().map(|s| s.clone().into_bytes()));
    seeds.push(f.csrf.clone().into_bytes());
    seeds.push(b"".to_vec());
    seeds.push(b"a.b.c".to_vec());
    seeds
}

// --- building tokens ---------------------------------------------------------------------

/// HMAC of `message` under `key` (at most 64 bytes), with SHA-256.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// A token from a raw header and raw claims, signed in one of several ways.
fn generate(rng: &mut SmallRng) -> Vec<u8> {
    let now = unix_now();
    let alg = pick(
        rng,
        &[
            "HS256", "HS256", "HS256", "HS384", "HS512", "none", "None", "RS256", "hs256", "",
        ],
    );
    let mut header = vec![format!("\"alg\":\"{alg}\"")];
    if rng.random_bool(0.7) {
        header.push("\"typ\":\"JWT\"".into());
    }
    if rng.random_ratio(1, 8) {
        header.push(
            pick(
                rng,
                &[
                    "\"kid\":\"k1\"",
                    "\"alg\":\"none\"",
                    "\"crit\":[\"exp\"]",
                    "\"typ\":1",
                    "\"jku\":\"http://x\"",
                ],
            )
            .to_string(),
        );
    }
    let string = |rng: &mut SmallRng| {
        serde_json::to_string(&random_text(rng, 8)).unwrap_or_else(|_| "\"\"".into())
    };
    let time = |rng: &mut SmallRng, base: i64| -> String {
        match rng.random_range(0..10) {
            0 => format!("{}", base - rng.random_range(0..100_000)),
            1 => format!("{}", base + rng.random_range(0..100_000)),
            2 => format!("{}.5", base),
            3 => "-1".into(),
            4 => "18446744073709551615".into(),
            5 => format!("\"{base}\""),
            6 => "null".into(),
            _ => format!("{base}"),
        }
    };
    let mut claims = Vec::new();
    if rng.random_ratio(9, 10) {
        claims.push(format!("\"sub\":{}", string(rng)));
    }
    if rng.random_ratio(9, 10) {
        claims.push(format!("\"sid\":{}", string(rng)));
    }
    if rng.random_ratio(9, 10) {
        let aud = match rng.random_range(0..6) {
            0 => format!("[\"{AUDIENCE}\"]"),
            1 => "\"other\"".into(),
            2 => format!("\"{}\"", AUDIENCE.to_uppercase()),
            _ => format!("\"{AUDIENCE}\""),
        };
        claims.push(format!("\"aud\":{aud}"));
    }
    if rng.random_ratio(9, 10) {
        claims.push(format!("\"iat\":{}", time(rng, now)));
    }
    if rng.random_ratio(9, 10) {
        claims.push(format!("\"exp\":{}", time(rng, now + 3600)));
    }
    if rng.random_ratio(1, 8) {
        claims.push(
            pick(
                rng,
                &[
                    "\"sub\":\"again\"",
                    "\"nbf\":0",
                    "\"iss\":5",
                    "\"role\":\"admin\"",
                ],
            )
            .to_string(),
        );
    }
    if rng.random_bool(0.3) {
        let (h, c) = (header.len(), claims.len());
        header.swap(0, rng.random_range(0..h));
        if c > 0 {
            claims.swap(0, rng.random_range(0..c));
        }
    }
    let head = URL_SAFE_NO_PAD.encode(format!("{{{}}}", header.join(",")));
    let body = URL_SAFE_NO_PAD.encode(format!("{{{}}}", claims.join(",")));
    let message = format!("{head}.{body}");
    let key = fixture().keys.jwt;
    let signature = match rng.random_range(0..8) {
        0 => String::new(),
        1 => URL_SAFE_NO_PAD.encode(hmac_sha256(&[9; 32], message.as_bytes())),
        2 => URL_SAFE_NO_PAD.encode(Sha256::digest(message.as_bytes())),
        _ => URL_SAFE_NO_PAD.encode(hmac_sha256(&key, message.as_bytes())),
    };
    format!("{message}.{signature}").into_bytes()
}

// --- the rules, stated independently -----------------------------------------------------

/// Keys of a JSON object in order, repeats included (`serde_json::Value` keeps only the last).
struct Keyed(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Keyed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Keyed;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Keyed, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    out.push(entry);
                }
                Ok(Keyed(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A JSON object of a base64url part: `Err(())` when it is not one, `Ok(None)` when a key
/// repeats (the libraries differ on which one counts).
fn object(part: &str) -> Result<Option<serde_json::Map<String, Value>>, ()> {
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|_| ())?;
    let keyed: Keyed = serde_json::from_slice(&bytes).map_err(|_| ())?;
    let mut map = serde_json::Map::new();
    for (k, v) in keyed.0 {
        if map.insert(k, v).is_some() {
            return Ok(None);
        }
    }
    Ok(Some(map))
}

/// Whether `verify` must accept `token` at `now`: `None` when the rules cannot say for sure
/// (a repeated key, an unusual header field, an expiry within a second or two of the limit).
fn should_verify(token: &str, now: i64) -> Option<bool> {
    let parts: Vec<&str> = token.split('.').collect();
    let [head, body, sig] = parts[..] else {
        return Some(false);
    };
    let expected = URL_SAFE_NO_PAD.encode(hmac_sha256(
        &fixture().keys.jwt,
        format!("{head}.{body}").as_bytes(),
    ));
    if sig != expected {
        return Some(false);
    }
    let Ok(header) = object(head) else {
        return Some(false);
    };
    let header = header?;
    if header.get("alg") != Some(&Value::from("HS256")) {
        return Some(false);
    }
    let plain = |(k, v): (&String, &Value)| {
        k == "alg" || (matches!(k.as_str(), "typ" | "kid" | "cty") && v.is_string())
    };
    if !header.iter().all(plain) {
        return None;
    }
    let Ok(claims) = object(body) else {
        return Some(false);
    };
    let claims = claims?;
    let string = |k: &str| claims.get(k).and_then(Value::as_str);
    let integer = |k: &str| {
        claims
            .get(k)
            .filter(|v| v.is_i64() || v.is_u64())
            .and_then(Value::as_i64)
    };
    let (Some(_), Some(_), Some(aud), Some(iat), Some(exp)) = (
        string("sub"),
        string("sid"),
        string("aud"),
        integer("iat"),
        integer("exp"),
    ) else {
        return Some(false);
    };
    if aud != AUDIENCE || exp < 0 || iat > now + 30 {
        return Some(false);
    }
    if (exp - (now - 30)).abs() <= 2 {
        return None;
    }
    Some(exp >= now - 30)
}

// --- the check ---------------------------------------------------------------------------

fn check(input: &[u8]) -> Verdict {
    let f = fixture();
    let token = String::from_utf8_lossy(input);
    let now = unix_now();
    let verified = auth::verify(&f.keys, &token, now);
    if let Some(claims) = &verified {
        ensure(claims.aud == AUDIENCE && claims.iat <= now + 30, || {
            format!("verify accepted claims {claims:?}")
        })?;
    }
    let expected = should_verify(&token, now);
    if let Some(expected) = expected {
        ensure(verified.is_some() == expected, || {
            format!(
                "verify said {} to a token the rules {}: {token:?}",
                verified.is_some(),
                if expected { "accept" } else { "refuse" }
            )
        })?;
    }

    let opened = f.keys.open(SEAL_KEY, &token);
    ensure(
        opened.is_none() || f.sealed.iter().any(|s| *s == token),
        || format!("a sealed receipt that was never sealed opened: {token:?}"),
    )?;
    let matches = auth::csrf_matches(&f.keys, "session-1", &token);
    ensure(matches == (token == f.csrf), || {
        format!("csrf_matches said {matches} for {token:?}")
    })?;
    Ok(signature((
        verified.is_some(),
        expected,
        opened.is_some(),
        token.matches('.').count().min(4),
    )))
}
