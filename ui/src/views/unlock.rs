//! Unlock: the password, and the engine's answer (a wrong password is said
//! as such, nothing else is revealed).

use leptos::prelude::*;
use serde_json::json;

use crate::app::ctx;
use crate::components::{FormError, PasswordField};
use crate::platform;

/// The unlock screen.
#[component]
pub fn UnlockView() -> impl IntoView {
    let wallet = ctx();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(String::new());
        let pw = password.get_untracked();
        leptos::task::spawn_local(async move {
            match platform::command(json!({"cmd": "unlock", "password": pw})).await {
                Ok(_) => {
                    password.set(String::new());
                    wallet.refresh();
                }
                Err(e) => error.set(e.message),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="unlock" aria-labelledby="unlock-title">
            <h1 id="unlock-title">"Welcome back"</h1>
            <p class="muted">"Aloft is locked. Your keys stay encrypted until you unlock it."</p>
            <form id="unlock" on:submit=submit>
                <PasswordField id="unlock-password" label="Password" value=password/>
                <button type="submit" id="unlock-submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { "Unlocking…" } else { "Unlock" }}
                </button>
            </form>
            <FormError message=error/>
        </section>
    }
}
