//! A transfer's progress: a native <progress> with bytes, speed and time left.

use leptos::prelude::*;

use crate::format::progress::Progress;

/// Shows a transfer's progress.
#[component]
pub fn ProgressBar(
    /// What is moving ("Uploading agent.tar").
    #[prop(into)]
    label: String,
    /// The current snapshot.
    #[prop(into)]
    progress: Signal<Progress>,
) -> impl IntoView {
    let percent = move || progress.get().percent();
    view! {
        <div class="progress">
            <label class="progress-label">
                {label}
                <progress max="100" value=move || format!("{:.1}", percent())></progress>
            </label>
            <p class="progress-summary" aria-live="polite">{move || progress.get().summary()}</p>
        </div>
    }
}
