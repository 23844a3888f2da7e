//! Requesting origins as an approval shows them: the host people recognise,
//! and warnings for the tricks phishing uses.

/// What an approval says about where a request came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginView {
    /// The origin exactly as the browser reported it.
    pub origin: String,
    /// The host alone, for the headline.
    pub host: String,
    /// Warnings to show next to it, in words.
    pub warnings: Vec<&'static str>,
}

/// Describes `origin` (as the browser reported the sender's origin).
pub fn describe(origin: &str) -> OriginView {
    let (scheme, rest) = origin.split_once("://").unwrap_or(("", origin));
    let host_port = rest.split('/').next().unwrap_or(rest);
    let host = host_port.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host_port, |(h, _)| h);
    let mut warnings = Vec::new();
    if host.split('.').any(|label| label.to_ascii_lowercase().starts_with("xn--")) {
        warnings.push("This address uses internationalized characters (punycode) and may imitate another site.");
    }
    if !host.is_ascii() {
        warnings.push("This address has non-ASCII characters and may imitate another site.");
    }
    let loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    if scheme == "http" && !loopback {
        warnings.push("This site is not served over HTTPS: others on the network can change what it shows.");
    }
    if scheme != "http" && scheme != "https" {
        warnings.push("This request does not come from a web site.");
    }
    OriginView { origin: origin.to_string(), host: host.to_string(), warnings }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalikes_and_plain_http_are_flagged() {
        let ok = describe("https://app.example.org");
        assert_eq!(ok.host, "app.example.org");
        assert!(ok.warnings.is_empty());
        let puny = describe("https://xn--mtamask-9za.io");
        assert_eq!(puny.warnings.len(), 1);
        assert!(puny.warnings[0].contains("punycode"));
        assert_eq!(describe("http://127.0.0.1:8080").warnings, Vec::<&str>::new());
        assert_eq!(describe("http://127.0.0.1:8080").host, "127.0.0.1");
        assert_eq!(describe("http://dapp.example").warnings.len(), 1);
        assert_eq!(describe("chrome-extension://abc").warnings.len(), 1);
    }
}
