//! The one trait through which the header client reaches the outside world:
//! fetching, the clock and persistent storage. The browser implements it
//! with the global `fetch`, `Date.now` and IndexedDB (`crate::wasm`), the
//! CLI with a blocking HTTP client, the system clock and no storage; tests
//! with an in-memory chain. Nothing else in the client does IO.

/// What the platform could not do, as a sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PlatformError(pub String);

/// Fetching, time and storage.
#[allow(async_fn_in_trait)]
pub trait Platform {
    /// GETs `url` and returns the body of a 2xx answer; anything else is an error.
    async fn get(&self, url: &str) -> Result<Vec<u8>, PlatformError>;
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// Reads a stored value.
    async fn load(&self, key: &str) -> Result<Option<Vec<u8>>, PlatformError>;
    /// Stores a value under `key`, replacing any.
    async fn store(&self, key: &str, value: &[u8]) -> Result<(), PlatformError>;
}
