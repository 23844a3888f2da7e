//! The verified/unverified badge: the honest answer to "did Aloft check this
//! itself, or is it an RPC's word?".

use leptos::prelude::*;

/// Whether a value was checked by the light client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// Checked against a verified header (state proof, commit signatures).
    Verified,
    /// Shown as the RPC sent it.
    Unverified,
    /// Being checked.
    Checking,
}

/// Shows a verification state with words, not colour alone.
#[component]
pub fn VerifiedBadge(
    /// The state to show.
    #[prop(into)]
    state: Signal<Verification>,
) -> impl IntoView {
    let text = move || match state.get() {
        Verification::Verified => "Verified",
        Verification::Unverified => "Unverified",
        Verification::Checking => "Checking…",
    };
    let class = move || match state.get() {
        Verification::Verified => "badge verified",
        Verification::Unverified => "badge unverified",
        Verification::Checking => "badge checking",
    };
    let title = move || match state.get() {
        Verification::Verified => "Checked by Aloft's light client against a verified block header",
        Verification::Unverified => "As reported by the network's RPC server; not checked by Aloft",
        Verification::Checking => "Aloft is checking this against a verified block header",
    };
    view! { <span class=class title=title role="status">{text}</span> }
}
