//! Home: the selected network, each account's balance (marked verified or
//! unverified, with the reason), and this wallet's transactions followed to
//! their receipts.

use leptos::prelude::*;

use crate::app::ctx;
use crate::components::{AddressView, EmptyState, ErrorBanner, Loading, Verification, VerifiedBadge};
use crate::engine::{self, ActivityEntry, Reading, ReadingCheck};
use crate::format::address::Address;
use crate::platform;
use crate::route::Route;

type Loaded<T> = RwSignal<Option<Result<Vec<T>, String>>>;

fn load<T: for<'de> serde::Deserialize<'de> + Send + Sync + 'static>(kind: &'static str, what: &'static str, into: Loaded<T>) {
    leptos::task::spawn_local(async move {
        let result = platform::ask(kind, None).await.map_err(|e| e.message).and_then(|v| engine::list(&v, what));
        into.set(Some(result));
    });
}

fn short_hash(hash: &str) -> String {
    if hash.len() > 14 { format!("{}…{}", &hash[..10], &hash[hash.len() - 4..]) } else { hash.to_string() }
}

/// One balance row.
#[component]
pub fn BalanceRow(
    /// The reading.
    reading: Reading,
    /// Its label ("Account 1").
    label: String,
    /// The unit.
    symbol: &'static str,
) -> impl IntoView {
    let (mark, state, title) = match &reading.verification {
        ReadingCheck::Verified { block } => ("verified", Verification::Verified, format!("verified at block {block}")),
        ReadingCheck::Unverified { reason } => ("unverified", Verification::Unverified, reason.clone()),
    };
    let address = Address::parse(&reading.address).ok();
    view! {
        <li class="balance-row" data-verification=mark title=title>
            {address.map(|a| view! { <AddressView address=a label=label/> })}
            <span class="balance">
                <span class="amount">{engine::ether(&reading.balance, symbol)}</span>
                <VerifiedBadge state=state/>
            </span>
        </li>
    }
}

/// One transaction row.
#[component]
pub fn ActivityRow(
    /// The entry.
    entry: ActivityEntry,
    /// The unit.
    symbol: &'static str,
) -> impl IntoView {
    let status_text = match entry.status.as_str() {
        "confirmed" => "Confirmed",
        "failed" => "Failed",
        _ => "Pending",
    };
    let to = entry.to.as_deref().and_then(|t| Address::parse(t).ok()).map(|a| a.short()).unwrap_or_else(|| "new contract".into());
    let value = entry.value.as_deref().map(|v| engine::ether(v, symbol)).unwrap_or_else(|| "—".into());
    let block = entry.block.map(|b| format!(" · block {b}")).unwrap_or_default();
    view! {
        <li class="activity-row" data-status=entry.status.clone()>
            <span class=format!("pill {}", entry.status)>{status_text}</span>
            <span class="activity-what">{format!("Sent {value} to {to}")}</span>
            <code class="activity-hash muted" title=entry.hash.clone()>{format!("{}{block}", short_hash(&entry.hash))}</code>
        </li>
    }
}

/// The home screen.
#[component]
pub fn HomeView() -> impl IntoView {
    let wallet = ctx();
    let readings: Loaded<Reading> = RwSignal::new(None);
    let activity: Loaded<ActivityEntry> = RwSignal::new(None);
    // Reload when the network changes.
    Effect::new(move |_| {
        let _ = wallet.ready().map(|s| s.network.chain_id);
        load("readings", "balances", readings);
        load("activity", "activity", activity);
    });
    let symbol = move || wallet.ready().map(|s| s.network.symbol()).unwrap_or("ETH");
    let label_of = move |address: &str| {
        wallet
            .ready()
            .and_then(|s| s.accounts.into_iter().find(|a| a.address.eq_ignore_ascii_case(address)))
            .map(|a| a.label())
            .unwrap_or_else(|| "Account".into())
    };
    view! {
        <section aria-labelledby="home-network" class="card">
            <h2 id="home-network">{move || wallet.ready().map(|s| s.network.name).unwrap_or_default()}</h2>
            <p class="muted">{move || wallet.ready().map(|s| format!("Chain {} · {}", s.network.chain_number(), s.network.rpc_url.unwrap_or_default())).unwrap_or_default()}</p>
            <div class="actions">
                <a class="button primary" href=Route::Send.fragment()>"Send"</a>
                <a class="button" href=Route::Receive.fragment()>"Receive"</a>
            </div>
        </section>
        <section aria-labelledby="home-accounts">
            <h2 id="home-accounts">"Accounts"</h2>
            {move || match readings.get() {
                None => view! { <Loading what="balances"/> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorBanner what=format!("Balances could not be read: {e}.") todo="Check that the network's RPC is running, or pick another network above."/>
                }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <EmptyState title="No accounts" hint="Add one in Settings → Accounts."/>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul id="accounts" class="rows">
                        {list.into_iter().map(|r| { let label = label_of(&r.address); view! { <BalanceRow reading=r label=label symbol=symbol()/> } }).collect_view()}
                    </ul>
                    <p class="muted small">"Balances marked Unverified are the RPC's word; Aloft marks them Verified once its light client checks them against a verified block header."</p>
                }.into_any(),
            }}
        </section>
        <section aria-labelledby="home-activity">
            <h2 id="home-activity">"Activity"</h2>
            {move || match activity.get() {
                None => view! { <Loading what="activity"/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBanner what=format!("Activity could not be read: {e}.") todo="Try again in a moment."/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <EmptyState title="No transactions yet" hint="Transactions you send from Aloft or approve for a site appear here with their receipts."/>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul id="activity" class="rows">
                        {list.into_iter().map(|e| view! { <ActivityRow entry=e symbol=symbol()/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
