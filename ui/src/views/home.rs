//! Home: the selected network and, once the wallet has keys, balances and
//! activity.

use leptos::prelude::*;

use super::EngineStatus;
use crate::components::{EmptyState, ErrorBanner, Loading};

/// The home screen.
#[component]
pub fn HomeView(
    /// The engine's status.
    status: EngineStatus,
) -> impl IntoView {
    move || match status.get() {
        None => view! { <Loading what="the wallet"/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBanner what=format!("The wallet engine did not answer: {e}.")
                         todo="Close and reopen this window; if it persists, reload the extension in chrome://extensions."/>
        }.into_any(),
        Some(Ok(s)) => view! {
            <section aria-labelledby="home-network">
                <h2 id="home-network">{s.network_name.clone()}</h2>
                <p class="muted">{format!("Chain {} · {}", u64::from_str_radix(s.chain_id.trim_start_matches("0x"), 16).unwrap_or(0), s.rpc_url)}</p>
            </section>
            <EmptyState title="No accounts yet" hint="Create a wallet or import one to see balances and activity here."/>
        }.into_any(),
    }
}
