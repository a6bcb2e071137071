//! Host names to ASCII: lower-casing plus RFC 3492 punycode, without Unicode tables.
//!
//! This is the part of UTS 46 that needs no data tables: labels are split on the four dots UTS 46
//! recognises, lower-cased, and every label with a non-ASCII character becomes `xn--…`. Mappings
//! that need tables (full-width letters, NFC) are not applied here; the wasm façade prefers the
//! host's WHATWG `URL`, which has them, and falls back to this.

/// RFC 3492 §5 parameters.
const BASE: u32 = 36;
const TMIN: u32 = 1;
const TMAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// Converts a (possibly Unicode) domain to its ASCII form, or `None` if a label cannot be encoded.
///
/// ```
/// assert_eq!(registry_probe::domain_to_ascii("Bücher.Example").as_deref(), Some("xn--bcher-kva.example"));
/// ```
pub fn domain_to_ascii(domain: &str) -> Option<String> {
    let labels: Vec<String> = domain
        .split(['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'])
        .map(|label| {
            let lower: String = label.chars().flat_map(char::to_lowercase).collect();
            if lower.is_ascii() {
                Some(lower)
            } else {
                encode(&lower).map(|p| format!("xn--{p}"))
            }
        })
        .collect::<Option<_>>()?;
    Some(labels.join("."))
}

fn adapt(mut delta: u32, num_points: u32, first_time: bool) -> u32 {
    delta /= if first_time { DAMP } else { 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - TMIN) * TMAX) / 2 {
        delta /= BASE - TMIN;
        k += BASE;
    }
    k + (BASE - TMIN + 1) * delta / (delta + SKEW)
}

fn digit(d: u32) -> char {
    let byte = if d < 26 {
        b'a' + d as u8
    } else {
        b'0' + (d - 26) as u8
    };
    char::from(byte)
}

/// RFC 3492 §6.3 encoding of one label; `None` on overflow.
fn encode(label: &str) -> Option<String> {
    let input: Vec<u32> = label.chars().map(u32::from).collect();
    let mut output: String = label.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(output.len()).ok()?;
    if basic > 0 {
        output.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (INITIAL_N, 0u32, INITIAL_BIAS, basic);
    let total = u32::try_from(input.len()).ok()?;
    while handled < total {
        let m = input.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &input {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k = BASE;
                loop {
                    let t = if k <= bias {
                        TMIN
                    } else if k >= bias + TMAX {
                        TMAX
                    } else {
                        k - bias
                    };
                    if q < t {
                        break;
                    }
                    output.push(digit(t + (q - t) % (BASE - t)));
                    q = (q - t) / (BASE - t);
                    k += BASE;
                }
                output.push(digit(q));
                bias = adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n = n.checked_add(1)?;
    }
    Some(output)
}

#[cfg(test)]
mod tests {
    use super::domain_to_ascii;

    #[test]
    fn rfc3492_and_common_examples() {
        for (input, ascii) in [
            ("bücher.example", "xn--bcher-kva.example"),
            ("münchen.de", "xn--mnchen-3ya.de"),
            ("例え.jp", "xn--r8jz45g.jp"),
            ("ПРИМЕР.рф", "xn--e1afmkfd.xn--p1ai"),
            ("registry.example.com", "registry.example.com"),
            ("日本語。jp", "xn--wgv71a119e.jp"),
        ] {
            assert_eq!(domain_to_ascii(input).as_deref(), Some(ascii), "{input}");
        }
    }
}
