//! Which address a request comes from, for rate limiting only: the peer, or, when the peer is a
//! trusted reverse proxy, the rightmost hop of `X-Forwarded-For` (or RFC 7239 `Forwarded`) that
//! is not itself a trusted proxy. The result is turned into a bucket at once (an IPv4 address,
//! or an IPv6 /64) and never stored.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// At most this many hops are read from the right of a header, so a huge header costs little.
const MAX_HOPS: usize = 64;

/// One trusted address or network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    /// Parses `addr` or `addr/prefix` (IPv4 or IPv6).
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr: IpAddr = addr
            .parse()
            .map_err(|_| format!("{text:?} is not an address or CIDR"))?;
        let addr = canonical(addr);
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                Ok(n) if n <= max && !p.starts_with('+') => n,
                _ => return Err(format!("{text:?} has a bad prefix length")),
            },
        };
        Ok(Cidr {
            network: mask(addr, prefix),
            prefix,
        })
    }

    /// Whether `ip` lies in this network.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        ip.is_ipv4() == self.network.is_ipv4() && mask(ip, self.prefix) == self.network
    }
}

/// The reverse proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    /// Parses a comma-separated list of addresses and CIDRs; empty means none.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Cidr::parse)
            .collect::<Result<Vec<_>, _>>()
            .map(TrustedProxies)
    }

    /// Whether `ip` is one of the trusted proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// Whether no proxy is trusted (headers are then always ignored).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The client address: `peer` unless it is a trusted proxy; then the rightmost untrusted hop of
/// `X-Forwarded-For` (all its header lines in order), or of `Forwarded` when there is no
/// `X-Forwarded-For`. A hop that does not parse ends the walk at the last trusted address seen,
/// so a garbled header never lets a client pick its own bucket.
pub fn client_address(
    peer: IpAddr,
    trusted: &TrustedProxies,
    forwarded_for: &[&str],
    forwarded: &[&str],
) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(peer) {
        return peer;
    }
    let hops: Vec<Option<IpAddr>> = if !forwarded_for.is_empty() {
        forwarded_for
            .iter()
            .flat_map(|line| line.split(','))
            .map(parse_hop)
            .collect()
    } else {
        forwarded
            .iter()
            .flat_map(|line| forwarded_for_values(line))
            .map(|v| parse_hop(&v))
            .collect()
    };
    let mut client = peer;
    for hop in hops.into_iter().rev().take(MAX_HOPS) {
        match hop {
            Some(ip) if trusted.contains(ip) => client = ip,
            Some(ip) => return ip,
            None => return client,
        }
    }
    client
}

/// The rate-limit bucket of an address: IPv4 as is (IPv4-mapped IPv6 counts as IPv4), IPv6 by
/// its /64, since one subscriber usually holds a whole /64.
pub fn bucket(ip: IpAddr) -> [u8; 9] {
    let mut key = [0u8; 9];
    match canonical(ip) {
        IpAddr::V4(v4) => {
            key[0] = 4;
            key[1..5].copy_from_slice(&v4.octets());
        }
        IpAddr::V6(v6) => {
            key[0] = 6;
            key[1..9].copy_from_slice(&v6.octets()[..8]);
        }
    }
    key
}

/// IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        },
        v4 => v4,
    }
}

/// `ip` with all but the first `prefix` bits cleared.
fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let m = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V4(Ipv4Addr::from(bits & m))
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let m = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
            IpAddr::V6(Ipv6Addr::from(bits & m))
        }
    }
}

/// One hop as proxies write it: `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:80`. Anything else (`unknown`, obfuscated names) is `None`.
fn parse_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    if let Some(rest) = text.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || is_port(after.strip_prefix(':')?)) {
            return None;
        }
        return inside
            .parse::<Ipv6Addr>()
            .ok()
            .map(|v6| canonical(v6.into()));
    }
    let (addr, port) = text.split_once(':')?;
    if !is_port(port) {
        return None;
    }
    addr.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit())
}

/// The `for=` values of one `Forwarded` header line, in order, unquoted. Commas and semicolons
/// inside quoted strings do not split; an element without `for=` gives an empty value (a hop
/// that does not parse).
fn forwarded_for_values(line: &str) -> Vec<String> {
    let mut elements: Vec<Vec<(String, String)>> = vec![Vec::new()];
    let mut name = String::new();
    let mut value = String::new();
    let mut in_value = false;
    let mut quoted = false;
    let mut escaped = false;
    // A quote anywhere but at the start of a value, or text after its closing quote, makes the
    // value malformed: it then never parses as an address.
    let mut closed = false;
    let finish_pair =
        |elements: &mut Vec<Vec<(String, String)>>, name: &mut String, value: &mut String| {
            if !name.trim().is_empty()
                && let Some(element) = elements.last_mut()
            {
                element.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
            }
            name.clear();
            value.clear();
        };
    for c in line.chars() {
        if quoted {
            if escaped {
                value.push(c);
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quoted = false;
                closed = true;
            } else {
                value.push(c);
            }
            continue;
        }
        match c {
            '"' if in_value && value.is_empty() && !closed => quoted = true,
            '=' if !in_value => in_value = true,
            ';' => {
                finish_pair(&mut elements, &mut name, &mut value);
                in_value = false;
                closed = false;
            }
            ',' => {
                finish_pair(&mut elements, &mut name, &mut value);
                in_value = false;
                closed = false;
                elements.push(Vec::new());
            }
            _ if in_value && (closed || c == '"') => {
                value.push('\u{0}');
                closed = false;
            }
            _ if in_value => value.push(c),
            _ => name.push(c),
        }
    }
    finish_pair(&mut elements, &mut name, &mut value);
    elements
        .into_iter()
        .filter(|e| !e.is_empty())
        .map(|e| {
            e.into_iter()
                .find(|(n, _)| n == "for")
                .map(|(_, v)| v)
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    fn proxies(text: &str) -> TrustedProxies {
        TrustedProxies::parse(text).expect("test proxies")
    }

    #[test]
    fn parses_lists_and_rejects_bad_entries() {
        let list = proxies(" 10.0.0.0/8, 192.168.1.1 ,2001:db8::/32,,::1");
        assert!(list.contains(ip("10.2.3.4")));
        assert!(list.contains(ip("::ffff:10.2.3.4")));
        assert!(list.contains(ip("192.168.1.1")));
        assert!(!list.contains(ip("192.168.1.2")));
        assert!(list.contains(ip("2001:db8:1::5")));
        assert!(list.contains(ip("::1")));
        assert!(!list.contains(ip("2001:db9::1")));
        assert!(proxies("").is_empty());
        for bad in [
            "10.0.0.0/33",
            "nonsense",
            "10.0.0.1/",
            "::1/129",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
        ] {
            assert!(TrustedProxies::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_claims() {
        let list = proxies("10.0.0.1");
        let got = client_address(
            ip("203.0.113.9"),
            &list,
            &["198.51.100.1"],
            &["for=1.1.1.1"],
        );
        assert_eq!(got, ip("203.0.113.9"));
        let got = client_address(
            ip("203.0.113.9"),
            &TrustedProxies::default(),
            &["1.1.1.1"],
            &[],
        );
        assert_eq!(got, ip("203.0.113.9"));
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let list = proxies("10.0.0.0/8");
        let peer = ip("10.0.0.1");
        assert_eq!(
            client_address(peer, &list, &["6.6.6.6, 198.51.100.7", "10.0.0.5"], &[]),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(peer, &list, &["198.51.100.7:4711"], &[]),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(peer, &list, &["[2001:db8::7]:80"], &[]),
            ip("2001:db8::7")
        );
        // Every hop trusted: the leftmost is the client.
        assert_eq!(
            client_address(peer, &list, &["10.9.9.9, 10.0.0.2"], &[]),
            ip("10.9.9.9")
        );
        // No header: the proxy itself.
        assert_eq!(client_address(peer, &list, &[], &[]), peer);
        // A garbled hop right of the client ends the walk at the last trusted address.
        assert_eq!(
            client_address(peer, &list, &["1.2.3.4, unknown, 10.0.0.3"], &[]),
            ip("10.0.0.3")
        );
    }

    #[test]
    fn reads_rfc_7239_forwarded() {
        let list = proxies("10.0.0.0/8");
        let peer = ip("10.0.0.1");
        let line =
            r#"for=6.6.6.6;proto=http, For="[2001:db8:cafe::17]:4711";by=10.0.0.1, for=10.1.1.1"#;
        assert_eq!(
            client_address(peer, &list, &[], &[line]),
            ip("2001:db8:cafe::17")
        );
        assert_eq!(
            client_address(peer, &list, &[], &["for=\"198.51.100.3:80\""]),
            ip("198.51.100.3")
        );
        assert_eq!(
            client_address(peer, &list, &[], &["for=unknown"]),
            peer,
            "an unknown hop stops at the proxy"
        );
        assert_eq!(
            client_address(peer, &list, &[], &[r#"for="a,b;c", for=7.7.7.7"#]),
            ip("7.7.7.7")
        );
        // A quote inside a value, or text after the closing one, is malformed.
        for bad in [r#"for=1".0.0.9""#, r#"for="1.0.0.9"x"#, r#"for="1.0.0."9"#] {
            assert_eq!(client_address(peer, &list, &[], &[bad]), peer, "{bad}");
        }
        // X-Forwarded-For wins when a proxy sets it: a client-written Forwarded is then ignored.
        assert_eq!(
            client_address(peer, &list, &["8.8.8.8"], &["for=7.7.7.7"]),
            ip("8.8.8.8")
        );
    }

    #[test]
    fn ipv6_clients_share_a_bucket_per_64_and_mapped_addresses_are_ipv4() {
        assert_eq!(
            bucket(ip("2001:db8:1:2::1")),
            bucket(ip("2001:db8:1:2:ffff::9"))
        );
        assert_ne!(bucket(ip("2001:db8:1:2::1")), bucket(ip("2001:db8:1:3::1")));
        assert_eq!(bucket(ip("::ffff:192.0.2.1")), bucket(ip("192.0.2.1")));
        assert_ne!(bucket(ip("192.0.2.1")), bucket(ip("192.0.2.2")));
    }

    fn any_ip() -> impl Strategy<Value = IpAddr> {
        prop_oneof![
            any::<[u8; 4]>().prop_map(IpAddr::from),
            any::<[u8; 16]>().prop_map(IpAddr::from),
        ]
    }

    /// How a proxy may write `ip` into X-Forwarded-For.
    fn xff_form(ip: IpAddr, style: u8, port: u16) -> String {
        match (ip, style % 3) {
            (IpAddr::V4(v4), 1) => format!("{v4}:{port}"),
            (IpAddr::V6(v6), 1) => format!("[{v6}]"),
            (IpAddr::V6(v6), 2) => format!("[{v6}]:{port}"),
            (ip, _) => ip.to_string(),
        }
    }

    proptest! {
        #[test]
        fn the_client_is_found_through_any_chain_of_trusted_proxies(
            client in any_ip(),
            left in proptest::collection::vec(any_ip(), 0..4),
            chain in proptest::collection::vec(any::<[u8; 2]>(), 0..5),
            style in any::<u8>(),
            port in any::<u16>(),
            use_forwarded in any::<bool>(),
        ) {
            let list = proxies("10.0.0.0/8, fd00::/8");
            prop_assume!(!list.contains(client));
            let trusted: Vec<IpAddr> =
                chain.iter().map(|b| IpAddr::from([10, b[0], b[1], 1])).collect();
            let peer = IpAddr::from([10, 0, 0, 1]);
            let mut hops: Vec<String> = left.iter().map(|ip| ip.to_string()).collect();
            hops.push(xff_form(client, style, port));
            hops.extend(trusted.iter().map(|ip| ip.to_string()));
            let got = if use_forwarded {
                let line = hops
                    .iter()
                    .map(|h| format!("for=\"{h}\";proto=https"))
                    .collect::<Vec<_>>()
                    .join(", ");
                client_address(peer, &list, &[], &[&line])
            } else {
                client_address(peer, &list, &[&hops.join(", ")], &[])
            };
            prop_assert_eq!(got, canonical(client));
        }

        #[test]
        fn an_untrusted_peer_never_reads_headers(
            peer in any_ip(),
            xff in ".{0,40}",
            fwd in ".{0,40}",
        ) {
            let list = proxies("10.0.0.0/8");
            prop_assume!(!list.contains(peer));
            prop_assert_eq!(client_address(peer, &list, &[&xff], &[&fwd]), canonical(peer));
        }

        #[test]
        fn the_answer_is_the_peer_or_a_written_hop(xff in ".{0,60}", fwd in ".{0,60}") {
            let list = proxies("10.0.0.0/8");
            let peer = IpAddr::from([10, 0, 0, 1]);
            let got = client_address(peer, &list, &[&xff], &[&fwd]);
            let written = xff.split(',').filter_map(parse_hop).any(|ip| ip == got);
            prop_assert!(got == peer || written);
        }
    }
}
