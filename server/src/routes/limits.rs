//! Rate limits for the costly resident and sign-in endpoints. State lives only in this
//! process's memory, keyed by a salted hash of the client's bucket (its IPv4 address or IPv6
//! /64; behind a trusted proxy, the forwarded client address); the salt is drawn at start-up
//! and never leaves the process, so the keys cannot be turned back into addresses.

use std::sync::Arc;

use actix_governor::governor::NotUntil;
use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::{
    GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use actix_web::{HttpResponse, HttpResponseBuilder};
use rand::RngExt;
use vocabulary::i18n::Lang;

use crate::crypto::mac;
use crate::domain::client_addr::{TrustedProxies, bucket, client_address};
use crate::domain::problem;

/// Keys requests by a salted hash of the client's address bucket.
#[derive(Clone)]
pub struct HashedPeer {
    salt: [u8; 32],
    trusted: Arc<TrustedProxies>,
    /// Answer a refusal with an HTML page (form posts) rather than JSON (API calls).
    html: bool,
}

impl KeyExtractor for HashedPeer {
    type Key = [u8; 16];
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        // The address is hashed at once and never stored or logged.
        let digest = match req.peer_addr() {
            Some(peer) => {
                let headers = req.headers();
                let lines = |name: &str| -> Vec<&str> {
                    headers
                        .get_all(name)
                        .filter_map(|v| v.to_str().ok())
                        .collect()
                };
                let client = client_address(
                    peer.ip(),
                    &self.trusted,
                    &lines("x-forwarded-for"),
                    &lines("forwarded"),
                );
                mac(&self.salt, &bucket(client))
            }
            None => mac(&self.salt, b"no peer"),
        };
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        Ok(key)
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        mut response: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            .max(1);
        response.insert_header(("Retry-After", wait.to_string()));
        let problem = problem::TOO_MANY;
        if self.html {
            let page = crate::routes::errors::message_page(Lang::Zh, &problem);
            return response.content_type("text/html; charset=utf-8").body(page);
        }
        response.json(vocabulary::model::ApiError {
            code: problem.code.to_string(),
            message: problem.message(Lang::Zh).to_string(),
            names: Vec::new(),
        })
    }
}

/// One limiter's configuration.
pub type Limit = GovernorConfig<HashedPeer, NoOpMiddleware<QuantaInstant>>;

/// The limiter configurations, built once per server. Villagers often share one carrier
/// address, so bursts are generous; the Argon2 pool bounds the cost regardless.
#[derive(Clone)]
pub struct Limiters {
    /// Sending opinions through the API: a burst of 20, then one every 3 s.
    pub submit_api: Limit,
    /// Sending opinions by form post.
    pub submit_form: Limit,
    /// Receipt look-ups through the API: a burst of 20, then one every 3 s, so codes cannot be guessed.
    pub receipt_api: Limit,
    /// Receipt look-ups by form post.
    pub receipt_form: Limit,
    /// Appraisal answers: a burst of 60, then one a second, since a whole village hall may
    /// answer through one address at once.
    pub appraisal_form: Limit,
    /// Staff sign-in: a burst of 10, then one every 10 s.
    pub login_api: Limit,
    /// Staff sign-in by form post.
    pub login_form: Limit,
}

impl Limiters {
    /// Fresh limiters with a new per-process salt, believing `trusted` proxies' headers.
    pub fn new(trusted: TrustedProxies) -> Self {
        let salt: [u8; 32] = rand::rng().random();
        let trusted = Arc::new(trusted);
        let build = |ms: u64, burst: u32, html: bool| {
            GovernorConfigBuilder::default()
                .milliseconds_per_request(ms)
                .burst_size(burst)
                .key_extractor(HashedPeer {
                    salt,
                    trusted: trusted.clone(),
                    html,
                })
                .finish()
                .expect("static rate-limit settings are valid")
        };
        Limiters {
            submit_api: build(3_000, 20, false),
            submit_form: build(3_000, 20, true),
            receipt_api: build(3_000, 20, false),
            receipt_form: build(3_000, 20, true),
            appraisal_form: build(1_000, 60, true),
            login_api: build(10_000, 10, false),
            login_form: build(10_000, 10, true),
        }
    }
}
