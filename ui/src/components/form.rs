//! Form pieces: the error line every form shows under its fields, and a
//! labelled password field. A form's error says what went wrong in the
//! engine's words (which never contain a secret).

use leptos::prelude::*;

/// The form's error line (`role=alert`, so screen readers hear it). Empty
/// when there is nothing to say.
#[component]
pub fn FormError(
    /// The message, or empty.
    #[prop(into)]
    message: Signal<String>,
) -> impl IntoView {
    view! { <p id="error" class="form-error" role="alert">{move || message.get()}</p> }
}

/// A labelled password input bound to `value`.
#[component]
pub fn PasswordField(
    /// The input's id (the label points at it).
    id: &'static str,
    /// The label.
    label: &'static str,
    /// The value.
    value: RwSignal<String>,
    /// `new-password` or `current-password`.
    #[prop(default = "current-password")]
    autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <label class="field" for=id>
            <span class="field-label">{label}</span>
            <input id=id type="password" autocomplete=autocomplete required bind:value=value/>
        </label>
    }
}
