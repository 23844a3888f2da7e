//! The light client's status: what Aloft itself has verified.

use leptos::prelude::*;

use crate::app::ctx;
use crate::components::{EmptyState, Verification, VerifiedBadge};

/// The light-client status screen.
#[component]
pub fn StatusView() -> impl IntoView {
    let wallet = ctx();
    view! {
        <section aria-labelledby="status-engine">
            <h2 id="status-engine">"Light client"</h2>
            <dl class="facts">
                <dt>"Network"</dt><dd>{move || wallet.ready().map(|s| s.network.name).unwrap_or_default()}</dd>
                <dt>"Chain id"</dt><dd>{move || wallet.ready().map(|s| s.network.chain_number()).unwrap_or_default()}</dd>
                <dt>"Head"</dt><dd><VerifiedBadge state=Verification::Unverified/></dd>
            </dl>
        </section>
        <EmptyState title="Not syncing headers yet" hint="Verified heads, validators, data-availability confidence, peers and fork evidence appear here once the light client runs in the wallet."/>
    }
}
