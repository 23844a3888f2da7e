//! Send: from one of the wallet's accounts to an address, an amount of the
//! network's token. The form checks what it can (a checksummed or plain
//! address, an exact amount); the engine then fetches nonce and fees and
//! opens the same approval window a dapp's transaction gets, so nothing is
//! signed before the user sees the fees.

use leptos::prelude::*;
use serde_json::json;

use crate::app::ctx;
use crate::components::FormError;
use crate::format::address::Address;
use crate::format::amount::{decimal_to_hex, parse_units};
use crate::platform;
use crate::route::Route;

/// Checks a typed recipient and amount; the `0x` value in wei, or what is wrong.
pub fn check_send(to: &str, amount: &str) -> Result<(String, String), String> {
    let to = Address::parse(to.trim()).map_err(|e| format!("Recipient: {e}"))?;
    let wei = parse_units(amount, 18).map_err(|e| format!("Amount: {e}"))?;
    let value = decimal_to_hex(&wei).map_err(|e| format!("Amount: {e}"))?;
    Ok((to.to_checksum(), value))
}

#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Idle,
    Waiting,
    Sent(String),
}

/// The send screen.
#[component]
pub fn SendView() -> impl IntoView {
    let wallet = ctx();
    let from = RwSignal::new(wallet.ready().and_then(|s| s.accounts.first().map(|a| a.address.clone())).unwrap_or_default());
    let to = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let sending = RwSignal::new(Sending::Idle);
    let symbol = move || wallet.ready().map(|s| s.network.symbol()).unwrap_or("ETH");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(String::new());
        let (to, value) = match check_send(&to.get_untracked(), &amount.get_untracked()) {
            Ok(v) => v,
            Err(e) => return error.set(e),
        };
        let from = from.get_untracked();
        sending.set(Sending::Waiting);
        leptos::task::spawn_local(async move {
            match platform::ask("send", Some(json!([{"from": from, "to": to, "value": value}]))).await {
                Ok(hash) => sending.set(Sending::Sent(hash.as_str().unwrap_or_default().to_string())),
                Err(e) => {
                    error.set(e.message);
                    sending.set(Sending::Idle);
                }
            }
        });
    };
    view! {
        <section class="send" aria-labelledby="send-title">
            <h1 id="send-title">"Send"</h1>
            <form id="send-form" on:submit=submit>
                <label class="field" for="send-from">
                    <span class="field-label">"From"</span>
                    <select id="send-from" on:change=move |ev| from.set(event_target_value(&ev)) prop:value=move || from.get()>
                        {move || wallet.ready().map(|s| s.accounts).unwrap_or_default().into_iter().map(|a| {
                            let short = a.parsed().map(|p| p.short()).unwrap_or_else(|| a.address.clone());
                            view! { <option value=a.address.clone()>{format!("{} · {short}", a.label())}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label class="field" for="send-to">
                    <span class="field-label">"To (address)"</span>
                    <input id="send-to" autocomplete="off" spellcheck="false" placeholder="0x…" required bind:value=to/>
                </label>
                <label class="field" for="send-amount">
                    <span class="field-label">{move || format!("Amount ({})", symbol())}</span>
                    <input id="send-amount" inputmode="decimal" autocomplete="off" placeholder="0.0" required bind:value=amount/>
                </label>
                <button type="submit" id="send-submit" class="primary" disabled=move || sending.get() == Sending::Waiting>
                    {move || if sending.get() == Sending::Waiting { "Waiting for approval…" } else { "Review and send" }}
                </button>
            </form>
            {move || match sending.get() {
                Sending::Waiting => view! { <p class="notice" role="status">"Aloft opened its approval window: check the fees there and approve."</p> }.into_any(),
                Sending::Sent(hash) => view! {
                    <p class="notice ok" role="status">"Sent: "<code id="send-hash">{hash}</code></p>
                    <a class="button" href=Route::Home.fragment()>"See it in Activity"</a>
                }.into_any(),
                Sending::Idle => ().into_any(),
            }}
            <FormError message=error/>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sends_are_checked_before_the_engine_sees_them() {
        let (to, value) = check_send("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "0.01").expect("valid");
        assert_eq!(to, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        assert_eq!(value, "0x2386f26fc10000");
        assert!(check_send("0x1234", "1").unwrap_err().starts_with("Recipient"));
        assert!(check_send("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "1e3").unwrap_err().starts_with("Amount"));
    }
}
