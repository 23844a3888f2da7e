//! Receive: an account's full checksummed address, large, with a copy
//! button, and the network it is for.

use leptos::prelude::*;

use crate::app::ctx;
use crate::components::{AddressView, EmptyState};
use crate::format::identicon::Identicon;

/// The receive screen.
#[component]
pub fn ReceiveView() -> impl IntoView {
    let wallet = ctx();
    let chosen = RwSignal::new(0usize);
    let accounts = move || wallet.ready().map(|s| s.accounts).unwrap_or_default();
    view! {
        <section class="receive" aria-labelledby="receive-title">
            <h1 id="receive-title">"Receive"</h1>
            <label class="field" for="receive-account">
                <span class="field-label">"Account"</span>
                <select id="receive-account" on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || accounts().into_iter().enumerate().map(|(i, a)| view! { <option value=i.to_string()>{a.label()}</option> }).collect_view()}
                </select>
            </label>
            {move || match accounts().get(chosen.get()).and_then(|a| a.parsed().map(|p| (a.label(), p))) {
                None => view! { <EmptyState title="No account" hint="Create or import an account first."/> }.into_any(),
                Some((label, address)) => {
                    let full = address.to_checksum();
                    view! {
                        <div class="receive-card card">
                            <span class="identicon large" aria-hidden="true" inner_html=Identicon::of(&address).to_svg(72)></span>
                            <p class="receive-address"><code id="receive-address">{full}</code></p>
                            <AddressView address=address label=label/>
                            <p class="muted">{move || format!("Send only {} on {} to this address.",
                                wallet.ready().map(|s| s.network.symbol()).unwrap_or("ETH"),
                                wallet.ready().map(|s| s.network.name).unwrap_or_default())}</p>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}
