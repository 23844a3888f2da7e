//! # aloft-extension
//!
//! The wallet engine of the Aloft browser extension. It runs as WASM in the
//! Manifest V3 service worker; the JavaScript around it (`extension/static/`)
//! only carries messages:
//!
//! ```text
//! page ──EIP-1193──▶ inpage.js (MAIN world) ──postMessage──▶ content.js (isolated)
//!      ──chrome.runtime port──▶ background.js (service worker) ──▶ Engine (this crate)
//! ```
//!
//! The engine decides everything: which methods exist, what each origin may
//! do, what is answered locally and what goes to the selected network's RPC.
//! The origin it acts on comes from the browser's `sender`, never from the
//! message. The decision logic ([`provider`]) is plain Rust, tested natively;
//! the `wasm` module (wasm32 only) adds the service worker's bindings and the
//! one thing the core cannot do, the network fetch.

pub mod keys;
pub mod network;
pub mod origin;
pub mod provider;
pub mod approvals;
pub mod commands;
pub mod decode;
pub mod inft;
pub mod sign;
pub mod tx;
pub mod vault;
pub mod verified;
pub mod wallet;

#[cfg(target_arch = "wasm32")]
mod wasm;
