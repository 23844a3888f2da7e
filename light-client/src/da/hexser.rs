//! Hex (de)serialisation for the DA module's byte types, so persisted
//! sampler state and JSON responses read as `0x…` strings.

use crate::kzg::Commitment;

/// Decodes hex (with or without `0x`) into exactly `N` bytes.
pub(crate) fn decode_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.strip_prefix("0x").unwrap_or(text);
    let bytes = hex::decode(text).ok()?;
    bytes.try_into().ok()
}

/// `Vec<Commitment>` as a list of hex strings.
pub(crate) mod commitments {
    use super::*;
    use serde::{Deserialize, Deserializer, Serializer, de::Error, ser::SerializeSeq};

    pub(crate) fn serialize<S: Serializer>(list: &[Commitment], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(list.len()))?;
        for c in list {
            seq.serialize_element(&format!("0x{}", hex::encode(c.as_bytes())))?;
        }
        seq.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Commitment>, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        texts
            .iter()
            .map(|t| decode_array::<48>(t).map(Commitment).ok_or_else(|| D::Error::custom(format!("not a 48-byte commitment: {t:.20}"))))
            .collect()
    }
}

/// `Option<Vec<Commitment>>` as `null` or a list of hex strings.
pub(crate) mod option_commitments {
    use super::*;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Wrapped(#[serde(with = "super::commitments")] Vec<Commitment>);

    pub(crate) fn serialize<S: Serializer>(list: &Option<Vec<Commitment>>, s: S) -> Result<S::Ok, S::Error> {
        list.as_ref().map(|l| Wrapped(l.clone())).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<Commitment>>, D::Error> {
        Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
    }
}
