//! An amount with its unit, from a hex wei quantity.

use leptos::prelude::*;

use crate::format::amount::format_ether;

/// Shows `hex_wei` as an ether amount with `symbol`; malformed input shows
/// as "unknown amount" with the reason on hover, never as a wrong number.
#[component]
pub fn AmountView(
    /// A JSON-RPC hex quantity of wei.
    #[prop(into)]
    hex_wei: Signal<String>,
    /// The unit ("ETH", "A0GI").
    #[prop(into)]
    symbol: String,
) -> impl IntoView {
    move || match format_ether(&hex_wei.get(), &symbol) {
        Ok(text) => view! { <span class="amount">{text}</span> }.into_any(),
        Err(e) => view! { <span class="amount unknown" title=e.to_string()>"unknown amount"</span> }.into_any(),
    }
}
