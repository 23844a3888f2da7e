//! Newtypes for what state proofs talk about, and their hex forms.

use core::fmt;

use super::error::StateProofError;

macro_rules! bytes_newtype {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// Parses `0x`-prefixed hex of exactly the right length.
            pub fn from_hex(field: &'static str, s: &str) -> Result<Self, StateProofError> {
                let bytes = hex_bytes(field, s)?;
                let array: [u8; $len] = bytes.try_into().map_err(|b: Vec<u8>| StateProofError::Field {
                    field,
                    reason: format!("expected {} bytes, got {}", $len, b.len()),
                })?;
                Ok(Self(array))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "0x{}", hex::encode(self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }
    };
}

bytes_newtype!(
    /// The root of the account trie, from a verified header.
    StateRoot, 32
);
bytes_newtype!(
    /// The root of one account's storage trie.
    StorageRoot, 32
);
bytes_newtype!(
    /// keccak256 of an account's code.
    CodeHash, 32
);
bytes_newtype!(
    /// A 20-byte account address.
    Address, 20
);
bytes_newtype!(
    /// A storage slot key (32 bytes).
    StorageSlot, 32
);
bytes_newtype!(
    /// A 256-bit unsigned number, big-endian (a balance, a storage value).
    Word, 32
);

impl Word {
    /// Zero.
    pub const ZERO: Self = Self([0; 32]);

    /// Parses a JSON-RPC quantity (`0x` and up to 64 hex digits, no leading zeros required).
    pub fn from_quantity(field: &'static str, s: &str) -> Result<Self, StateProofError> {
        let digits = s.strip_prefix("0x").ok_or_else(|| StateProofError::Field { field, reason: "missing 0x".into() })?;
        if digits.is_empty() || digits.len() > 64 {
            return Err(StateProofError::Field { field, reason: format!("{} hex digits", digits.len()) });
        }
        let padded = format!("{digits:0>64}");
        let mut out = [0u8; 32];
        hex::decode_to_slice(&padded, &mut out)
            .map_err(|e| StateProofError::Field { field, reason: format!("not hex: {e}") })?;
        Ok(Self(out))
    }

    /// Parses a decimal number below 2^256.
    pub fn from_decimal(field: &'static str, s: &str) -> Result<Self, StateProofError> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(StateProofError::Field { field, reason: "not a decimal number".into() });
        }
        let mut out = [0u8; 32];
        for digit in s.bytes() {
            let mut carry = u32::from(digit - b'0');
            for byte in out.iter_mut().rev() {
                let cur = u32::from(*byte) * 10 + carry;
                *byte = cur as u8;
                carry = cur >> 8;
            }
            if carry != 0 {
                return Err(StateProofError::Field { field, reason: "above 2^256 - 1".into() });
            }
        }
        Ok(Self(out))
    }

    /// Parses `0x` hex (a quantity) or a decimal number.
    pub fn parse(field: &'static str, s: &str) -> Result<Self, StateProofError> {
        if s.starts_with("0x") { Self::from_quantity(field, s) } else { Self::from_decimal(field, s) }
    }

    /// The JSON-RPC quantity form (`0x0`, `0x1bc16d674ec80000`).
    pub fn to_quantity(&self) -> String {
        let h = hex::encode(self.0);
        let trimmed = h.trim_start_matches('0');
        format!("0x{}", if trimmed.is_empty() { "0" } else { trimmed })
    }

    /// The value as a `u64`, if it fits.
    pub fn to_u64(&self) -> Option<u64> {
        if self.0[..24].iter().any(|b| *b != 0) {
            return None;
        }
        Some(u64::from_be_bytes(self.0[24..].try_into().ok()?))
    }

    /// The number in decimal.
    pub fn to_decimal(&self) -> String {
        let mut limbs = self.0;
        let mut digits = Vec::new();
        while limbs.iter().any(|b| *b != 0) {
            let mut rem = 0u32;
            for b in limbs.iter_mut() {
                let cur = (rem << 8) | u32::from(*b);
                *b = (cur / 10) as u8;
                rem = cur % 10;
            }
            digits.push(b'0' + rem as u8);
        }
        if digits.is_empty() {
            return "0".into();
        }
        digits.reverse();
        String::from_utf8(digits).unwrap_or_default()
    }
}

pub(crate) fn hex_bytes(field: &'static str, s: &str) -> Result<Vec<u8>, StateProofError> {
    let digits = s.strip_prefix("0x").ok_or_else(|| StateProofError::Field { field, reason: "missing 0x".into() })?;
    hex::decode(digits).map_err(|e| StateProofError::Field { field, reason: format!("not hex: {e}") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_round_trip_and_print_in_decimal() {
        let w = Word::from_quantity("b", "0x21e19e0c9bab2400000").unwrap();
        assert_eq!(w.to_quantity(), "0x21e19e0c9bab2400000");
        assert_eq!(w.to_decimal(), "10000000000000000000000");
        assert_eq!(Word::from_quantity("b", "0x0").unwrap(), Word::ZERO);
        assert_eq!(Word::ZERO.to_decimal(), "0");
        assert!(Word::from_quantity("b", "12").is_err());
        assert!(Word::from_quantity("b", "0xzz").is_err());
        assert!(Address::from_hex("a", "0x1234").is_err());
        let big = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        assert_eq!(Word::from_decimal("t", big).unwrap(), Word([0xff; 32]));
        assert_eq!(Word::from_decimal("t", big).unwrap().to_decimal(), big);
        assert!(Word::from_decimal("t", "115792089237316195423570985008687907853269984665640564039457584007913129639936").is_err());
        assert_eq!(Word::parse("t", "42").unwrap(), Word::parse("t", "0x2a").unwrap());
    }
}
