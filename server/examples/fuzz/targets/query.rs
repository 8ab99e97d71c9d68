//! `query`: query strings as the server reads them: `routes::lang_of` on a request, the public
//! `web::Query` types (saved/changed/tagged notices, the audit trail's `before`, the queue's
//! filters, the ledger's period), then the domain checks behind them (`validate_queue_query`,
//! `parse_query`, `ledger_period`, `AboutId::parse`, the category and state names).
//!
//! An input is turned into a query string the HTTP parser accepts (bytes outside printable
//! ASCII, and `#`, percent-encoded), as only such a string reaches the server.
//!
//! Invariants: no panic; `lang_of` gives English exactly when one `lang` parameter says `en`
//! in any case, Chinese for anything else (repeated, unknown or undecodable values included);
//! `before` is read exactly when it is one integer; a checked queue filter holds only
//! canonical days, known states and categories, at most five search words of at most 50
//! characters and a cursor id of at most 64 bytes, or the filter is refused with a 4xx; a
//! ledger period is two canonical days at most five years apart, or refused with a 4xx.

use actix_web::http::Uri;
use actix_web::test::TestRequest;
use actix_web::web;
use mashangshuo::domain::day::parse_day;
use mashangshuo::domain::issue::ledger_period;
use mashangshuo::domain::org::AboutId;
use mashangshuo::domain::queue::validate_queue_query;
use mashangshuo::domain::search::{MAX_QUERY_WORDS, MAX_WORD_CHARS, parse_query};
use mashangshuo::routes::{group_pages, lang_of, staff_api, staff_pages, staff_session};
use rand::RngExt;
use rand::rngs::SmallRng;
use serde::de::DeserializeOwned;
use vocabulary::i18n::Lang;
use vocabulary::issues::LedgerQuery;
use vocabulary::model::{Category, Day, OpinionState, QueueQuery};

use super::{pick, random_text};
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "query",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 2048,
        check,
    }
}

const PARAMS: &[&str] = &[
    "lang", "saved", "changed", "tagged", "before", "state", "category", "village", "about",
    "overdue", "from", "to", "q", "after", "year",
];

const DICTIONARY: &[&[u8]] = &[
    b"&",
    b"=",
    b"+",
    b"%",
    b"%00",
    b"%FF",
    b"lang=en",
    b"lang=EN",
    b"lang=zh",
    b"lang=%65n",
    b"lang[]=en",
    b"before=",
    b"state=accepted",
    b"category=conduct",
    b"about=person:",
    b"about=unit:",
    b"from=2026-01-01",
    b"to=2026-12-31",
    b"after=2026-01-01_",
    b"q=",
    b"2026-02-29",
    b"2024-02-29",
    b"9999-12-31",
    b"-0001-01-01",
    "路灯".as_bytes(),
];

fn seeds() -> Vec<Vec<u8>> {
    [
        "",
        "lang=en",
        "lang=en&lang=zh",
        "saved=1",
        "changed=1&lang=En",
        "before=42",
        "before=-9223372036854775808",
        "state=accepted&category=conduct&village=%E5%BC%A0%E5%AE%B6%E6%9D%91&overdue=1",
        "from=2026-01-01&to=2026-12-31&q=%E8%B7%AF%E7%81%AF+wifi",
        "after=2026-11-22_0123&about=person:abc",
        "from=2026-02-30",
        "q=a+b+c+d+e+f+g",
    ]
    .into_iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Known parameters with plausible, edge and random values.
fn generate(rng: &mut SmallRng) -> Vec<u8> {
    let mut pairs = Vec::new();
    for _ in 0..rng.random_range(0..7) {
        let name = pick(rng, PARAMS);
        let value = match rng.random_range(0..4) {
            0 => random_text(rng, 20),
            1 => format!(
                "{:04}-{:02}-{:02}",
                rng.random_range(0..10_000),
                rng.random_range(0..14),
                rng.random_range(0..33)
            ),
            2 => pick(
                rng,
                &[
                    "en",
                    "EN",
                    "eN",
                    "zh",
                    "accepted",
                    "conduct",
                    "person:x",
                    "unit:",
                    "1",
                    "-1",
                    "9223372036854775808",
                ],
            )
            .to_string(),
            _ => String::new(),
        };
        pairs.push((name.to_string(), value));
    }
    serde_urlencoded::to_string(&pairs)
        .unwrap_or_default()
        .into_bytes()
}

/// The input as a query string the HTTP parser lets through.
fn query_string(input: &[u8]) -> String {
    let mut qs = String::new();
    for &b in input {
        if (0x21..=0x7e).contains(&b) && b != b'#' {
            qs.push(char::from(b));
        } else {
            qs.push_str(&format!("%{b:02X}"));
        }
    }
    qs
}

fn check(input: &[u8]) -> Verdict {
    let qs = query_string(input);
    let uri = format!("/?{qs}");
    if Uri::try_from(uri.as_str()).is_err() {
        return Ok(signature("not a URI"));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&qs)
        .map_err(|e| format!("the query's pairs do not parse: {e}"))?;
    let values = |name: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    };

    let req = TestRequest::get().uri(&uri).to_http_request();
    let lang = lang_of(&req);
    let english = matches!(values("lang")[..], [v] if v.eq_ignore_ascii_case("en"));
    ensure(lang == if english { Lang::En } else { Lang::Zh }, || {
        format!("lang_of gave {lang:?} for {qs:?}")
    })?;

    let mut shape = vec![english as u8];
    shape.push(reads::<staff_pages::SavedQuery>(&qs));
    shape.push(reads::<staff_session::ChangedQuery>(&qs));
    shape.push(reads::<staff_pages::TaggedQuery>(&qs));
    let before = values("before");
    let before_ok = match before[..] {
        [] => true,
        [v] => v.parse::<i64>().is_ok(),
        _ => false,
    };
    for read in [
        reads::<group_pages::AuditQuery>(&qs),
        reads::<staff_api::AuditQuery>(&qs),
    ] {
        ensure((read == 1) == before_ok, || {
            format!(
                "the audit query read {before:?} as {}",
                if read == 1 { "valid" } else { "invalid" }
            )
        })?;
    }

    if let Ok(query) = web::Query::<QueueQuery>::from_query(&qs) {
        shape.push(2 + queue(&query)?);
    }
    if let Ok(query) = web::Query::<LedgerQuery>::from_query(&qs) {
        shape.push(4 + ledger(&query)?);
    }
    for q in values("q") {
        search(q)?;
    }
    for about in values("about") {
        if let Some(id) = AboutId::parse(about) {
            let (AboutId::Person(id) | AboutId::Unit(id)) = id;
            ensure(!id.is_empty() && id.len() <= 64, || {
                format!("AboutId::parse took an id of {} bytes", id.len())
            })?;
        }
    }
    Ok(signature(shape))
}

fn reads<T: DeserializeOwned>(qs: &str) -> u8 {
    web::Query::<T>::from_query(qs).is_ok() as u8
}

/// A checked queue filter holds canonical values only; a refusal is a 4xx.
fn queue(query: &QueueQuery) -> Result<u8, String> {
    match validate_queue_query(query) {
        Ok(filter) => {
            for day in [&filter.from, &filter.to].into_iter().flatten() {
                canonical_day(day)?;
            }
            if let Some(state) = filter.state {
                ensure(OpinionState::parse(state.as_str()) == Some(state), || {
                    format!("state {state:?} does not round-trip")
                })?;
            }
            if let Some(category) = filter.category {
                ensure(Category::parse(category.as_str()) == Some(category), || {
                    format!("category {category:?} does not round-trip")
                })?;
            }
            if let Some((day, id)) = &filter.after {
                canonical_day(day)?;
                ensure(!id.is_empty() && id.len() <= 64, || {
                    format!("a cursor id of {} bytes", id.len())
                })?;
            }
            if let Some(text) = &filter.text {
                ensure(text.words.len() <= MAX_QUERY_WORDS, || {
                    format!("{} search words", text.words.len())
                })?;
            }
            Ok(0)
        }
        Err(p) => {
            ensure((400..500).contains(&p.status), || {
                format!("validate_queue_query answered {p:?}")
            })?;
            Ok(1)
        }
    }
}

/// A ledger period is two canonical days in order, at most five years apart; a refusal a 4xx.
fn ledger(query: &LedgerQuery) -> Result<u8, String> {
    let today = Day::parse("2026-12-06").map_err(|e| e.to_string())?;
    match ledger_period(query.from.as_deref(), query.to.as_deref(), &today) {
        Ok((from, to)) => {
            canonical_day(&from)?;
            canonical_day(&to)?;
            ensure(from <= to, || {
                format!("the period {from}..{to} is reversed")
            })?;
            Ok(0)
        }
        Err(p) => {
            ensure((400..500).contains(&p.status), || {
                format!("ledger_period answered {p:?}")
            })?;
            Ok(1)
        }
    }
}

/// A search query keeps at most five words of at most 50 characters, and its terms.
fn search(q: &str) -> Result<(), String> {
    let Some(query) = parse_query(q) else {
        ensure(q.split_whitespace().next().is_none(), || {
            format!("parse_query dropped {q:?}")
        })?;
        return Ok(());
    };
    ensure(query.words.len() <= MAX_QUERY_WORDS, || {
        format!("{} search words", query.words.len())
    })?;
    for w in &query.words {
        ensure(!w.is_empty() && w.chars().count() <= MAX_WORD_CHARS, || {
            format!("a search word of {} chars", w.chars().count())
        })?;
    }
    ensure(query.terms.iter().all(|t| !t.is_empty()), || {
        "an empty search term".into()
    })
}

fn canonical_day(day: &str) -> Result<(), String> {
    ensure(parse_day(day).as_deref() == Some(day), || {
        format!("{day:?} is not a canonical day")
    })
}
