//! Where a document comes from: the host and registrable domain of its URL, read as a
//! browser reads it, for domain sizes (`--url-field`) and opt-out entries (`--opt-out`).

use url::{Host, Position, Url};

/// The key under which every document whose URL names an IP address is counted: an
/// address may identify a person's machine, and the report holds no personal data.
pub const IP_HOSTS: &str = "(IP address)";
/// The key for documents without a URL (the field missing, null or not a string).
pub const NO_URL: &str = "(no URL)";
/// The key for documents whose URL is no absolute URL with a host.
pub const BAD_URL: &str = "(unreadable URL)";

/// The key for documents left out by an opt-out list: counted apart from their domain,
/// so that no report shows which domains a list names.
pub const OPTED_OUT: &str = "(opted out)";

/// Whether a domain-size key is a real domain rather than one of the keys above.
pub fn is_domain(key: &str) -> bool {
    !key.starts_with('(')
}

/// The parts of a document URL the statistics and the opt-out lists look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// The host as a browser would connect to it: lower case, Unicode labels as
    /// punycode, no trailing dot; an IP address as the URL standard writes it (IPv6 in
    /// brackets).
    pub host: String,
    /// Whether the host is an IP address rather than a domain name.
    pub is_ip: bool,
    /// Path, query and fragment as the URL standard writes them (percent-encoded), from
    /// the `/` after the host on.
    pub rest: String,
}

impl Site {
    /// Parses a document URL. `None` for text that is no absolute URL with a host
    /// (`mailto:`, a relative path, a bad port, a host that is no valid name).
    ///
    /// Userinfo is not part of the host: `https://example.org@evil.net/` is `evil.net`.
    pub fn parse(url: &str) -> Option<Site> {
        let u = Url::parse(url.trim()).ok()?;
        let (host, is_ip) = match u.host()? {
            // Special schemes (http, https, ftp, ws, wss) have their domain lower-cased
            // and IDNA-mapped by the parser; other schemes keep an opaque host, which
            // is lower-cased here so that `FOO://Example.org` and `foo://example.org`
            // agree.
            Host::Domain(d) => (d.trim_end_matches('.').to_ascii_lowercase(), false),
            ip => (ip.to_string(), true),
        };
        if host.is_empty() {
            return None;
        }
        Some(Site {
            host,
            is_ip,
            rest: u[Position::BeforePath..].to_owned(),
        })
    }

    /// The registrable domain (the public suffix plus one label: `www.example.co.uk` is
    /// `example.co.uk`, `jane.github.io` is itself), from the public suffix list built
    /// into the binary, private suffixes included. A host that is itself a public suffix
    /// or has no dot is its own domain; IP addresses all share [`IP_HOSTS`].
    pub fn domain(&self) -> &str {
        if self.is_ip {
            return IP_HOSTS;
        }
        psl::domain_str(&self.host).unwrap_or(&self.host)
    }

    /// The host's name and every parent name in turn (`a.b.example.org`,
    /// `b.example.org`, `example.org`, `org`); an IP address alone.
    pub fn host_and_parents(&self) -> impl Iterator<Item = &str> {
        let host = self.host.as_str();
        let ip = self.is_ip;
        std::iter::successors(Some(host), move |h| {
            if ip {
                None
            } else {
                h.find('.').map(|i| &h[i + 1..])
            }
        })
    }
}

/// Whether `name` is lower-case-able ASCII labels (letters, digits, `-`) joined by
/// single dots, with a last label that is not all digits or hex (no IPv4 form).
fn is_plain_name(name: &str) -> bool {
    let b = name.as_bytes();
    let mut label_start = 0;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'.' if i == label_start => return false,
            b'.' => label_start = i + 1,
            c if c.is_ascii_alphanumeric() || c == b'-' => {}
            _ => return false,
        }
    }
    let last = &b[label_start..];
    !last.is_empty() && !last.iter().all(u8::is_ascii_digit) && !last.starts_with(b"0x")
}

/// Normalises a host name as [`Site::parse`] does (lower case, punycode, no trailing
/// dot; an IP address as the URL standard writes it). `None` when it is no valid host.
pub fn normalise_host(name: &str) -> Option<String> {
    let mut out = Vec::new();
    normalise_host_into(name, &mut out).then(|| String::from_utf8(out).expect("ASCII"))
}

/// [`normalise_host`], appended to `out`; false (and `out` as it was) when `name` is no
/// valid host.
pub fn normalise_host_into(name: &str, out: &mut Vec<u8>) -> bool {
    let name = name.trim().trim_end_matches('.');
    if name.is_empty() {
        return false;
    }
    // Most entries are plain ASCII names, which the URL parser would only lower-case:
    // take them as they are, without the parser's per-name allocations. Anything else,
    // and a last label of digits (an IPv4 address in one of its forms), goes through it.
    if is_plain_name(name) {
        out.extend(name.bytes().map(|b| b.to_ascii_lowercase()));
        return true;
    }
    match Host::parse(name) {
        Ok(Host::Domain(d)) => out.extend(d.bytes().map(|b| b.to_ascii_lowercase())),
        Ok(ip) => out.extend_from_slice(ip.to_string().as_bytes()),
        Err(_) => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(url: &str) -> Option<String> {
        Site::parse(url).map(|s| s.host)
    }

    #[test]
    fn hosts_are_read_as_a_browser_reads_them() {
        assert_eq!(
            host("https://WWW.Example.ORG/a").as_deref(),
            Some("www.example.org")
        );
        // Userinfo is no part of the host.
        assert_eq!(
            host("https://example.org@evil.net/").as_deref(),
            Some("evil.net")
        );
        assert_eq!(
            host("https://example.org:pw@evil.net:8080/x").as_deref(),
            Some("evil.net")
        );
        // Ports are no part of it either; a trailing dot is the same host.
        assert_eq!(
            host("http://example.org:8080/").as_deref(),
            Some("example.org")
        );
        assert_eq!(host("http://example.org./").as_deref(), Some("example.org"));
        // Unicode and punycode forms are one host.
        assert_eq!(
            host("https://bücher.example/").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(
            host("https://xn--bcher-kva.example/").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(host("http://192.0.2.7/").as_deref(), Some("192.0.2.7"));
        assert_eq!(
            host("http://[2001:db8::1]/").as_deref(),
            Some("[2001:db8::1]")
        );
        for bad in [
            "",
            "not a url",
            "/relative/path",
            "mailto:jane@example.org",
            "http://exa mple.org/",
            "https://example.org:99999/",
        ] {
            assert_eq!(host(bad), None, "{bad}");
        }
    }

    #[test]
    fn registrable_domains_follow_the_public_suffix_list() {
        let d = |url: &str| Site::parse(url).unwrap().domain().to_owned();
        assert_eq!(d("https://www.example.co.uk/x"), "example.co.uk");
        assert_eq!(d("https://a.b.example.org/"), "example.org");
        // A private suffix: each user's site is its own domain.
        assert_eq!(d("https://jane.github.io/blog"), "jane.github.io");
        assert_eq!(d("http://localhost:8000/"), "localhost");
        assert_eq!(d("http://192.0.2.7/"), IP_HOSTS);
        assert_eq!(d("http://[2001:db8::1]/"), IP_HOSTS);
    }

    #[test]
    fn parents_walk_up_to_the_top_label() {
        let s = Site::parse("https://a.b.example.org/").unwrap();
        let p: Vec<&str> = s.host_and_parents().collect();
        assert_eq!(
            p,
            ["a.b.example.org", "b.example.org", "example.org", "org"]
        );
        let ip = Site::parse("http://192.0.2.7/").unwrap();
        assert_eq!(ip.host_and_parents().count(), 1);
    }

    #[test]
    fn the_rest_is_path_query_and_fragment() {
        let s = Site::parse("https://example.org:443/blog/a%20b?x=1#top").unwrap();
        assert_eq!(s.rest, "/blog/a%20b?x=1#top");
        assert_eq!(Site::parse("https://example.org").unwrap().rest, "/");
    }

    #[test]
    fn host_names_normalise_like_urls() {
        assert_eq!(
            normalise_host("Example.ORG.").as_deref(),
            Some("example.org")
        );
        assert_eq!(
            normalise_host("bücher.example").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(normalise_host(""), None);
        assert_eq!(normalise_host("exa mple.org"), None);
        // The fast path for plain names agrees with the parser.
        for name in [
            "Example.ORG",
            "a-b.example.co.uk",
            "xn--bcher-kva.example",
            "192.0.2.7",
            "0x7f.1",
            "EXAMPLE.org.",
        ] {
            let parsed = Host::parse(name.trim_end_matches('.'))
                .unwrap()
                .to_string()
                .to_ascii_lowercase();
            assert_eq!(normalise_host(name).unwrap(), parsed, "{name}");
        }
    }
}
