//! BIP-39 recovery phrases (English word list).
//!
//! 1. Create: the caller passes 16–32 bytes of entropy (the engine draws them
//!    from the browser's CSPRNG; this module takes no randomness itself);
//!    the checksum is the first `bits/32` bits of SHA-256(entropy), and each
//!    11 bits of `entropy ‖ checksum` pick a word.
//! 2. Import: the phrase is normalised (lower case, single spaces), every word
//!    is looked up, the checksum recomputed. The error says which word is not
//!    in the list, or that the checksum fails (a word is wrong or the order
//!    is), so the user knows what to fix.
//! 3. Seed: PBKDF2-HMAC-SHA512, 2048 rounds, salt `"mnemonic" ‖ passphrase`.
//!
//! The English list is all ASCII, where NFKD normalisation is the identity;
//! passphrases are limited to ASCII for the same reason rather than pulling
//! in Unicode tables.

use sha2::{Digest, Sha256, Sha512};
use zeroize::Zeroizing;

/// The BIP-39 English word list, 2048 words in order.
const WORDS_TEXT: &str = include_str!("bip39-english.txt");

fn words() -> impl Iterator<Item = &'static str> {
    WORDS_TEXT.lines()
}

fn word_index(word: &str) -> Option<u16> {
    // The list is sorted, so a binary search over a collected slice would be
    // faster; 2048 comparisons per word is nothing next to the seed's PBKDF2.
    words().position(|w| w == word).map(|i| i as u16)
}

/// Why a phrase or entropy was refused. No variant carries the phrase itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MnemonicError {
    /// Entropy must be 16, 20, 24, 28 or 32 bytes.
    #[error("BIP-39 entropy is 16, 20, 24, 28 or 32 bytes, not {0}")]
    EntropyLength(usize),
    /// A phrase has 12, 15, 18, 21 or 24 words.
    #[error("a recovery phrase has 12, 15, 18, 21 or 24 words; this one has {0}")]
    WordCount(usize),
    /// A word is not in the BIP-39 English list.
    #[error("word {position} (\"{word}\") is not in the BIP-39 English word list")]
    UnknownWord {
        /// 1-based position of the word.
        position: usize,
        /// The word as typed (a misspelling, so not itself a secret word).
        word: String,
    },
    /// All words are valid but the checksum does not match.
    #[error("the recovery phrase's checksum does not match: a word is wrong or out of order")]
    Checksum,
    /// Passphrases are ASCII only.
    #[error("the BIP-39 passphrase must be ASCII")]
    NonAsciiPassphrase,
}

/// A valid BIP-39 phrase (normalised). Zeroed on drop; `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Mnemonic(Zeroizing<String>);

impl std::fmt::Debug for Mnemonic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mnemonic({} words)", self.word_count())
    }
}

impl Mnemonic {
    /// The phrase for `entropy` (16, 20, 24, 28 or 32 bytes).
    pub fn from_entropy(entropy: &[u8]) -> Result<Self, MnemonicError> {
        if !matches!(entropy.len(), 16 | 20 | 24 | 28 | 32) {
            return Err(MnemonicError::EntropyLength(entropy.len()));
        }
        let checksum_bits = entropy.len() / 4;
        let hash = Sha256::digest(entropy);
        let mut bits = Zeroizing::new(Vec::with_capacity(entropy.len() * 8 + checksum_bits));
        let bit = |byte: u8, i: usize| (byte >> (7 - i)) & 1;
        for &b in entropy {
            bits.extend((0..8).map(|i| bit(b, i)));
        }
        bits.extend((0..checksum_bits).map(|i| bit(hash[i / 8], i % 8)));
        let list: Vec<&str> = words().collect();
        let mut phrase = Zeroizing::new(String::new());
        for chunk in bits.chunks(11) {
            let index = chunk.iter().fold(0usize, |acc, &b| (acc << 1) | b as usize);
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.push_str(list[index]);
        }
        Ok(Self(phrase))
    }

    /// Parses and checks a phrase as a user typed it.
    pub fn parse(phrase: &str) -> Result<Self, MnemonicError> {
        let lower = Zeroizing::new(phrase.to_lowercase());
        let typed: Vec<&str> = lower.split_whitespace().collect();
        if !matches!(typed.len(), 12 | 15 | 18 | 21 | 24) {
            return Err(MnemonicError::WordCount(typed.len()));
        }
        let mut bits = Zeroizing::new(Vec::with_capacity(typed.len() * 11));
        for (i, word) in typed.iter().enumerate() {
            let index = word_index(word)
                .ok_or_else(|| MnemonicError::UnknownWord { position: i + 1, word: (*word).to_string() })?;
            bits.extend((0..11).rev().map(|b| ((index >> b) & 1) as u8));
        }
        let checksum_bits = typed.len() / 3;
        let entropy_bits = bits.len() - checksum_bits;
        let mut entropy = Zeroizing::new(vec![0u8; entropy_bits / 8]);
        for (i, b) in bits[..entropy_bits].iter().enumerate() {
            entropy[i / 8] |= b << (7 - i % 8);
        }
        let hash = Sha256::digest(entropy.as_slice());
        let expected = (0..checksum_bits).map(|i| (hash[i / 8] >> (7 - i % 8)) & 1);
        if !expected.eq(bits[entropy_bits..].iter().copied()) {
            return Err(MnemonicError::Checksum);
        }
        Ok(Self(Zeroizing::new(typed.join(" "))))
    }

    /// The normalised phrase (show it to the user once, for the backup).
    pub fn phrase(&self) -> &str {
        &self.0
    }

    /// Number of words.
    pub fn word_count(&self) -> usize {
        self.0.split(' ').count()
    }

    /// The 64-byte BIP-39 seed (PBKDF2-HMAC-SHA512, 2048 rounds).
    pub fn seed(&self, passphrase: &str) -> Result<Zeroizing<[u8; 64]>, MnemonicError> {
        if !passphrase.is_ascii() {
            return Err(MnemonicError::NonAsciiPassphrase);
        }
        let salt = Zeroizing::new(format!("mnemonic{passphrase}"));
        let mut seed = Zeroizing::new([0u8; 64]);
        pbkdf2::pbkdf2_hmac::<Sha512>(self.0.as_bytes(), salt.as_bytes(), 2048, seed.as_mut());
        Ok(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn the_word_list_is_bip39_english() {
        assert_eq!(words().count(), 2048);
        assert_eq!(words().next(), Some("abandon"));
        assert_eq!(words().last(), Some("zoo"));
        assert!(words().collect::<Vec<_>>().windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
    }

    /// The BIP-39 reference vectors (trezor/python-mnemonic, English, passphrase "TREZOR").
    #[test]
    fn reference_vectors() {
        let file: Value =
            serde_json::from_str(include_str!("../../tests/vectors/bip39-english.json")).expect("fixture is JSON");
        let vectors = file["vectors"].as_array().expect("vectors");
        assert_eq!(vectors.len(), 24);
        for v in vectors {
            let entropy = hex::decode(v["entropy"].as_str().expect("entropy")).expect("hex");
            let phrase = v["mnemonic"].as_str().expect("mnemonic");
            let created = Mnemonic::from_entropy(&entropy).expect("valid entropy");
            assert_eq!(created.phrase(), phrase);
            let parsed = Mnemonic::parse(&phrase.to_uppercase().replace(' ', "  ")).expect("valid phrase");
            assert_eq!(parsed, created);
            let seed = parsed.seed("TREZOR").expect("ascii");
            assert_eq!(hex::encode(seed.as_ref()), v["seed"].as_str().expect("seed"));
        }
    }

    #[test]
    fn import_errors_name_the_problem() {
        let good = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        assert!(Mnemonic::parse(good).is_ok());
        let typo = good.replacen("about", "abuot", 1);
        assert_eq!(
            Mnemonic::parse(&typo).unwrap_err(),
            MnemonicError::UnknownWord { position: 12, word: "abuot".into() }
        );
        assert!(Mnemonic::parse(&typo).unwrap_err().to_string().contains("word 12 (\"abuot\")"));
        let swapped = good.replacen("about", "abandon", 1);
        assert_eq!(Mnemonic::parse(&swapped).unwrap_err(), MnemonicError::Checksum);
        assert_eq!(Mnemonic::parse("abandon about").unwrap_err(), MnemonicError::WordCount(2));
        assert_eq!(Mnemonic::from_entropy(&[0; 15]).unwrap_err(), MnemonicError::EntropyLength(15));
        assert!(format!("{:?}", Mnemonic::parse(good).expect("valid")).contains("12 words"));
        assert!(!format!("{:?}", Mnemonic::parse(good).expect("valid")).contains("abandon"));
    }
}
