//! Byte sizes as people write them on a command line: `4096`, `64KiB`, `256MiB`, `1GB`.

/// Parses a size: a whole number with an optional unit, decimal (`kB`, `MB`, `GB`, `TB`)
/// or binary (`KiB`, `MiB`, `GiB`, `TiB`), case-insensitive; `B` alone means bytes.
///
/// # Errors
/// A message saying what is accepted.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let bad = || {
        format!(
            "invalid size {s:?}; use a number with an optional unit, e.g. 4096, 64KiB, 256MiB, 1GB"
        )
    };
    let n: u64 = num.parse().map_err(|_| bad())?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "m" | "mb" => 1_000_000,
        "g" | "gb" => 1_000_000_000,
        "t" | "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => return Err(bad()),
    };
    n.checked_mul(mult).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("256MiB"), Ok(256 << 20));
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("64 kib"), Ok(65536));
        assert!(parse_size("1.5GB").is_err());
        assert!(parse_size("GB").is_err());
        assert!(parse_size("99999999999TB").is_err());
    }
}
