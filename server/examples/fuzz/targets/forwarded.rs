//! `forwarded`: the client address behind reverse proxies (`domain::client_addr`), on any
//! `X-Forwarded-For` and `Forwarded` header lines. The input's lines are header lines; a line
//! starting with `F:` is a `Forwarded` line, any other an `X-Forwarded-For` line.
//!
//! Invariants: no panic; from an untrusted peer the headers are ignored; from a trusted one the
//! answer is the peer or an address written in the headers; adding a trusted hop on the right
//! of `X-Forwarded-For` changes nothing; the answer's bucket is the same for the answer written
//! as IPv4-mapped IPv6.

use std::net::{IpAddr, Ipv4Addr};

use mashangshuo::domain::client_addr::{TrustedProxies, bucket, client_address};
use rand::RngExt;
use rand::rngs::SmallRng;

use super::{pick, random_text};
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "forwarded",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 2048,
        check,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b",",
    b";",
    b"\n",
    b"F:",
    b"for=",
    b"For=",
    b"by=",
    b"proto=https",
    b"\"",
    b"\\",
    b"[",
    b"]",
    b":",
    b"::",
    b"::ffff:",
    b"10.0.0.1",
    b"10.1.2.3",
    b"198.51.100.7",
    b"2001:db8::1",
    b"fd00::5",
    b"unknown",
    b"_hidden",
    b":8080",
    b"/64",
];

fn seeds() -> Vec<Vec<u8>> {
    [
        "",
        "198.51.100.7",
        "203.0.113.9, 198.51.100.7, 10.0.0.2",
        "198.51.100.7:4711\n10.0.0.3",
        "[2001:db8::17]:80, 10.1.1.1",
        "F:for=198.51.100.7;proto=https, for=\"[2001:db8:cafe::17]:4711\";by=10.0.0.1",
        "F:for=unknown, for=10.0.0.9",
        "F:for=\"a,b;c\", For=7.7.7.7",
        "::ffff:198.51.100.1",
        "garbage, 10.0.0.4",
    ]
    .into_iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

fn address(rng: &mut SmallRng) -> String {
    match rng.random_range(0..6) {
        0 => format!(
            "10.{}.{}.{}",
            rng.random::<u8>(),
            rng.random::<u8>(),
            rng.random::<u8>()
        ),
        1 => IpAddr::from(rng.random::<[u8; 4]>()).to_string(),
        2 => IpAddr::from(rng.random::<[u16; 8]>()).to_string(),
        3 => format!("fd00::{:x}", rng.random::<u16>()),
        4 => Ipv4Addr::from(rng.random::<[u8; 4]>())
            .to_ipv6_mapped()
            .to_string(),
        _ => pick(rng, &["unknown", "_hidden", "", "localhost"]).to_string(),
    }
}

fn hop(rng: &mut SmallRng) -> String {
    let a = address(rng);
    let port = rng.random::<u16>();
    match rng.random_range(0..4) {
        0 => a,
        1 if a.contains(':') => format!("[{a}]:{port}"),
        1 => format!("{a}:{port}"),
        2 if a.contains(':') => format!("[{a}]"),
        _ => random_text(rng, 6),
    }
}

/// Header lines of both kinds built from addresses, ports, quoting and noise.
fn generate(rng: &mut SmallRng) -> Vec<u8> {
    let mut lines = Vec::new();
    for _ in 0..rng.random_range(1..4) {
        let hops: Vec<String> = (0..rng.random_range(0..5)).map(|_| hop(rng)).collect();
        if rng.random_bool(0.5) {
            lines.push(hops.join(pick(rng, &[", ", ",", " , "])));
        } else {
            let elements: Vec<String> = hops
                .iter()
                .map(|h| match rng.random_range(0..3) {
                    0 => format!("for=\"{}\"", h.replace('"', "\\\"")),
                    1 => format!("for={h};proto=https"),
                    _ => format!("by=10.0.0.1;For=\"{h}\""),
                })
                .collect();
            lines.push(format!("F:{}", elements.join(", ")));
        }
    }
    lines.join("\n").into_bytes()
}

/// Every address written anywhere in the text, read independently: pieces between separators,
/// with brackets and an IPv4 port taken off, in the text as it is and with quoted-string
/// escapes (`\x`) taken off.
fn written(text: &str) -> Vec<IpAddr> {
    let mut all = pieces(text);
    all.extend(pieces(&text.replace('\\', "")));
    all
}

fn pieces(text: &str) -> Vec<IpAddr> {
    text.split([',', ';', '\n', ' ', '"', '=', '\\', '\t'])
        .filter_map(|piece| {
            let piece = piece.trim();
            let inner = piece
                .strip_prefix('[')
                .and_then(|p| p.split(']').next())
                .unwrap_or(piece);
            inner
                .parse::<IpAddr>()
                .ok()
                .or_else(|| inner.rsplit_once(':').and_then(|(a, _)| a.parse().ok()))
        })
        .map(|ip: IpAddr| ip.to_canonical())
        .collect()
}

fn check(input: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(input);
    let (mut xff, mut fwd) = (Vec::new(), Vec::new());
    for line in text.split('\n') {
        match line.strip_prefix("F:") {
            Some(rest) => fwd.push(rest),
            None => xff.push(line),
        }
    }
    if text.is_empty() {
        xff.clear();
    }
    let trusted = TrustedProxies::parse("10.0.0.0/8, fd00::/8").map_err(|e| e.to_string())?;
    let outsider = IpAddr::from([192, 0, 2, 1]);
    ensure(
        client_address(outsider, &trusted, &xff, &fwd) == outsider,
        || "an untrusted peer's headers were read".to_string(),
    )?;

    let peer = IpAddr::from([10, 0, 0, 1]);
    let got = client_address(peer, &trusted, &xff, &fwd);
    ensure(got == peer || written(&text).contains(&got), || {
        format!("{got} is neither the peer nor written in the headers")
    })?;
    ensure(got == client_address(peer, &trusted, &xff, &fwd), || {
        "not deterministic".to_string()
    })?;

    if !xff.is_empty() {
        let mut longer = xff.clone();
        longer.push("10.200.0.1");
        let again = client_address(peer, &trusted, &longer, &fwd);
        // Only a chain that was trusted all the way through may end differently (its leftmost
        // hop is then the client).
        let all_trusted = got == peer || trusted.contains(got);
        ensure(again == got || all_trusted, || {
            format!("a trusted hop on the right changed {got} into {again}")
        })?;
    }

    if let IpAddr::V4(v4) = got {
        ensure(
            bucket(got) == bucket(IpAddr::V6(v4.to_ipv6_mapped())),
            || format!("{got} and its IPv4-mapped form are in different buckets"),
        )?;
    }
    Ok(signature((
        got.is_ipv4(),
        got == peer,
        trusted.contains(got),
    )))
}
