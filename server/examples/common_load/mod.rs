//! What the load examples (`load_burst`, `bench_load`) share: villagers' addresses behind the
//! trusted proxy, the box page's token and an opinion sent through the JSON API, as the box
//! page's script sends it.

use std::sync::atomic::{AtomicU32, Ordering};

use rand::RngExt;

/// Villagers' addresses for `X-Forwarded-For`, handed out in turn from `count` distinct
/// addresses starting at number `first` (number `n` is `10.a.b.c` with `c` from 1 to 254). The
/// server must list this machine in `MASHANGSHUO_TRUSTED_PROXIES`, as behind the documented
/// proxy, for it to read them.
pub struct Addresses {
    next: AtomicU32,
    first: u32,
    count: u32,
}

impl Addresses {
    /// `count` addresses (at least one) from number `first` on.
    pub fn new(first: u32, count: u32) -> Self {
        Addresses {
            next: AtomicU32::new(0),
            first,
            count: count.max(1),
        }
    }

    /// The next address of the pool, starting again at its first after the last.
    pub fn next(&self) -> String {
        let n = self
            .first
            .wrapping_add(self.next.fetch_add(1, Ordering::Relaxed) % self.count);
        let (hosts, c) = (n / 254, n % 254 + 1);
        format!("10.{}.{}.{c}", (hosts >> 8) & 0xff, hosts & 0xff)
    }
}

/// A new submission key, as a phone draws one per opinion (32 hex digits).
pub fn new_key() -> String {
    let bytes: [u8; 16] = rand::rng().random();
    hex::encode(bytes)
}

/// What one request to the server came to.
pub enum Outcome {
    /// The answer asked for: a receipt, or the box page's token.
    Receipt(String),
    /// Another answer, with its status.
    Refused(u16),
    /// No answer: the connection failed (the server is gone, or the request timed out).
    Lost,
}

/// The box page's `box_token`, loaded as villager `from`.
pub async fn box_token(
    client: &reqwest::Client,
    base: &str,
    code: &str,
    from: String,
) -> Result<String, Outcome> {
    let response = client
        .get(format!("{base}/b/{code}"))
        .header("X-Forwarded-For", from)
        .send()
        .await
        .map_err(|_| Outcome::Lost)?;
    let status = response.status().as_u16();
    let page = response.text().await.map_err(|_| Outcome::Lost)?;
    token_in(&page).ok_or(Outcome::Refused(status))
}

/// The value of the hidden `box_token` field in a box page.
fn token_in(page: &str) -> Option<String> {
    let rest = &page[page.find("name=\"box_token\"")?..];
    let start = rest.find("value=\"")? + "value=\"".len();
    let end = rest[start..].find('"')?;
    Some(rest[start..start + end].to_string())
}

/// Sends an opinion (`suggestion`) to box `code` through the JSON API as villager `from`,
/// with the phone's submission key and the box page's token.
pub async fn submit(
    client: &reqwest::Client,
    base: &str,
    code: &str,
    text: String,
    key: &str,
    token: &str,
    from: String,
) -> Outcome {
    let body = serde_json::json!({
        "category": "suggestion",
        "text": text,
        "submission_key": key,
        "box_token": token,
    });
    let response = match client
        .post(format!("{base}/api/v1/boxes/{code}/opinions"))
        .header("X-Forwarded-For", from)
        .json(&body)
        .send()
        .await
    {
        Ok(r) => r,
        Err(_) => return Outcome::Lost,
    };
    let status = response.status().as_u16();
    let Ok(answer) = response.json::<serde_json::Value>().await else {
        return Outcome::Lost;
    };
    match answer["receipt"].as_str() {
        Some(receipt) if status == 201 => Outcome::Receipt(receipt.to_string()),
        _ => Outcome::Refused(status),
    }
}
