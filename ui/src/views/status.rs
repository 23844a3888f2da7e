//! The light client's status: what Aloft itself has verified.

use leptos::prelude::*;

use super::EngineStatus;
use crate::components::{EmptyState, ErrorBanner, Loading, Verification, VerifiedBadge};

/// The light-client status screen.
#[component]
pub fn StatusView(
    /// The engine's status.
    status: EngineStatus,
) -> impl IntoView {
    move || match status.get() {
        None => view! { <Loading what="the light client"/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBanner what=format!("The wallet engine did not answer: {e}.") todo="Reload the extension in chrome://extensions."/>
        }.into_any(),
        Some(Ok(s)) => view! {
            <section aria-labelledby="status-engine">
                <h2 id="status-engine">"Light client"</h2>
                <dl class="facts">
                    <dt>"Engine"</dt><dd>{s.version.clone()}</dd>
                    <dt>"Network"</dt><dd>{s.network_name.clone()}</dd>
                    <dt>"Head"</dt><dd><VerifiedBadge state=Verification::Unverified/></dd>
                </dl>
            </section>
            <EmptyState title="Not syncing headers yet" hint="Verified heads, validators, data-availability confidence, peers and fork evidence appear here once the light client syncs."/>
        }.into_any(),
    }
}
