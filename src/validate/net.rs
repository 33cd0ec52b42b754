//! IP and MAC address checks: confirmed by parsing, with the ranges that are not personal
//! data (private, loopback, link-local, documentation, ...) kept unless asked for.

use std::net::{Ipv4Addr, Ipv6Addr};

/// True for IPv4 addresses that never identify a person's machine on the internet:
/// unspecified, broadcast, loopback, link-local, multicast, the documentation ranges
/// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24), benchmarking (198.18.0.0/15) and
/// reserved space (240.0.0.0/4). Private ranges are separate: see [`is_private_v4`].
pub fn is_reserved_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 198 && (o[1] & 0xfe) == 18)
        || o[0] >= 240
}

/// RFC 1918 private space and the 100.64.0.0/10 shared address space.
pub fn is_private_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_private() || (o[0] == 100 && (o[1] & 0xc0) == 64)
}

/// An IPv4 candidate: four decimal octets without leading zeros that parse, outside the
/// reserved ranges (and outside private ranges unless `private` is set).
pub fn ipv4(text: &[u8], private: bool) -> bool {
    let Ok(s) = std::str::from_utf8(text) else {
        return false;
    };
    // std's parser rejects leading zeros ("01.2.3.4"), which are octal in some parsers and
    // mostly mean a version or a date here.
    let Ok(ip) = s.parse::<Ipv4Addr>() else {
        return false;
    };
    !is_reserved_v4(ip) && (private || !is_private_v4(ip))
}

/// An IPv6 candidate: any textual form std parses (compressed, IPv4-mapped or embedded),
/// outside unspecified, loopback, link-local, multicast, documentation (2001:db8::/32),
/// discard-only and unique-local (private, unless `private` is set). IPv4-mapped addresses
/// are judged by their IPv4 part.
pub fn ipv6(text: &[u8], private: bool) -> bool {
    let Ok(s) = std::str::from_utf8(text) else {
        return false;
    };
    let Ok(ip) = s.parse::<Ipv6Addr>() else {
        return false;
    };
    if let Some(v4) = ip.to_ipv4_mapped() {
        return !is_reserved_v4(v4) && (private || !is_private_v4(v4));
    }
    let seg = ip.segments();
    let reserved = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (seg[0] & 0xffc0) == 0xfe80 // link-local
        || (seg[0] == 0x2001 && seg[1] == 0x0db8) // documentation
        || (seg[0] == 0x0100 && seg[1..4] == [0, 0, 0]) // discard-only
        || seg[0] == 0; // IPv4-compatible and other reserved low space
    let unique_local = (seg[0] & 0xfe00) == 0xfc00;
    // Fewer than three groups written out are usually not addresses but times or ratios
    // ("12:30::"), which the regex keeps out; a real address has a global prefix.
    !reserved && (private || !unique_local)
}

/// A MAC-48 address in colon, dash or Cisco-dot form that is not all zeros, the broadcast
/// address, or a multicast address (first octet odd; those are protocol addresses).
pub fn mac(text: &[u8]) -> bool {
    let hex: Vec<u8> = text
        .iter()
        .copied()
        .filter(u8::is_ascii_hexdigit)
        .map(|b| b.to_ascii_lowercase())
        .collect();
    if hex.len() != 12 {
        return false;
    }
    if hex.iter().all(|&b| b == b'0') || hex.iter().all(|&b| b == b'f') {
        return false;
    }
    let first = u8::from_str_radix(std::str::from_utf8(&hex[..2]).unwrap_or("01"), 16).unwrap_or(1);
    first & 1 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_cases() {
        assert!(ipv4(b"81.2.69.160", false));
        assert!(ipv4(b"8.8.8.8", false));
        for kept in [
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "169.254.1.1",
        ] {
            assert!(!ipv4(kept.as_bytes(), true), "{kept}");
        }
        assert!(!ipv4(b"10.1.2.3", false));
        assert!(ipv4(b"10.1.2.3", true));
        assert!(!ipv4(b"01.2.3.4", true));
        assert!(!ipv4(b"256.1.1.1", true));
    }

    #[test]
    fn ipv6_cases() {
        for ok in [
            "2a00:1450:4001:81b::200e",
            "2606:4700::6810:84e5",
            "::ffff:81.2.69.160",
            "2a02:c7f:8e4c:a500:0:0:0:1",
        ] {
            assert!(ipv6(ok.as_bytes(), false), "{ok}");
        }
        for kept in [
            "::1",
            "::",
            "fe80::1",
            "2001:db8::1",
            "ff02::1",
            "::ffff:192.0.2.1",
            "fd12:3456:789a::1",
        ] {
            assert!(!ipv6(kept.as_bytes(), false), "{kept}");
        }
        assert!(ipv6(b"fd12:3456:789a::1", true));
    }

    #[test]
    fn mac_cases() {
        assert!(mac(b"3c:22:fb:7a:10:4e"));
        assert!(mac(b"3C-22-FB-7A-10-4E"));
        assert!(mac(b"3c22.fb7a.104e"));
        assert!(!mac(b"00:00:00:00:00:00"));
        assert!(!mac(b"ff:ff:ff:ff:ff:ff"));
        assert!(!mac(b"01:00:5e:00:00:fb"));
    }
}
