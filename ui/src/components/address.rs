//! An account: identicon, checksummed short form (full form on hover and for
//! screen readers), and a copy button.

use leptos::prelude::*;

use crate::format::address::Address;
use crate::format::identicon::Identicon;
use crate::platform;

/// Shows an address with its identicon and a copy button.
#[component]
pub fn AddressView(
    /// The address.
    address: Address,
    /// A name for it ("Account 1"), shown before the address.
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let full = address.to_checksum();
    let short = address.short();
    let svg = Identicon::of(&address).to_svg(24);
    let (copied, set_copied) = signal(false);
    let to_copy = full.clone();
    let copy = move |_| {
        platform::copy_text(&to_copy);
        set_copied.set(true);
    };
    view! {
        <span class="address" title=full.clone()>
            <span class="identicon" aria-hidden="true" inner_html=svg></span>
            {label.map(|l| view! { <span class="address-label">{l}</span> })}
            <code class="address-text" aria-label=format!("address {full}")>{short}</code>
            <button type="button" class="icon-button" on:click=copy aria-label=format!("Copy address {full}")>
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
        </span>
    }
}
