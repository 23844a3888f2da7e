//! Settings: networks (and, with the wallet, auto-lock, connected sites,
//! keystore export).

use leptos::prelude::*;

use super::EngineStatus;
use crate::components::{ErrorBanner, Loading};

/// The settings screen.
#[component]
pub fn SettingsView(
    /// The engine's status.
    status: EngineStatus,
) -> impl IntoView {
    move || match status.get() {
        None => view! { <Loading what="settings"/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBanner what=format!("The wallet engine did not answer: {e}.") todo="Reload the extension in chrome://extensions."/>
        }.into_any(),
        Some(Ok(s)) => view! {
            <section aria-labelledby="settings-networks">
                <h2 id="settings-networks">"Networks"</h2>
                <table class="networks">
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Chain id"</th><th scope="col">"RPC"</th></tr></thead>
                    <tbody><tr><td>{s.network_name.clone()}</td><td>{s.chain_id.clone()}</td><td><code>{s.rpc_url.clone()}</code></td></tr></tbody>
                </table>
            </section>
        }.into_any(),
    }
}
