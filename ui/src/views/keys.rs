//! Key pages: import an account from a raw private key or a v3 keystore
//! file, export an account as a v3 keystore, change the wallet's password.
//! Every secret typed here goes to the engine and is cleared from the page.

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::app::ctx;
use crate::components::{FormError, PasswordField};
use crate::platform;
use crate::route::Route;

/// Runs `command`; on success clears `secrets`, calls `done` with the reply.
fn submit(command: Value, error: RwSignal<String>, secrets: Vec<RwSignal<String>>, done: impl FnOnce(Value) + 'static) {
    error.set(String::new());
    leptos::task::spawn_local(async move {
        match platform::command(command).await {
            Ok(reply) => {
                for s in secrets {
                    s.set(String::new());
                }
                done(reply);
            }
            Err(e) => error.set(e.message),
        }
    });
}

/// Import an account (raw key or keystore) into the unlocked wallet.
#[component]
pub fn ImportAccountView() -> impl IntoView {
    let wallet = ctx();
    let key = RwSignal::new(String::new());
    let keystore = RwSignal::new(String::new());
    let keystore_password = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let added = RwSignal::new(String::new());
    let on_done = move |reply: Value| {
        added.set(reply["address"].as_str().unwrap_or_default().to_string());
        wallet.refresh();
    };
    let import_key = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit(json!({"cmd": "importPrivateKey", "key": key.get_untracked().trim()}), error, vec![key], on_done);
    };
    let import_keystore = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = json!({"cmd": "importKeystore", "json": keystore.get_untracked(), "password": keystore_password.get_untracked()});
        submit(command, error, vec![keystore, keystore_password], on_done);
    };
    view! {
        <section aria-labelledby="import-title">
            <h1 id="import-title">"Import account"</h1>
            <p class="muted">"The key is sealed in the vault with your other keys. Aloft cannot recover an imported key from your recovery phrase: keep its backup."</p>
            <form id="import-key-form" on:submit=import_key>
                <h2>"From a private key"</h2>
                <PasswordField id="import-key" label="Private key (64 hex digits)" value=key autocomplete="off"/>
                <button type="submit" id="import-key-submit" class="primary">"Import key"</button>
            </form>
            <form id="import-keystore-form" on:submit=import_keystore>
                <h2>"From a keystore file (v3 JSON)"</h2>
                <label class="field" for="import-keystore">
                    <span class="field-label">"The file's text"</span>
                    <textarea id="import-keystore" rows="4" spellcheck="false" autocomplete="off" required
                              prop:value=move || keystore.get() on:input=move |ev| keystore.set(event_target_value(&ev))></textarea>
                </label>
                <PasswordField id="import-keystore-password" label="The file's password" value=keystore_password/>
                <button type="submit" id="import-keystore-submit" class="primary">"Import keystore"</button>
            </form>
            {move || (!added.get().is_empty()).then(|| view! {
                <p class="notice ok" role="status">"Imported "<code id="import-added">{added.get()}</code></p>
            })}
            <FormError message=error/>
            <a class="button link" href=Route::Settings.fragment()>"Back to settings"</a>
        </section>
    }
}

/// Export an account as a v3 keystore (scrypt), after the wallet password.
#[component]
pub fn ExportKeystoreView() -> impl IntoView {
    let wallet = ctx();
    let address = RwSignal::new(wallet.ready().and_then(|s| s.accounts.first().map(|a| a.address.clone())).unwrap_or_default());
    let wallet_password = RwSignal::new(String::new());
    let file_password = RwSignal::new(String::new());
    let file_password_again = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let file = RwSignal::new(None::<String>);
    let export = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if file_password.get_untracked() != file_password_again.get_untracked() {
            return error.set("the two file passwords differ".into());
        }
        let command = json!({"cmd": "exportKeystore", "address": address.get_untracked(),
            "walletPassword": wallet_password.get_untracked(), "password": file_password.get_untracked()});
        submit(command, error, vec![wallet_password, file_password, file_password_again], move |reply| {
            file.set(reply["keystore"].as_str().map(str::to_string));
        });
    };
    let file_name = move || format!("aloft-keystore-{}.json", address.get().trim_start_matches("0x"));
    view! {
        <section aria-labelledby="export-title">
            <h1 id="export-title">"Export keystore"</h1>
            <p class="muted">"A keystore file holds one account's key, encrypted with the password you choose for the file (scrypt). Anyone with the file and its password controls the account."</p>
            <form id="export-form" on:submit=export>
                <label class="field" for="export-account">
                    <span class="field-label">"Account"</span>
                    <select id="export-account" on:change=move |ev| address.set(event_target_value(&ev)) prop:value=move || address.get()>
                        {move || wallet.ready().map(|s| s.accounts).unwrap_or_default().into_iter().map(|a| {
                            let short = a.parsed().map(|p| p.short()).unwrap_or_default();
                            view! { <option value=a.address.clone()>{format!("{} · {short}", a.label())}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <PasswordField id="export-wallet-password" label="Your wallet password" value=wallet_password/>
                <PasswordField id="export-file-password" label="A password for the file (at least 8 characters)" value=file_password autocomplete="new-password"/>
                <PasswordField id="export-file-password-again" label="Repeat the file's password" value=file_password_again autocomplete="new-password"/>
                <button type="submit" id="export-submit" class="primary">"Export"</button>
            </form>
            {move || file.get().map(|text| view! {
                <div class="card">
                    <p class="notice ok" role="status">"Keystore ready."</p>
                    <a id="export-download" class="button primary" href=platform::json_data_url(&text) download=file_name()>"Download the file"</a>
                    <details><summary>"Show the file's text"</summary><pre id="export-keystore">{text}</pre></details>
                </div>
            })}
            <FormError message=error/>
            <a class="button link" href=Route::Settings.fragment()>"Back to settings"</a>
        </section>
    }
}

/// Change the wallet's password (the vault is re-sealed under the new one).
#[component]
pub fn ChangePasswordView() -> impl IntoView {
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let changed = RwSignal::new(false);
    let change = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        changed.set(false);
        if new.get_untracked() != again.get_untracked() {
            return error.set("the two new passwords differ".into());
        }
        let command = json!({"cmd": "changePassword", "old": old.get_untracked(), "new": new.get_untracked()});
        submit(command, error, vec![old, new, again], move |_| changed.set(true));
    };
    view! {
        <section aria-labelledby="password-title">
            <h1 id="password-title">"Change password"</h1>
            <p class="muted">"The vault is sealed again under the new password (PBKDF2-SHA256, 600,000 rounds, AES-256-GCM). Your recovery phrase does not change."</p>
            <form id="password-form" on:submit=change>
                <PasswordField id="password-old" label="Current password" value=old/>
                <PasswordField id="password-new" label="New password (at least 8 characters)" value=new autocomplete="new-password"/>
                <PasswordField id="password-new-again" label="Repeat the new password" value=again autocomplete="new-password"/>
                <button type="submit" id="password-submit" class="primary">"Change password"</button>
            </form>
            {move || changed.get().then(|| view! { <p id="password-changed" class="notice ok" role="status">"Password changed."</p> })}
            <FormError message=error/>
            <a class="button link" href=Route::Settings.fragment()>"Back to settings"</a>
        </section>
    }
}
