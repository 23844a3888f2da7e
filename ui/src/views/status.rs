//! The light client's status: what Aloft itself has verified.
//!
//! Everything here comes from the header client running in the service
//! worker (`lightClient` message, read by [`crate::lightclient`]): the
//! verified head, how far the sync has come against what the header API
//! announces, the trusted validator set with its powers, the headers it
//! refused and why, and fork evidence with an export. The view asks again
//! every two seconds while it is open, so the head visibly advances, and
//! the worker samples the DA block of each head it reports (confidence per
//! block, standing per DA node); where no DA nodes are known it says so
//! instead of showing a number nobody measured.

use std::time::Duration;

use leptos::prelude::*;

use crate::app::ctx;
use crate::components::{ErrorBanner, Loading, Verification, VerifiedBadge};
use crate::lightclient::{self, Availability, DaStatus, LightStatus};
use crate::platform;

const POLL: Duration = Duration::from_secs(2);

async fn fetch() -> Result<LightStatus, String> {
    let value = platform::ask("lightClient", None).await.map_err(|e| e.message)?;
    LightStatus::from_value(&value)
}

/// The light-client status screen.
#[component]
pub fn StatusView() -> impl IntoView {
    let wallet = ctx();
    let status: RwSignal<Option<Result<LightStatus, String>>> = RwSignal::new(None);
    let busy = StoredValue::new(false);
    let refresh = move || {
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        leptos::task::spawn_local(async move {
            let result = fetch().await;
            // A failed poll after a good one keeps the last verified view and
            // shows the failure as the last sync's error.
            status.update(|current| match (current.take(), result) {
                (Some(Ok(mut old)), Err(e)) => {
                    old.last_error = Some(e);
                    *current = Some(Ok(old));
                }
                (_, new) => *current = Some(new),
            });
            busy.set_value(false);
        });
    };
    refresh();
    if let Ok(handle) = set_interval_with_handle(refresh, POLL) {
        on_cleanup(move || handle.clear());
    }
    let badge = Signal::derive(move || match status.get() {
        Some(Ok(s)) if s.last_error.is_none() => Verification::Verified,
        None => Verification::Checking,
        _ => Verification::Unverified,
    });
    view! {
        <section aria-labelledby="status-engine" class="card">
            <h2 id="status-engine">"Light client"</h2>
            <dl class="facts">
                <dt>"Network"</dt><dd>{move || wallet.ready().map(|s| s.network.name).unwrap_or_default()}</dd>
                <dt>"Chain id"</dt><dd>{move || wallet.ready().map(|s| s.network.chain_number()).unwrap_or_default()}</dd>
                <dt>"Head"</dt><dd><VerifiedBadge state=badge/></dd>
            </dl>
        </section>
        {move || match status.get() {
            None => view! { <Loading what="the light client"/> }.into_any(),
            Some(Err(e)) => view! {
                <ErrorBanner what=format!("The light client could not start: {e}.") todo="Nothing on this network is verified. Check that the network's header API is running, or pick another network above."/>
            }.into_any(),
            Some(Ok(s)) => view! { <Details status=s/> }.into_any(),
        }}
    }
}

/// Everything the client reports, once it runs.
#[component]
fn Details(status: LightStatus) -> impl IntoView {
    let head = status.state.head.clone();
    let now = platform::now_ms();
    let synced = status.synced_at.map(|t| lightclient::age(now, t)).unwrap_or_else(|| "never".into());
    let shares = status.shares();
    let forks = status.forks();
    let export = platform::data_url("application/json", &status.evidence_export());
    let rejections = status.recent_rejections(20);
    let rejected_total = status.rejections.len();
    let checkpoint = format!("{}{}", status.state.checkpoint, if status.state.resumed { " (resumed from this browser's store)" } else { "" });
    view! {
        {status.last_error.clone().map(|e| view! {
            <div id="lc-error">
                <ErrorBanner what=format!("The last sync stopped: {e}") todo="The head below is the last one Aloft verified; nothing newer is trusted. The client tries again every few seconds."/>
            </div>
        })}
        <section aria-labelledby="lc-head" class="card">
            <h2 id="lc-head">"Verified head"</h2>
            <dl class="facts">
                <dt>"Height"</dt><dd id="lc-head-height">{head.height}</dd>
                <dt>"Hash"</dt><dd><code id="lc-head-hash" title=head.hash.clone()>{lightclient::short(&head.hash)}</code></dd>
                <dt>"Time"</dt><dd id="lc-head-time">{lightclient::utc(head.header.time)}</dd>
                <dt>"Signed by"</dt><dd id="lc-signers">{format!("{} of {} validators", head.signers, head.validators)}</dd>
                <dt>"State root"</dt><dd><code title=head.header.state_root.clone()>{lightclient::short(&head.header.state_root)}</code></dd>
                <dt>"Proposer"</dt><dd><code title=head.header.proposer.clone()>{lightclient::short(&head.header.proposer)}</code></dd>
            </dl>
        </section>
        <section aria-labelledby="lc-sync-title">
            <h2 id="lc-sync-title">"Sync"</h2>
            <p id="lc-sync">{status.sync_summary()}</p>
            <progress id="lc-progress" max=status.target().max(1).to_string() value=head.height.to_string() aria-labelledby="lc-sync-title"></progress>
            <dl class="facts">
                <dt>"Last sync"</dt><dd id="lc-synced">{synced}</dd>
                <dt>"Commits checked"</dt><dd>{format!("{} this session", status.state.commits_verified)}</dd>
                <dt>"Checkpoint"</dt><dd><code class="wrap">{checkpoint}</code></dd>
            </dl>
        </section>
        <section aria-labelledby="lc-peers">
            <h2 id="lc-peers">"Peers"</h2>
            <dl class="facts" id="lc-sources">
                <dt>"Header API"</dt><dd><code class="wrap">{status.sources.primary.clone()}</code></dd>
                <dt>"Witness"</dt><dd><code class="wrap">{status.sources.witness.clone().unwrap_or_else(|| "none: forks cannot be detected".into())}</code></dd>
            </dl>
            <p class="muted">"Every new head is cross-checked with the witness; two different blocks at one height that both verify are kept as fork evidence."</p>
        </section>
        <section aria-labelledby="lc-validators-title">
            <h2 id="lc-validators-title">{format!("Validators ({})", status.validators.len())}</h2>
            <table class="networks" id="lc-validators">
                <thead><tr><th scope="col">"Address"</th><th scope="col">"Power"</th><th scope="col">"Share"</th></tr></thead>
                <tbody>
                    {status.validators.iter().zip(shares).map(|(v, share)| view! {
                        <tr>
                            <td><code title=v.public_key.clone()>{lightclient::short(&v.address)}</code></td>
                            <td>{v.power}</td>
                            <td>{format!("{share:.1} %")}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="lc-da-title">
            <h2 id="lc-da-title">"Data availability"</h2>
            <p class="muted">"The verified head commits to DA root "<code class="wrap">{lightclient::short(&head.header.da_root)}</code>"; each head this view sees is sampled against the root in its verified header."</p>
            {match status.da.clone() {
                None => view! { <p id="lc-da">"No DA nodes are known for this network: nothing is sampled and no confidence is claimed."</p> }.into_any(),
                Some(da) => view! { <DaBlocks da=da/> }.into_any(),
            }}
        </section>
        <section aria-labelledby="lc-rejections-title">
            <h2 id="lc-rejections-title">{format!("Rejected headers ({rejected_total})")}</h2>
            {if rejections.is_empty() {
                view! { <p class="muted" id="lc-no-rejections">"None: every header served so far verified."</p> }.into_any()
            } else {
                view! {
                    <ul class="rows" id="lc-rejections">
                        {rejections.into_iter().map(|r| view! {
                            <li data-kind=r.kind.clone()>
                                <strong>{format!("Block {} · {} · {}", r.height, r.source, r.kind)}</strong>
                                <p class="reason">{r.reason}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="lc-evidence-title">
            <h2 id="lc-evidence-title">{format!("Fork evidence ({})", status.evidence.len())}</h2>
            {if forks.is_empty() && status.evidence.is_empty() {
                view! { <p class="muted" id="lc-no-evidence">"No fork seen: the witness agreed with every verified head."</p> }.into_any()
            } else {
                view! {
                    <ul class="rows" id="lc-evidence">
                        {forks.into_iter().map(|f| view! {
                            <li>{format!("Height {}: header API {} vs witness {}", f.height, lightclient::short(&f.primary), lightclient::short(&f.witness))}</li>
                        }).collect_view()}
                    </ul>
                    <a class="button" id="lc-export" href=export download="aloft-evidence.json">"Export evidence"</a>
                }.into_any()
            }}
        </section>
    }
}

/// DA confidence per sampled block, and the DA nodes' standing.
#[component]
fn DaBlocks(da: DaStatus) -> impl IntoView {
    let dropped = da.peers.iter().filter(|p| p.dropped.is_some()).count();
    let peers = format!("{} DA nodes, {} dropped", da.peers.len().max(da.nodes.len()), dropped);
    let sampling = if da.sampling { " · sampling a block now" } else { "" };
    view! {
        <p id="lc-da-peers" class="muted">{format!("{peers}{sampling}")}</p>
        {da.error.clone().map(|e| view! { <p class="reason" id="lc-da-error">{format!("Last sampling problem: {e}")}</p> })}
        {if da.blocks.is_empty() {
            view! { <p id="lc-da">"No block sampled yet: the first appears within a few seconds."</p> }.into_any()
        } else {
            view! {
                <table class="networks" id="lc-da">
                    <thead><tr><th scope="col">"Block"</th><th scope="col">"Availability"</th><th scope="col">"Confidence"</th><th scope="col">"Samples"</th></tr></thead>
                    <tbody>
                        {da.blocks.iter().rev().map(|b| {
                            let (state, title) = match &b.availability {
                                Availability::Available => ("available", String::new()),
                                Availability::Pending => ("sampling", String::new()),
                                Availability::Unavailable { reason } => ("unavailable", reason.clone()),
                            };
                            view! {
                                <tr data-availability=state title=title>
                                    <td>{b.height}</td>
                                    <td>{state}</td>
                                    <td>{lightclient::confidence_text(b.confidence)}</td>
                                    <td>{format!("{} of {}", b.samples_verified, b.samples_total)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
