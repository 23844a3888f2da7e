//! Agents: the iNFTs (ERC-7857) an account of the wallet holds, each with its
//! ownership verified by the light client; minting a new one from files;
//! and one agent's detail with everything its holder can do (decrypt,
//! authorize, delegate, transfer, clone, claim).
//!
//! The list comes from the agent contract's Transfer logs, checked with
//! `ownerOf`. A token with no log (the devnet's genesis agent, or one a
//! contract created without the event) can be imported by id, as wallets
//! import NFTs; imported ids are kept per account and listed while the
//! account owns them.
//!
//! Minting and decrypting move ciphertext over WebRTC, which needs the
//! full-page wallet; the popup lists and acts, and points to the tab for
//! those two.

mod card;
mod detail;
mod mint;
mod requests;

use leptos::prelude::*;

use card::AgentCard;
use detail::AgentDetail;
use mint::MintPanel;

use crate::app::{Surface, ctx};
use crate::components::{EmptyState, ErrorBanner, Loading, Verification, VerifiedBadge};

/// The agents gallery, the mint form, and the detail of the agent opened.
#[component]
pub fn AgentsView() -> impl IntoView {
    let wallet = ctx();
    let accounts = move || wallet.ready().map(|s| s.accounts.into_iter().map(|a| a.address).collect::<Vec<_>>()).unwrap_or_default();
    let account = RwSignal::new(accounts().into_iter().next().unwrap_or_default());
    let cards = RwSignal::new(None::<Result<Vec<AgentCard>, String>>);
    let open = RwSignal::new(None::<String>);
    let import_id = RwSignal::new(String::new());
    let import_error = RwSignal::new(None::<String>);

    let reload = move || {
        let who = account.get_untracked();
        leptos::task::spawn_local(async move {
            let list = if who.is_empty() { Err("the wallet has no account yet".to_string()) } else { requests::tokens(&who).await };
            // An answer for an account no longer selected is dropped.
            if account.get_untracked() == who {
                cards.set(Some(list));
            }
        });
    };
    reload();
    let switch = move |ev| {
        account.set(event_target_value(&ev));
        open.set(None);
        cards.set(None);
        reload();
    };
    let import = move |_| {
        import_error.set(None);
        let id = match requests::token_id(&import_id.get_untracked()) {
            Ok(id) => id,
            Err(e) => return import_error.set(Some(e)),
        };
        let who = account.get_untracked();
        leptos::task::spawn_local(async move {
            match requests::import(&who, &id).await {
                Ok(_) => {
                    import_id.set(String::new());
                    reload();
                }
                Err(e) => import_error.set(Some(e)),
            }
        });
    };
    let close = Callback::new(move |()| open.set(None));
    let changed = Callback::new(move |()| reload());
    let minted = Callback::new(move |()| reload());

    let gallery = move || match cards.get() {
        None => view! { <Loading what="your agents"/> }.into_any(),
        Some(Err(e)) => view! {
            <ErrorBanner what=format!("Your agents could not be listed: {e}.")
                         todo="Check that the wallet is unlocked and the network is reachable, then reopen this view."/>
        }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <EmptyState title="No agents yet" hint="Mint one from your agent's files below, or import one you hold by its id."/>
        }.into_any(),
        Some(Ok(list)) => view! {
            <ul class="agents rows">
                {list.into_iter().map(|c| {
                    let id = c.token_id.clone();
                    let state = if c.verified { Verification::Verified } else { Verification::Unverified };
                    view! {
                        <li data-token-id=c.token_id.clone() title=c.note.clone()>
                            <button type="button" class="link-button agent-open" on:click=move |_| open.set(Some(id.clone()))>
                                <strong>{format!("#{} · {}", c.token_id, c.name)}</strong>
                            </button>" "
                            <VerifiedBadge state=state/>
                            <code class="muted">{c.data_hash.clone()}</code>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any(),
    };

    view! {
        <section class="agents-view" aria-labelledby="agents-title">
            <h1 id="agents-title">"Agents"</h1>
            <label class="field" for="agents-account">
                <span class="field-label">"Account"</span>
                <select id="agents-account" on:change=switch prop:value=move || account.get()>
                    {move || accounts().into_iter().map(|a| view! { <option value=a.clone()>{a.clone()}</option> }).collect_view()}
                </select>
            </label>
            {move || match open.get() {
                Some(id) => view! {
                    <AgentDetail account=account token_id=id surface=wallet.surface on_close=close on_changed=changed/>
                }.into_any(),
                None => view! {
                    <section class="card" aria-labelledby="agents-list-title">
                        <h2 id="agents-list-title">"Your agents"</h2>
                        {gallery}
                        <div class="field-row">
                            <label class="field" for="agent-import-id">
                                <span class="field-label">"Import an agent by its id"</span>
                                <input type="text" id="agent-import-id" inputmode="numeric" placeholder="0" autocomplete="off"
                                       aria-describedby="agent-import-hint"
                                       on:input=move |ev| import_id.set(event_target_value(&ev)) prop:value=move || import_id.get()/>
                            </label>
                            <button type="button" class="button" id="agent-import" on:click=import
                                    prop:disabled=move || import_id.get().trim().is_empty()>"Import"</button>
                        </div>
                        <p class="muted" id="agent-import-hint">"For an agent this account holds that the list does not show (one minted without a Transfer event, such as the devnet's genesis agent #0). Its ownership is checked before it is added."</p>
                        {move || import_error.get().map(|e| view! { <p class="form-error" id="agent-import-error" role="alert">{e}</p> })}
                    </section>
                    {match wallet.surface {
                        Surface::Page => view! { <MintPanel account=account on_minted=minted/> }.into_any(),
                        Surface::Popup => view! {
                            <p class="muted">"Minting moves your agent's files to the storage peers, which runs in the full-page wallet."</p>
                            <p><a class="button" id="open-agents" href="wallet.html#/agents" target="_blank" rel="noopener">"Open agents in a tab"</a></p>
                        }.into_any(),
                    }}
                }.into_any(),
            }}
        </section>
    }
}
