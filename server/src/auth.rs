//! Staff sessions: signed JWTs (HS256 only; `exp`, `iat`, `aud` checked) backed by a revocable
//! session row, as a bearer header for the API or an HttpOnly SameSite=Strict cookie for pages.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use vocabulary::model::AccountId;

use crate::crypto::{Keys, mac};

/// The audience every staff token is issued for.
pub const AUDIENCE: &str = "mashangshuo-staff";
/// The cookie that carries the token for the staff pages.
pub const COOKIE: &str = "mss_staff";

/// The claims of a staff token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// Staff account id.
    pub sub: String,
    /// Session id; the session row must still exist.
    pub sid: String,
    /// Audience, always [`AUDIENCE`].
    pub aud: String,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expires at (unix seconds).
    pub exp: i64,
}

/// Signs a token for a session.
pub fn issue(
    keys: &Keys,
    staff_id: &AccountId,
    session_id: &str,
    now: i64,
    ttl: i64,
) -> Result<String, jsonwebtoken::errors::Error> {
    let claims = Claims {
        sub: staff_id.to_string(),
        sid: session_id.to_string(),
        aud: AUDIENCE.to_string(),
        iat: now,
        exp: now + ttl,
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&keys.jwt),
    )
}

/// Checks signature, algorithm, audience, expiry and issue time; `None` for any failure.
pub fn verify(keys: &Keys, token: &str, now: i64) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.algorithms = vec![Algorithm::HS256];
    validation.set_audience(&[AUDIENCE]);
    validation.set_required_spec_claims(&["exp", "iat", "aud", "sub"]);
    validation.leeway = 30;
    let claims =
        jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&keys.jwt), &validation)
            .ok()?
            .claims;
    // A token issued in the future was not issued by us.
    (claims.iat <= now + 30).then_some(claims)
}

/// The CSRF token of a session's forms.
pub fn csrf_token(keys: &Keys, session_id: &str) -> String {
    hex::encode(&mac(&keys.csrf, session_id.as_bytes())[..16])
}

/// Compares a submitted CSRF token with the session's in constant time.
pub fn csrf_matches(keys: &Keys, session_id: &str, submitted: &str) -> bool {
    let expected = csrf_token(keys, session_id);
    expected.len() == submitted.len()
        && expected
            .bytes()
            .zip(submitted.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    fn keys() -> Keys {
        Keys::derive(&Secret::new(vec![1; 32]))
    }

    fn now() -> i64 {
        crate::domain::day::unix_now()
    }

    #[test]
    fn a_fresh_token_verifies() {
        let token =
            issue(&keys(), &AccountId::from("staff"), "session", now(), 3600).expect("sign");
        let claims = verify(&keys(), &token, now()).expect("valid");
        assert_eq!(claims.sub, "staff");
        assert_eq!(claims.sid, "session");
    }

    #[test]
    fn expired_foreign_and_unsigned_tokens_fail() {
        let expired = issue(
            &keys(),
            &AccountId::from("staff"),
            "session",
            now() - 7200,
            3600,
        )
        .expect("sign");
        assert!(verify(&keys(), &expired, now()).is_none(), "expired");
        let future = issue(
            &keys(),
            &AccountId::from("staff"),
            "session",
            now() + 600,
            3600,
        )
        .expect("sign");
        assert!(
            verify(&keys(), &future, now()).is_none(),
            "issued in the future"
        );
        let token =
            issue(&keys(), &AccountId::from("staff"), "session", now(), 3600).expect("sign");
        let other = Keys::derive(&Secret::new(vec![2; 32]));
        assert!(verify(&other, &token, now()).is_none(), "other key");
        // alg=none with the same claims.
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";
        assert!(
            verify(&keys(), &format!("{none_header}.{}.", parts[1]), now()).is_none(),
            "alg none"
        );
    }

    #[test]
    fn wrong_audience_fails() {
        let claims = Claims {
            sub: "s".into(),
            sid: "x".into(),
            aud: "other".into(),
            iat: now(),
            exp: now() + 3600,
        };
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&keys().jwt),
        )
        .expect("sign");
        assert!(verify(&keys(), &token, now()).is_none());
    }

    #[test]
    fn csrf_tokens_are_bound_to_the_session() {
        let token = csrf_token(&keys(), "a");
        assert!(csrf_matches(&keys(), "a", &token));
        assert!(!csrf_matches(&keys(), "b", &token));
        assert!(!csrf_matches(&keys(), "a", ""));
    }
}
