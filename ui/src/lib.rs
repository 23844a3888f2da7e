//! # aloft-ui
//!
//! The wallet's user interface, in Leptos (client-side rendering): one app
//! shell used in the popup (360×600) and in the full-page tab, with a small
//! design system (`style/aloft.css`: colour tokens, light and dark themes,
//! spacing, type) and shared components.
//!
//! The UI decides nothing about keys, permissions or verification: it asks the
//! wallet engine in the service worker ([`platform::send_to_engine`]) and
//! shows what it answers, saying plainly what was verified and what was not.
//!
//! - [`format`]: pure text formatting (addresses, amounts, progress, origins,
//!   identicons), tested natively.
//! - [`components`]: the shared pieces every view uses.
//! - [`lightclient`]: the service worker's light-client status, typed.
//! - [`route`]: which view the URL asks for.
//! - [`views`]: the screens.

pub mod components;
pub mod engine;
pub mod format;
pub mod lightclient;
pub mod platform;
pub mod route;
pub mod views;

pub mod app;

pub use app::{App, Surface, WalletCtx, ctx};

/// Mounts the wallet into the page's body. `surface` is `"popup"` or
/// `"page"` (the full-page tab); it only changes the layout.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = mountWallet)]
pub fn mount_wallet(surface: &str) {
    let surface = Surface::parse(surface);
    leptos::mount::mount_to_body(move || leptos::view! { <App surface=surface/> });
}
