//! IPv6 addresses in text: reading (RFC 4291 section 2.2) and the canonical form (RFC 5952).
//!
//! The same results as `std::net::Ipv6Addr`'s `FromStr` and `Display` (a test compares them),
//! without pulling `core::net`'s generic parser and formatter into the wasm module.
//!
//! ```text
//! address = 8 groups of 1-4 hex digits joined by ":", where one run of groups may be "::",
//!           and the last two groups may be an IPv4 dotted quad
//! ```

/// The eight 16-bit groups of `text`, or `None` when it is not an IPv6 address.
pub(crate) fn parse(text: &str) -> Option<[u16; 8]> {
    let (head, tail) = match text.split_once("::") {
        Some((head, tail)) => (head, Some(tail)),
        None => (text, None),
    };
    let mut front = [0u16; 8];
    let front_len = groups(head, &mut front, tail.is_none())?;
    let mut groups_out = front;
    match tail {
        None => (front_len == 8).then_some(groups_out),
        Some(tail) => {
            let mut back = [0u16; 8];
            let back_len = groups(tail, &mut back, true)?;
            // "::" stands for at least one zero group.
            if front_len + back_len > 7 {
                return None;
            }
            for (i, group) in back.iter().take(back_len).enumerate() {
                *groups_out.get_mut(8 - back_len + i)? = *group;
            }
            Some(groups_out)
        }
    }
}

/// Reads `text` (groups without "::") into `out`; the last part may be IPv4 when `v4_allowed`.
fn groups(text: &str, out: &mut [u16; 8], v4_allowed: bool) -> Option<usize> {
    if text.is_empty() {
        return Some(0);
    }
    let mut count = 0;
    let parts: Vec<&str> = text.split(':').collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if last && v4_allowed && part.contains('.') {
            let [a, b, c, d] = ipv4(part)?;
            *out.get_mut(count)? = u16::from_be_bytes([a, b]);
            *out.get_mut(count + 1)? = u16::from_be_bytes([c, d]);
            count += 2;
        } else {
            if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            *out.get_mut(count)? = u16::from_str_radix(part, 16).ok()?;
            count += 1;
        }
    }
    Some(count)
}

/// A dotted quad as `std` reads it: the host module's reader, without leading zeros or signs.
fn ipv4(text: &str) -> Option<[u8; 4]> {
    let strict = text.split('.').all(|part| {
        part.bytes().all(|b| b.is_ascii_digit()) && (part.len() == 1 || !part.starts_with('0'))
    });
    strict.then(|| crate::host::parse_ipv4(text)).flatten()
}

/// The canonical text: lowercase hex without leading zeros, the longest run of two or more zero
/// groups (the first of equals) as "::", and `::ffff:a.b.c.d` for IPv4-mapped addresses.
pub(crate) fn format(groups: &[u16; 8]) -> String {
    if let [0, 0, 0, 0, 0, 0xffff, high, low] = *groups {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        return format!("::ffff:{a}.{b}.{c}.{d}");
    }
    let mut best = (0, 0); // (start, length)
    let mut at = 0;
    while at < 8 {
        let run = groups.iter().skip(at).take_while(|g| **g == 0).count();
        if run > best.1 {
            best = (at, run);
        }
        at += run.max(1);
    }
    let mut out = String::with_capacity(39);
    let mut i = 0;
    while i < 8 {
        if best.1 >= 2 && i == best.0 {
            out.push_str("::");
            i += best.1;
            continue;
        }
        if !out.is_empty() && !out.ends_with(':') {
            out.push(':');
        }
        out.push_str(&format!("{:x}", groups.get(i).copied().unwrap_or(0)));
        i += 1;
    }
    out
}

/// `::1`.
pub(crate) fn is_loopback(groups: &[u16; 8]) -> bool {
    *groups == [0, 0, 0, 0, 0, 0, 0, 1]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    const CASES: &[&str] = &[
        "::",
        "::1",
        "1::",
        "1:2:3:4:5:6:7:8",
        "1::8",
        "2001:db8::1",
        "2001:DB8:0:0:1:0:0:1",
        "2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0",
        "::ffff:192.0.2.1",
        "::192.0.2.1",
        "1:2:3:4:5:6:1.2.3.4",
        "fe80::1:2",
        "1:0:0:2:0:0:0:3",
        "1:0:0:2:0:0:3:4",
        "a:b:c:d:e:f:0:0",
        "0:0:1:0:0:0:0:1",
        "00000::1",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        ":1::2",
        "1::2::3",
        "1:::2",
        "g::1",
        "::1.2.3",
        "::01.2.3.4",
        "::1.2.3.256",
        "1.2.3.4::",
        "::ffff:1.2.3.4:5",
        "",
        ":",
        "1:",
        ":1",
        "12345::",
        "1::2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::",
        "::2:3:4:5:6:7:8",
        "1::1.2.3.4",
        "ffff::",
        "::ffff:0:0",
        "::ffff:ffff:ffff",
        "0:0:0:0:0:ffff:1:2",
    ];

    #[test]
    fn same_as_std() {
        for text in CASES {
            let ours = parse(text);
            let std = text.parse::<Ipv6Addr>().ok();
            assert_eq!(ours, std.map(|a| a.segments()), "{text}");
            if let (Some(ours), Some(std)) = (ours, std) {
                assert_eq!(format(&ours), std.to_string(), "{text}");
                assert_eq!(is_loopback(&ours), std.is_loopback(), "{text}");
            }
        }
    }

    #[test]
    fn random_addresses_round_trip_as_std() {
        // Zero-heavy groups so that every run length and position of "::" occurs.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let mut groups = [0u16; 8];
            for group in &mut groups {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *group = if seed % 3 == 0 {
                    (seed >> 20) as u16
                } else {
                    0
                };
            }
            let std = Ipv6Addr::from(groups);
            assert_eq!(format(&groups), std.to_string());
            assert_eq!(parse(&format(&groups)), Some(groups));
        }
    }
}
