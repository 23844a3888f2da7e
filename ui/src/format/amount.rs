//! Token amounts: integer base units (wei) to the decimal text people read.
//!
//! Balances arrive as JSON-RPC hex quantities of up to 256 bits, so the
//! conversion works on decimal digit strings rather than a fixed-width
//! integer, and never rounds up (a wallet must not show more than there is).

/// Why a quantity could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AmountError {
    /// Not a `0x` hex quantity.
    #[error("{0:?} is not a hexadecimal quantity like 0x1bc16d674ec80000")]
    NotHex(String),
    /// Typed text that is not an amount (the reason says why).
    #[error("{0}")]
    NotAmount(String),
    /// More than 256 bits.
    #[error("the quantity has more than 256 bits")]
    TooLarge,
}

/// Decimal digits of a `0x` hex quantity (no leading zeros; "0" for zero).
pub fn hex_to_decimal(hex: &str) -> Result<String, AmountError> {
    let digits = hex.strip_prefix("0x").filter(|d| !d.is_empty()).ok_or_else(|| AmountError::NotHex(hex.into()))?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(AmountError::NotHex(hex.into()));
    }
    if digits.trim_start_matches('0').len() > 64 {
        return Err(AmountError::TooLarge);
    }
    // Little-endian decimal digits; multiply by 16 and add each hex digit.
    let mut decimal: Vec<u8> = vec![0];
    for c in digits.chars() {
        let mut carry = c.to_digit(16).unwrap_or(0);
        for d in decimal.iter_mut() {
            let v = u32::from(*d) * 16 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            decimal.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    while decimal.len() > 1 && decimal.last() == Some(&0) {
        decimal.pop();
    }
    Ok(decimal.iter().rev().map(|d| char::from(b'0' + d)).collect())
}

/// Formats base units as a decimal amount with at most `max_fraction`
/// fraction digits, truncating (never rounding up) and trimming zeros;
/// thousands are grouped with a thin space for readability.
pub fn format_units(base_units: &str, decimals: usize, max_fraction: usize) -> String {
    let padded = format!("{base_units:0>width$}", width = decimals + 1);
    let (int, frac) = padded.split_at(padded.len() - decimals);
    let frac: String = frac.chars().take(max_fraction).collect();
    let frac = frac.trim_end_matches('0');
    let grouped = group_thousands(int);
    if frac.is_empty() { grouped } else { format!("{grouped}.{frac}") }
}

fn group_thousands(int: &str) -> String {
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

/// A hex wei quantity as ether text with a unit, e.g. `10 000 ETH`-style.
pub fn format_ether(hex_wei: &str, symbol: &str) -> Result<String, AmountError> {
    Ok(format!("{} {symbol}", format_units(&hex_to_decimal(hex_wei)?, 18, 6)))
}

/// Parses an amount typed by a person ("1.5") into base units, decimal
/// ("1500000000000000000"), refusing more fraction digits than `decimals`
/// (no silent rounding), signs, exponents and empty input.
pub fn parse_units(text: &str, decimals: usize) -> Result<String, AmountError> {
    let text = text.trim();
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return Err(AmountError::NotAmount(format!("{text:?} is not an amount like 1.5")));
    }
    if frac.len() > decimals {
        return Err(AmountError::NotAmount(format!("at most {decimals} digits after the point")));
    }
    let joined = format!("{int}{frac:0<decimals$}");
    let trimmed = joined.trim_start_matches('0');
    let out = if trimmed.is_empty() { "0".to_string() } else { trimmed.to_string() };
    if out.len() > 78 {
        return Err(AmountError::TooLarge);
    }
    Ok(out)
}

/// A decimal number of base units as a `0x` quantity (for JSON-RPC).
pub fn decimal_to_hex(decimal: &str) -> Result<String, AmountError> {
    if decimal.is_empty() || !decimal.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AmountError::NotHex(decimal.to_string()));
    }
    // Little-endian base-16 digits, multiplied by ten and added to per digit.
    let mut hex: Vec<u8> = vec![0];
    for d in decimal.bytes().map(|b| b - b'0') {
        let mut carry = u32::from(d);
        for h in hex.iter_mut() {
            let v = u32::from(*h) * 10 + carry;
            *h = (v % 16) as u8;
            carry = v / 16;
        }
        while carry > 0 {
            hex.push((carry % 16) as u8);
            carry /= 16;
        }
    }
    while hex.len() > 1 && hex.last() == Some(&0) {
        hex.pop();
    }
    if hex.len() > 64 {
        return Err(AmountError::TooLarge);
    }
    Ok(format!("0x{}", hex.iter().rev().map(|d| char::from_digit(u32::from(*d), 16).unwrap_or('0')).collect::<String>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_amounts_become_exact_quantities() {
        assert_eq!(parse_units("1.5", 18).unwrap(), "1500000000000000000");
        assert_eq!(parse_units(" 0.01 ", 18).unwrap(), "10000000000000000");
        assert_eq!(parse_units(".5", 18).unwrap(), "500000000000000000");
        assert_eq!(parse_units("0", 18).unwrap(), "0");
        for bad in ["", ".", "-1", "1e18", "1,5", "0x10", "1.0000000000000000001"] {
            assert!(parse_units(bad, 18).is_err(), "{bad}");
        }
        assert_eq!(decimal_to_hex("10000000000000000").unwrap(), "0x2386f26fc10000");
        assert_eq!(decimal_to_hex("0").unwrap(), "0x0");
        assert_eq!(hex_to_decimal(&decimal_to_hex("123456789012345678901234567890").unwrap()).unwrap(), "123456789012345678901234567890");
        assert!(decimal_to_hex("12a").is_err());
    }

    #[test]
    fn hex_quantities_become_exact_decimals() {
        assert_eq!(hex_to_decimal("0x0").unwrap(), "0");
        assert_eq!(hex_to_decimal("0x21e19e0c9bab2400000").unwrap(), "10000000000000000000000");
        let max = format!("0x{}", "f".repeat(64));
        assert_eq!(
            hex_to_decimal(&max).unwrap(),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        assert_eq!(hex_to_decimal(&format!("0x1{}", "0".repeat(64))), Err(AmountError::TooLarge));
        assert!(matches!(hex_to_decimal("12"), Err(AmountError::NotHex(_))));
        assert!(matches!(hex_to_decimal("0x"), Err(AmountError::NotHex(_))));
        assert!(matches!(hex_to_decimal("0xg1"), Err(AmountError::NotHex(_))));
    }

    #[test]
    fn amounts_truncate_and_group() {
        assert_eq!(format_ether("0x21e19e0c9bab2400000", "ETH").unwrap(), "10\u{2009}000 ETH");
        assert_eq!(format_units("1", 18, 6), "0", "one wei is shown as 0 at six digits, never rounded up");
        assert_eq!(format_units("1999999999999999999", 18, 6), "1.999999");
        assert_eq!(format_units("1500000000000000000", 18, 6), "1.5");
        assert_eq!(format_units("123456789", 0, 6), "123\u{2009}456\u{2009}789");
    }
}
