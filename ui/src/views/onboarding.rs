//! Onboarding: create a wallet (the phrase is shown once, then three of its
//! words are re-typed) or import one from a recovery phrase, a raw private
//! key or a v3 keystore file.
//!
//! The engine draws the phrase, picks the words to confirm and checks them;
//! this view only shows and collects. Secrets typed here are cleared from the
//! page as soon as the engine has them.

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::app::ctx;
use crate::components::{AddressView, FormError, PasswordField};
use crate::format::address::Address;
use crate::platform;
use crate::route::Route;

#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Choose,
    /// The phrase, shown once, and the positions to confirm.
    Phrase(Vec<String>, Vec<usize>),
    Confirm(Vec<usize>),
    Import(ImportKind),
    Done(String),
    AlreadySetUp,
}

/// What an import starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImportKind {
    Phrase,
    Key,
    Keystore,
}

fn two_passwords(a: &RwSignal<String>, b: &RwSignal<String>) -> Result<String, String> {
    let (a, b) = (a.get_untracked(), b.get_untracked());
    if a != b {
        return Err("the two passwords differ".into());
    }
    Ok(a)
}

fn first_account(status: &Value) -> String {
    status.get("accounts").and_then(|a| a.get(0)).and_then(|a| a.get("address")).and_then(Value::as_str).unwrap_or_default().to_string()
}

/// The onboarding screen.
#[component]
pub fn OnboardingView() -> impl IntoView {
    let wallet = ctx();
    let initial = if wallet.ready().is_some_and(|s| s.initialized) { Stage::AlreadySetUp } else { Stage::Choose };
    let stage = RwSignal::new(initial);
    let error = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let password_again = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let keystore_password = RwSignal::new(String::new());
    // The words typed for each asked position, in the order asked.
    let confirm_words = RwSignal::new(Vec::<String>::new());

    let run = move |command: Value, clear: bool| {
        busy.set(true);
        error.set(String::new());
        leptos::task::spawn_local(async move {
            match platform::command(command).await {
                Ok(status) => {
                    if clear {
                        secret.set(String::new());
                        keystore_password.set(String::new());
                    }
                    password.set(String::new());
                    password_again.set(String::new());
                    stage.set(Stage::Done(first_account(&status)));
                }
                Err(e) => error.set(e.message),
            }
            busy.set(false);
        });
    };

    let start_create = move |_| {
        error.set(String::new());
        leptos::task::spawn_local(async move {
            match platform::command(json!({"cmd": "newMnemonic"})).await {
                Ok(fresh) => {
                    let words = fresh["phrase"].as_str().unwrap_or_default().split(' ').map(str::to_string).collect();
                    let positions = fresh["confirm"].as_array().map(|a| a.iter().filter_map(Value::as_u64).map(|p| p as usize).collect()).unwrap_or_default();
                    stage.set(Stage::Phrase(words, positions));
                }
                Err(e) => error.set(e.message),
            }
        });
    };
    let phrase_saved = move |positions: Vec<usize>| {
        confirm_words.set(vec![String::new(); positions.len()]);
        stage.set(Stage::Confirm(positions));
    };
    let submit_confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match two_passwords(&password, &password_again) {
            Err(e) => error.set(e),
            Ok(pw) => {
                let Stage::Confirm(positions) = stage.get_untracked() else { return };
                let words: Vec<(usize, String)> = positions.into_iter().zip(confirm_words.get_untracked()).collect();
                run(json!({"cmd": "confirmMnemonic", "words": words, "password": pw}), false);
            }
        }
    };
    let submit_import = move |kind: ImportKind| {
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match two_passwords(&password, &password_again) {
                Err(e) => error.set(e),
                Ok(pw) => {
                    let text = secret.get_untracked();
                    let command = match kind {
                        ImportKind::Phrase => json!({"cmd": "importMnemonic", "phrase": text, "password": pw}),
                        ImportKind::Key => json!({"cmd": "onboardPrivateKey", "key": text.trim(), "password": pw}),
                        ImportKind::Keystore => json!({"cmd": "onboardKeystore", "json": text, "keystorePassword": keystore_password.get_untracked(), "password": pw}),
                    };
                    run(command, true);
                }
            }
        }
    };
    let new_passwords = move || view! {
        <PasswordField id="new-password" label="New password (at least 8 characters)" value=password autocomplete="new-password"/>
        <PasswordField id="new-password-again" label="Repeat the password" value=password_again autocomplete="new-password"/>
    };

    let body = move || match stage.get() {
        Stage::AlreadySetUp => view! {
            <h1>"Aloft is set up"</h1>
            <p>"This browser already has an Aloft wallet. To use another, import its key in Settings → Import account."</p>
            <a class="button primary" href=Route::Home.fragment() on:click=move |_| wallet.refresh()>"Open the wallet"</a>
        }.into_any(),
        Stage::Choose => view! {
            <h1>"Set up Aloft"</h1>
            <p>"Create a new wallet, or bring one you already have."</p>
            <div class="choices">
                <button type="button" id="start-create" class="primary" on:click=start_create>"Create a new wallet"</button>
                <button type="button" id="start-import" on:click=move |_| stage.set(Stage::Import(ImportKind::Phrase))>"Import a recovery phrase"</button>
                <button type="button" id="start-import-key" on:click=move |_| stage.set(Stage::Import(ImportKind::Key))>"Import a private key"</button>
                <button type="button" id="start-import-keystore" on:click=move |_| stage.set(Stage::Import(ImportKind::Keystore))>"Import a keystore file"</button>
            </div>
        }.into_any(),
        Stage::Phrase(words, positions) => view! {
            <h1>"Your recovery phrase"</h1>
            <p>"Write these 12 words down, in order, and keep them offline. Anyone with them controls your funds; Aloft cannot recover them for you. They are shown only now."</p>
            <ol id="phrase" class="phrase" aria-label="Recovery phrase">
                {words.into_iter().map(|w| view! { <li><code>{w}</code></li> }).collect_view()}
            </ol>
            <button type="button" id="phrase-saved" class="primary" on:click=move |_| phrase_saved(positions.clone())>"I wrote it down"</button>
        }.into_any(),
        Stage::Confirm(positions) => view! {
            <h1>"Confirm your phrase"</h1>
            <p>"Type the words at these positions, then choose the password that unlocks Aloft on this computer."</p>
            <form id="confirm-form" on:submit=submit_confirm>
                <div id="confirm-words" class="confirm-words">
                    {positions.into_iter().enumerate().map(|(i, p)| {
                        let id = format!("confirm-word-{p}");
                        let for_id = id.clone();
                        view! {
                            <label class="field" for=for_id>
                                <span class="field-label">{format!("Word #{p}")}</span>
                                <input id=id autocomplete="off" spellcheck="false" autocapitalize="off" required
                                       on:input=move |ev| confirm_words.update(|w| if let Some(slot) = w.get_mut(i) { *slot = event_target_value(&ev) })/>
                            </label>
                        }
                    }).collect_view()}
                </div>
                <PasswordField id="create-password" label="New password (at least 8 characters)" value=password autocomplete="new-password"/>
                <PasswordField id="create-password-again" label="Repeat the password" value=password_again autocomplete="new-password"/>
                <button type="submit" id="create-submit" class="primary" disabled=move || busy.get()>"Create wallet"</button>
            </form>
        }.into_any(),
        Stage::Import(kind) => {
            let tabs = [(ImportKind::Phrase, "Recovery phrase"), (ImportKind::Key, "Private key"), (ImportKind::Keystore, "Keystore file")];
            view! {
                <h1>"Import a wallet"</h1>
                <div class="tabs" role="tablist" aria-label="Import from">
                    {tabs.into_iter().map(|(k, label)| view! {
                        <button type="button" role="tab" aria-selected=(k == kind).to_string()
                                on:click=move |_| { secret.set(String::new()); stage.set(Stage::Import(k)); }>{label}</button>
                    }).collect_view()}
                </div>
                {match kind {
                    ImportKind::Phrase => view! {
                        <form id="import-form" on:submit=submit_import(ImportKind::Phrase)>
                            <label class="field" for="import-phrase">
                                <span class="field-label">"Recovery phrase (12 to 24 words)"</span>
                                <textarea id="import-phrase" rows="3" autocomplete="off" autocapitalize="off" spellcheck="false" required
                                          prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))></textarea>
                            </label>
                            <PasswordField id="import-password" label="New password (at least 8 characters)" value=password autocomplete="new-password"/>
                            <PasswordField id="import-password-again" label="Repeat the password" value=password_again autocomplete="new-password"/>
                            <button type="submit" id="import-submit" class="primary" disabled=move || busy.get()>"Import wallet"</button>
                        </form>
                    }.into_any(),
                    ImportKind::Key => view! {
                        <form id="import-key-form" on:submit=submit_import(ImportKind::Key)>
                            <PasswordField id="import-key" label="Private key (64 hex digits)" value=secret autocomplete="off"/>
                            {new_passwords()}
                            <button type="submit" id="import-key-submit" class="primary" disabled=move || busy.get()>"Import key"</button>
                        </form>
                    }.into_any(),
                    ImportKind::Keystore => view! {
                        <form id="import-keystore-form" on:submit=submit_import(ImportKind::Keystore)>
                            <label class="field" for="import-keystore">
                                <span class="field-label">"Keystore file (v3 JSON): paste its text"</span>
                                <textarea id="import-keystore" rows="4" autocomplete="off" spellcheck="false" required
                                          prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))></textarea>
                            </label>
                            <PasswordField id="import-keystore-password" label="The file's password" value=keystore_password/>
                            {new_passwords()}
                            <button type="submit" id="import-keystore-submit" class="primary" disabled=move || busy.get()>"Import keystore"</button>
                        </form>
                    }.into_any(),
                }}
                <button type="button" class="link" on:click=move |_| stage.set(Stage::Choose)>"Back"</button>
            }.into_any()
        }
        Stage::Done(account) => {
            let parsed = Address::parse(&account).ok();
            view! {
                <h1>"Your wallet is ready"</h1>
                <p>"First account: "<code id="done-account">{account.clone()}</code></p>
                {parsed.map(|a| view! { <AddressView address=a label="Account 1"/> })}
                <p class="muted">"Open Aloft from the toolbar to see it, or continue here."</p>
                <a class="button primary" href=Route::Home.fragment() on:click=move |_| wallet.refresh()>"Open the wallet"</a>
            }.into_any()
        }
    };
    let done = move || matches!(stage.get(), Stage::Done(_)).then_some("true");
    view! {
        <section class="onboarding" data-done=done aria-live="polite">
            {body}
            <FormError message=error/>
        </section>
    }
}
