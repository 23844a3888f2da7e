//! The network switcher: a labelled native <select>, keyboard reachable.

use leptos::prelude::*;

/// A network as the switcher lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkOption {
    /// `0x`-hex chain id (EIP-1193 form), the option's value.
    pub chain_id: String,
    /// Display name.
    pub name: String,
}

/// Lists networks and reports the one picked.
#[component]
pub fn NetworkSwitcher(
    /// The networks to offer.
    #[prop(into)]
    networks: Signal<Vec<NetworkOption>>,
    /// The selected chain id.
    #[prop(into)]
    selected: Signal<String>,
    /// Called with the picked chain id.
    on_select: Callback<String>,
) -> impl IntoView {
    view! {
        <label class="network-switcher">
            <span class="visually-hidden">"Network"</span>
            <select on:change=move |ev| on_select.run(event_target_value(&ev)) prop:value=move || selected.get()>
                {move || networks.get().into_iter().map(|n| {
                    let value = n.chain_id.clone();
                    let is_selected = move || selected.get() == value;
                    view! { <option value=n.chain_id.clone() selected=is_selected>{n.name}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}
