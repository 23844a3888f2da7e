//! The slice of RLP that trie nodes use, decoded strictly: an item is a byte
//! string or a list, lengths are minimal, single bytes below 0x80 are not
//! wrapped. Strictness matters: a proof node has one encoding, so a node
//! re-encoded differently (and hashing differently) must not slip through.

/// One decoded item, borrowing from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// A byte string.
    Bytes(&'a [u8]),
    /// A list: its payload (the concatenated items) and its full encoding.
    List {
        /// The items, still encoded.
        payload: &'a [u8],
        /// The whole list with its header (an embedded trie node's bytes).
        raw: &'a [u8],
    },
}

/// Decodes one item from the front of `input`; returns it and the rest.
pub fn decode(input: &[u8]) -> Result<(Item<'_>, &[u8]), &'static str> {
    let (&first, rest) = input.split_first().ok_or("empty input")?;
    let (is_list, offset, len) = match first {
        0x00..=0x7f => return Ok((Item::Bytes(&input[..1]), rest)),
        0x80..=0xb7 => (false, 1, usize::from(first - 0x80)),
        0xb8..=0xbf => {
            let n = usize::from(first - 0xb7);
            (false, 1 + n, long_length(rest, n)?)
        }
        0xc0..=0xf7 => (true, 1, usize::from(first - 0xc0)),
        0xf8..=0xff => {
            let n = usize::from(first - 0xf7);
            (true, 1 + n, long_length(rest, n)?)
        }
    };
    let end = offset.checked_add(len).ok_or("length overflows")?;
    if input.len() < end {
        return Err("item runs past the end of its input");
    }
    let payload = &input[offset..end];
    if !is_list && len == 1 && payload[0] < 0x80 && first == 0x81 {
        return Err("a single byte below 0x80 must encode as itself");
    }
    let item = if is_list { Item::List { payload, raw: &input[..end] } } else { Item::Bytes(payload) };
    Ok((item, &input[end..]))
}

fn long_length(rest: &[u8], n: usize) -> Result<usize, &'static str> {
    if n > 4 || rest.len() < n {
        return Err("length of length out of range");
    }
    let bytes = &rest[..n];
    if bytes[0] == 0 {
        return Err("length with leading zero");
    }
    let len = bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    if len < 56 {
        return Err("long form used for a short length");
    }
    Ok(len)
}

/// Decodes `input` as exactly one list and returns its items.
pub fn decode_list(input: &[u8]) -> Result<Vec<Item<'_>>, &'static str> {
    let (item, rest) = decode(input)?;
    if !rest.is_empty() {
        return Err("bytes after the item");
    }
    match item {
        Item::List { payload, .. } => list_items(payload),
        Item::Bytes(_) => Err("expected a list"),
    }
}

/// Splits a list payload into its items.
pub fn list_items(mut payload: &[u8]) -> Result<Vec<Item<'_>>, &'static str> {
    let mut items = Vec::new();
    while !payload.is_empty() {
        let (item, rest) = decode(payload)?;
        items.push(item);
        payload = rest;
    }
    Ok(items)
}

/// Decodes `input` as exactly one byte string.
pub fn decode_bytes(input: &[u8]) -> Result<&[u8], &'static str> {
    match decode(input)? {
        (Item::Bytes(b), []) => Ok(b),
        (Item::Bytes(_), _) => Err("bytes after the item"),
        _ => Err("expected a byte string"),
    }
}

/// A big-endian integer item (no leading zeros) as 32 bytes.
pub fn uint(item: &Item<'_>) -> Result<[u8; 32], &'static str> {
    let Item::Bytes(b) = item else { return Err("expected an integer, found a list") };
    if b.len() > 32 {
        return Err("integer longer than 32 bytes");
    }
    if b.first() == Some(&0) {
        return Err("integer with leading zero");
    }
    let mut out = [0u8; 32];
    out[32 - b.len()..].copy_from_slice(b);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_spec_examples() {
        assert_eq!(decode_bytes(&[0x83, b'd', b'o', b'g']).unwrap(), b"dog");
        assert_eq!(decode_bytes(&[0x80]).unwrap(), b"");
        assert_eq!(decode_bytes(&[0x0f]).unwrap(), &[0x0f]);
        let list = decode_list(&[0xc8, 0x83, b'c', b'a', b't', 0x83, b'd', b'o', b'g']).unwrap();
        assert_eq!(list, vec![Item::Bytes(b"cat"), Item::Bytes(b"dog")]);
        let mut long = vec![0xb8, 56];
        long.extend([7u8; 56]);
        assert_eq!(decode_bytes(&long).unwrap(), &[7u8; 56]);
    }

    #[test]
    fn refuses_non_canonical_and_truncated_input() {
        assert!(decode_bytes(&[0x81, 0x05]).is_err(), "single byte wrapped");
        assert!(decode_bytes(&[0xb8, 0x05, 1, 2, 3, 4, 5]).is_err(), "long form for short");
        assert!(decode_bytes(&[0xb9, 0x00, 0x40]).is_err(), "leading zero length");
        assert!(decode_bytes(&[0x83, b'd']).is_err(), "truncated");
        assert!(decode_bytes(&[0x80, 0x80]).is_err(), "trailing");
        assert!(decode_list(&[]).is_err());
        assert!(uint(&Item::Bytes(&[0, 1])).is_err());
    }
}
