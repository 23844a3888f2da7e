//! The error banner: what happened, and what to do about it.

use leptos::prelude::*;

/// An error said in two parts, both shown.
#[component]
pub fn ErrorBanner(
    /// What happened, in the user's terms.
    #[prop(into)]
    what: String,
    /// What the user can do.
    #[prop(into)]
    todo: String,
) -> impl IntoView {
    view! {
        <div class="banner error" role="alert">
            <p class="banner-what">{what}</p>
            <p class="banner-todo">{todo}</p>
        </div>
    }
}
