//! Empty and loading states, so no view is ever a blank box.

use leptos::prelude::*;

/// Nothing to show yet, and why.
#[component]
pub fn EmptyState(
    /// The headline ("No iNFTs yet").
    #[prop(into)]
    title: String,
    /// What would fill it.
    #[prop(into)]
    hint: String,
) -> impl IntoView {
    view! {
        <div class="empty">
            <p class="empty-title">{title}</p>
            <p class="empty-hint">{hint}</p>
        </div>
    }
}

/// Something is on its way.
#[component]
pub fn Loading(
    /// What is loading, for screen readers and the eye.
    #[prop(into)]
    what: String,
) -> impl IntoView {
    view! { <p class="loading" aria-busy="true" role="status">{format!("Loading {what}…")}</p> }
}
