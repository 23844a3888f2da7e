//! Ethereum addresses as people see them: EIP-55 checksummed, shortened for
//! tight spaces, never silently "fixed" when the input is malformed.

use sha3::{Digest, Keccak256};

/// A 20-byte account address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Address(pub [u8; 20]);

/// Why text is not an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressError {
    /// Not `0x` followed by 40 hex digits.
    #[error("an address is 0x followed by 40 hexadecimal digits; this has {0} characters")]
    Shape(usize),
    /// Mixed case that does not match the EIP-55 checksum: likely a typo.
    #[error("the address's capital letters do not match its EIP-55 checksum: check it for a typo")]
    Checksum,
}

impl Address {
    /// Parses `0x…` text. All-lower or all-upper hex is accepted as is; mixed
    /// case must be a valid EIP-55 checksum, as wallets require.
    pub fn parse(text: &str) -> Result<Self, AddressError> {
        let text = text.trim();
        let hex = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).ok_or(AddressError::Shape(text.len()))?;
        if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AddressError::Shape(text.len()));
        }
        let mut bytes = [0u8; 20];
        for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
            let digit = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            bytes[i] = digit(pair[0]) << 4 | digit(pair[1]);
        }
        let address = Self(bytes);
        let mixed = hex.bytes().any(|b| b.is_ascii_lowercase()) && hex.bytes().any(|b| b.is_ascii_uppercase());
        if mixed && address.to_checksum()[2..] != *hex {
            return Err(AddressError::Checksum);
        }
        Ok(address)
    }

    /// The EIP-55 mixed-case checksum form.
    pub fn to_checksum(&self) -> String {
        let lower: String = self.0.iter().map(|b| format!("{b:02x}")).collect();
        let hash = Keccak256::digest(lower.as_bytes());
        let mut out = String::with_capacity(42);
        out.push_str("0x");
        for (i, c) in lower.chars().enumerate() {
            let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
            out.push(if c.is_ascii_alphabetic() && nibble >= 8 { c.to_ascii_uppercase() } else { c });
        }
        out
    }

    /// `0xAbCd…12Ef`: the first 4 and last 4 hex digits of the checksum form.
    pub fn short(&self) -> String {
        let full = self.to_checksum();
        format!("{}…{}", &full[..6], &full[38..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of EIP-55 itself.
    #[test]
    fn eip55_examples_round_trip() {
        for expected in [
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
            "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
            "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
            "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
        ] {
            let parsed = Address::parse(&expected.to_lowercase()).unwrap();
            assert_eq!(parsed.to_checksum(), expected);
            assert_eq!(Address::parse(expected).unwrap(), parsed);
        }
    }

    #[test]
    fn typos_and_bad_shapes_are_named() {
        assert_eq!(Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), Err(AddressError::Checksum));
        assert_eq!(Address::parse("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), Err(AddressError::Shape(40)));
        assert_eq!(Address::parse("0x123"), Err(AddressError::Shape(5)));
        assert!(Address::parse("0xzzaeb6053f3e94c9b9a09f33669435e7ef1beaed").is_err());
    }

    #[test]
    fn short_form_keeps_both_ends() {
        let a = Address::parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").unwrap();
        assert_eq!(a.short(), "0x5aAe…eAed");
    }
}
