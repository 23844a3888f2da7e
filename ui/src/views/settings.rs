//! Settings: networks, auto-lock, connected sites (with revoke), accounts
//! (add, import, export as keystore) and security (change password).

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::app::ctx;
use crate::components::{AddressView, EmptyState, FormError};
use crate::platform;
use crate::route::Route;

/// The settings screen.
#[component]
pub fn SettingsView() -> impl IntoView {
    let wallet = ctx();
    let error = RwSignal::new(String::new());
    let notice = RwSignal::new(String::new());
    let minutes = RwSignal::new(wallet.ready().map(|s| s.auto_lock_minutes.to_string()).unwrap_or_default());
    let sites = RwSignal::new(None::<Vec<String>>);
    let load_sites = move || {
        leptos::task::spawn_local(async move {
            match platform::command(json!({"cmd": "permissions"})).await {
                Ok(list) => sites.set(Some(
                    list.as_array().into_iter().flatten().filter_map(|p| p["origin"].as_str().map(str::to_string)).collect(),
                )),
                Err(e) => error.set(e.message),
            }
        });
    };
    load_sites();
    let act = move |command: Value, done: &'static str| {
        error.set(String::new());
        notice.set(String::new());
        leptos::task::spawn_local(async move {
            match platform::command(command).await {
                Ok(_) => {
                    notice.set(done.into());
                    wallet.refresh();
                    load_sites();
                }
                Err(e) => error.set(e.message),
            }
        });
    };
    let save_minutes = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match minutes.get_untracked().trim().parse::<f64>() {
            Ok(m) => act(json!({"cmd": "setAutoLock", "minutes": m}), "Auto-lock saved."),
            Err(_) => error.set("auto-lock takes a number of minutes, like 15".into()),
        }
    };
    view! {
        <section aria-labelledby="settings-networks">
            <h2 id="settings-networks">"Networks"</h2>
            <table class="networks">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Chain id"</th><th scope="col"><span class="visually-hidden">"Selected"</span></th></tr></thead>
                <tbody>
                    {move || wallet.ready().map(|s| s.networks.into_iter().map(|n| {
                        let selected = n.chain_id == s.network.chain_id;
                        let id = n.chain_id.clone();
                        view! {
                            <tr>
                                <td>{n.name.clone()}</td>
                                <td>{n.chain_number()}</td>
                                <td>{if selected {
                                    view! { <span class="pill confirmed">"Selected"</span> }.into_any()
                                } else {
                                    view! { <button type="button" class="icon-button" aria-label=format!("Use {}", n.name)
                                        on:click=move |_| act(json!({"cmd": "selectNetwork", "chainId": id.clone()}), "Network switched.")>"Use"</button> }.into_any()
                                }}</td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
            <p class="muted small">"Sites can add networks with wallet_addEthereumChain; you approve each one."</p>
        </section>
        <section aria-labelledby="settings-autolock">
            <h2 id="settings-autolock">"Auto-lock"</h2>
            <form class="inline" on:submit=save_minutes>
                <label class="field" for="autolock-minutes">
                    <span class="field-label">"Lock after this many idle minutes (0.5 to 1440)"</span>
                    <input id="autolock-minutes" type="number" min="0.5" max="1440" step="0.5" bind:value=minutes/>
                </label>
                <button type="submit" id="autolock-save">"Save"</button>
            </form>
        </section>
        <section aria-labelledby="settings-sites">
            <h2 id="settings-sites">"Connected sites"</h2>
            {move || match sites.get() {
                None => ().into_any(),
                Some(list) if list.is_empty() => view! { <EmptyState title="No connected sites" hint="Sites you connect to appear here; you can disconnect them at any time."/> }.into_any(),
                Some(list) => view! {
                    <ul id="sites" class="rows">
                        {list.into_iter().map(|origin| {
                            let o = origin.clone();
                            view! {
                                <li class="site-row">
                                    <span class="site-origin">{origin.clone()}</span>
                                    <button type="button" class="icon-button" aria-label=format!("Disconnect {origin}")
                                            on:click=move |_| act(json!({"cmd": "revoke", "origin": o.clone()}), "Site disconnected.")>"Disconnect"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
        <section aria-labelledby="settings-accounts">
            <h2 id="settings-accounts">"Accounts"</h2>
            <ul class="rows">
                {move || wallet.ready().map(|s| s.accounts).unwrap_or_default().into_iter().filter_map(|a| {
                    let label = a.label();
                    a.parsed().map(|p| view! { <li><AddressView address=p label=label/></li> })
                }).collect_view()}
            </ul>
            <div class="actions">
                <button type="button" id="add-account" on:click=move |_| act(json!({"cmd": "addAccount"}), "Account added.")>"Add account"</button>
                <a class="button" href=Route::ImportAccount.fragment()>"Import account"</a>
                <a class="button" href=Route::ExportKeystore.fragment()>"Export keystore"</a>
            </div>
        </section>
        <section aria-labelledby="settings-security">
            <h2 id="settings-security">"Security"</h2>
            <div class="actions">
                <a class="button" href=Route::ChangePassword.fragment()>"Change password"</a>
            </div>
        </section>
        <p class="notice ok" role="status">{move || notice.get()}</p>
        <FormError message=error/>
    }
}
