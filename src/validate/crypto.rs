//! Cryptocurrency addresses: Bitcoin Base58Check and Bech32/Bech32m (SegWit), Ethereum.

use sha2::{Digest, Sha256};

/// A mainnet Bitcoin P2PKH (`1...`) or P2SH (`3...`) address whose Base58Check checksum
/// (first 4 bytes of double SHA-256) matches.
pub fn btc_base58(text: &[u8]) -> bool {
    let Ok(raw) = bs58::decode(text).into_vec() else {
        return false;
    };
    if raw.len() != 25 || !matches!(raw[0], 0x00 | 0x05) {
        return false;
    }
    let hash = Sha256::digest(Sha256::digest(&raw[..21]));
    hash[..4] == raw[21..]
}

/// A mainnet SegWit address (`bc1...`): Bech32 for version 0, Bech32m for later versions,
/// checked by the `bech32` crate's SegWit decoder (checksum, witness version and length).
pub fn btc_bech32(text: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(text) else {
        return false;
    };
    match bech32::segwit::decode(s) {
        Ok((hrp, _, _)) => hrp == bech32::hrp::BC,
        Err(_) => false,
    }
}

/// An Ethereum address: `0x` and 40 hex digits, not all zeros. Mixed-case (EIP-55)
/// checksums are not verified: that needs Keccak-256, and a wrong-case address is still
/// an address someone wrote.
pub fn eth_address(text: &[u8]) -> bool {
    text.len() == 42
        && text[..2].eq_ignore_ascii_case(b"0x")
        && text[2..].iter().all(u8::is_ascii_hexdigit)
        && !text[2..].iter().all(|&b| b == b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitcoin_vectors() {
        // The genesis block address and the BIP-16 / BIP-173 / BIP-350 examples.
        assert!(btc_base58(b"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
        assert!(btc_base58(b"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"));
        assert!(!btc_base58(b"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        assert!(btc_bech32(b"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
        assert!(btc_bech32(b"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
        assert!(btc_bech32(
            b"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
        ));
        assert!(!btc_bech32(b"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
        assert!(!btc_bech32(b"tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"));
    }

    #[test]
    fn ethereum_shape() {
        assert!(eth_address(b"0x52908400098527886E0F7030069857D2E4169EE7"));
        assert!(!eth_address(b"0x0000000000000000000000000000000000000000"));
        assert!(!eth_address(b"0x52908400098527886E0F7030069857D2E4169EE"));
    }
}
