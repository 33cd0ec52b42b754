//! Shannon entropy, the floor that separates a generated secret from a word.

/// Shannon entropy of the byte distribution of `text`, in bits per byte (0 for empty text).
///
/// `"password"` scores 2.75, `"aaaaaaaa"` 0, a random 20-character base62 token about 4.
pub fn shannon(text: &[u8]) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in text {
        counts[b as usize] += 1;
    }
    let n = text.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::shannon;

    #[test]
    fn known_values() {
        assert_eq!(shannon(b""), 0.0);
        assert_eq!(shannon(b"aaaa"), 0.0);
        assert!((shannon(b"ab") - 1.0).abs() < 1e-12);
        assert!((shannon(b"password") - 2.75).abs() < 1e-12);
        assert!(shannon(b"wJalrXUtnFEMI/K7MDENG/bPxRfiCY") > 4.0);
    }
}
