//! Origins: who is asking, as the browser reported it.
//!
//! The engine only ever receives origins from the browser (`port.sender`),
//! but it still parses them: permissions are keyed by the exact
//! `scheme://host[:port]`, and the approval view must warn about hosts that
//! are spelled with punycode (`xn--` labels can render as look-alikes of
//! well-known names) or are bare IP addresses.

use serde::{Deserialize, Serialize};

/// A web origin `scheme://host[:port]` (http or https), lower case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Origin(String);

/// Why an origin was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OriginError {
    /// Not `http(s)://host[:port]` with nothing after.
    #[error("{0:?} is not an http or https origin")]
    NotAnOrigin(String),
}

impl Origin {
    /// Parses an origin as `MessageSender.origin` gives it.
    pub fn parse(text: &str) -> Result<Self, OriginError> {
        let bad = || OriginError::NotAnOrigin(text.to_string());
        let lower = text.to_ascii_lowercase();
        let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://")).ok_or_else(bad)?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || p.is_empty() => (h, Some(p)),
            _ => (rest, None),
        };
        let host_ok = !host.is_empty()
            && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'[' | b']' | b':'));
        let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
        if !host_ok || !port_ok {
            return Err(bad());
        }
        Ok(Self(lower))
    }

    /// The wallet's own pages (the Send view, the iNFT screens), as the approval
    /// queue records them. No browser sender has it: [`Origin::parse`] accepts only http(s).
    pub fn own_wallet() -> Self {
        Self("aloft://wallet".into())
    }

    /// The origin text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn host(&self) -> &str {
        let rest = self.0.split_once("://").map_or("", |(_, r)| r);
        match rest.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) && !h.is_empty() => h,
            _ => rest,
        }
    }

    /// A warning for the approval view, if the host deserves one.
    pub fn warning(&self) -> Option<String> {
        let host = self.host();
        if host.split('.').any(|label| label.starts_with("xn--")) {
            return Some(format!(
                "{host} is an internationalised (punycode) name: it may imitate another site's name"
            ));
        }
        if host.starts_with('[') || (!host.is_empty() && host.bytes().all(|b| b.is_ascii_digit() || b == b'.')) {
            return Some(format!("{host} is a bare IP address, not a named site"));
        }
        if self.0.starts_with("http://") {
            return Some("the site is not served over HTTPS: others on the network can change it".into());
        }
        None
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_parse_and_warn() {
        let ok = Origin::parse("https://App.Example.com").expect("valid");
        assert_eq!(ok.as_str(), "https://app.example.com");
        assert_eq!(ok.warning(), None);
        let puny = Origin::parse("https://xn--uniswp-7za.org").expect("valid");
        assert!(puny.warning().is_some_and(|w| w.contains("punycode")));
        let ip = Origin::parse("http://127.0.0.1:8590").expect("valid");
        assert!(ip.warning().is_some_and(|w| w.contains("IP address")));
        assert!(Origin::parse("http://localhost:3000").expect("valid").warning().is_some_and(|w| w.contains("HTTPS")));
        for bad in ["", "chrome-extension://abc", "https://", "https://a b", "https://x.com/path", "https://x.com:99999x"] {
            assert!(Origin::parse(bad).is_err(), "{bad}");
        }
    }
}
