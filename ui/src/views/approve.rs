//! The approval window: the request at the head of the engine's queue, and
//! the user's decision sent back with its id. The engine refuses stale or
//! replayed ids; when the queue is empty the window closes itself.
//!
//! A locked wallet still shows what is asked; the password is asked for in
//! this window and Approve stays disabled until it is given.

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::app::ctx;
use crate::components::{ApprovalCard, FormError, Loading, PasswordField};
use crate::platform;

/// The approval screen.
#[component]
pub fn ApproveView() -> impl IntoView {
    let wallet = ctx();
    let current = RwSignal::new(None::<Value>);
    let error = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let load = move || {
        leptos::task::spawn_local(async move {
            match platform::command(json!({"cmd": "currentApproval"})).await {
                Ok(Value::Null) => {
                    current.set(Some(Value::Null));
                    platform::close_window();
                }
                Ok(v) => current.set(Some(v)),
                Err(e) => error.set(e.message),
            }
        });
    };
    load();
    let decide = move |approve: bool| {
        let Some(id) = current.get_untracked().and_then(|c| c["id"].as_str().map(str::to_string)) else { return };
        busy.set(true);
        error.set(String::new());
        leptos::task::spawn_local(async move {
            match platform::command(json!({"cmd": "resolve", "id": id, "approve": approve})).await {
                Ok(reply) if reply["next"] == Value::Bool(false) => {
                    current.set(Some(Value::Null));
                    platform::close_window();
                }
                Ok(_) => load(),
                Err(e) => {
                    error.set(e.message);
                    load();
                }
            }
            busy.set(false);
        });
    };
    let unlock = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pw = password.get_untracked();
        leptos::task::spawn_local(async move {
            match platform::command(json!({"cmd": "unlock", "password": pw})).await {
                Ok(_) => {
                    password.set(String::new());
                    error.set(String::new());
                    wallet.refresh();
                    load();
                }
                Err(e) => error.set(e.message),
            }
        });
    };
    let locked = move || current.get().is_some_and(|c| c["locked"] == Value::Bool(true));
    let id = move || current.get().and_then(|c| c["id"].as_str().map(str::to_string));
    let kind = move || current.get().and_then(|c| c["detail"]["type"].as_str().map(str::to_string));
    let ready = move || current.get().is_some_and(|c| !c.is_null()).then_some("true");
    view! {
        <section class="approval" data-ready=ready data-approval-id=id data-approval-type=kind aria-live="polite">
            {move || match current.get() {
                None => view! { <Loading what="the request"/> }.into_any(),
                Some(Value::Null) => view! { <p class="muted">"No request is waiting. This window closes itself."</p> }.into_any(),
                Some(approval) => view! { <ApprovalCard approval=approval/> }.into_any(),
            }}
            <Show when=locked>
                <form id="approval-unlock" on:submit=unlock>
                    <PasswordField id="approval-password" label="Aloft is locked: password" value=password/>
                    <button type="submit" id="approval-unlock-submit">"Unlock"</button>
                </form>
            </Show>
            <div class="decision">
                <button type="button" id="reject" disabled=move || busy.get() || current.get().is_none_or(|c| c.is_null())
                        on:click=move |_| decide(false)>"Reject"</button>
                <button type="button" id="approve" class="primary" disabled=move || busy.get() || locked() || current.get().is_none_or(|c| c.is_null())
                        on:click=move |_| decide(true)>"Approve"</button>
            </div>
            <FormError message=error/>
        </section>
    }
}
