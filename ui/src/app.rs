//! The app shell: header (brand, network, lock), navigation, and the routed
//! view, the same in the popup, the approval window and the full-page tab.
//!
//! Which screen shows is decided in one place ([`Screen::pick`]) from the
//! route and the engine's status: no wallet → onboarding; locked → unlock;
//! otherwise the route. The approval window is the exception: it shows the
//! request and asks for the password inside it, so a locked wallet never
//! hides what is being asked.

use leptos::prelude::*;
use serde_json::json;

use crate::components::{ErrorBanner, Loading, NetworkOption, NetworkSwitcher};
use crate::engine::WalletStatus;
use crate::platform;
use crate::route::Route;
use crate::views::{
    AgentsView, ApproveView, ChangePasswordView, ExportKeystoreView, HomeView, ImportAccountView, OnboardingView, ReceiveView,
    SendView, SettingsView, StatusView, UnlockView, UploadsView,
};

/// Where the app is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The toolbar popup (and the approval window), 360×600.
    Popup,
    /// The full-page tab.
    Page,
}

impl Surface {
    /// `"page"` is the full page; anything else is the popup.
    pub fn parse(text: &str) -> Self {
        if text == "page" { Surface::Page } else { Surface::Popup }
    }
}

/// The engine's status as the shell holds it: `None` while loading.
pub type StatusSignal = RwSignal<Option<Result<WalletStatus, String>>>;

/// What every view may use: the status, a way to reload it, and the surface.
#[derive(Clone, Copy)]
pub struct WalletCtx {
    /// The engine's status.
    pub status: StatusSignal,
    /// Where the app is shown.
    pub surface: Surface,
}

impl WalletCtx {
    /// Asks the engine for its status again (after any change).
    pub fn refresh(&self) {
        let status = self.status;
        leptos::task::spawn_local(async move {
            status.set(Some(load_status().await));
        });
    }

    /// The status, if loaded and readable.
    pub fn ready(&self) -> Option<WalletStatus> {
        self.status.get().and_then(Result::ok)
    }
}

/// The shell's context (panics only if a view is used outside [`App`] and
/// outside a test that provided one).
pub fn ctx() -> WalletCtx {
    use_context::<WalletCtx>().unwrap_or_else(|| WalletCtx { status: RwSignal::new(None), surface: Surface::Popup })
}

async fn load_status() -> Result<WalletStatus, String> {
    let value = platform::command(json!({"cmd": "status"})).await.map_err(|e| e.message)?;
    WalletStatus::from_value(&value)
}

/// The screen the shell shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Waiting for the engine.
    Loading,
    /// The engine did not answer.
    Broken(String),
    /// No wallet yet (or the onboarding route).
    Onboarding,
    /// The wallet is locked.
    Unlock,
    /// A routed view.
    View(Route),
}

impl Screen {
    /// Decides the screen from the route and the status.
    pub fn pick(route: Route, status: Option<&Result<WalletStatus, String>>) -> Self {
        match (route, status) {
            (Route::Approve, _) => Screen::View(Route::Approve),
            (Route::Onboarding, _) => Screen::Onboarding,
            (_, None) => Screen::Loading,
            (_, Some(Err(e))) => Screen::Broken(e.clone()),
            // The light client's status needs no keys.
            (Route::Status, Some(Ok(_))) => Screen::View(Route::Status),
            (_, Some(Ok(s))) if !s.initialized => Screen::Onboarding,
            (_, Some(Ok(s))) if !s.unlocked => Screen::Unlock,
            (route, Some(Ok(_))) => Screen::View(route),
        }
    }
}

/// The whole wallet UI.
#[component]
pub fn App(
    /// Popup or full page.
    surface: Surface,
) -> impl IntoView {
    let (route, set_route) = signal(Route::from_fragment(&platform::fragment()));
    platform::watch_fragment(move |fragment| set_route.set(Route::from_fragment(&fragment)));
    let status: StatusSignal = RwSignal::new(None);
    let wallet = WalletCtx { status, surface };
    provide_context(wallet);
    wallet.refresh();
    let screen = Memo::new(move |_| status.with(|s| Screen::pick(route.get(), s.as_ref())));
    let class = match surface {
        Surface::Popup => "app popup",
        Surface::Page => "app page",
    };
    let state = move || match status.get() {
        None => "loading",
        Some(Err(_)) => "broken",
        Some(Ok(s)) => s.state_name(),
    };
    let networks = Signal::derive(move || {
        wallet.ready().map(|s| s.networks.into_iter().map(|n| NetworkOption { chain_id: n.chain_id, name: n.name }).collect()).unwrap_or_default()
    });
    let selected = Signal::derive(move || wallet.ready().map(|s| s.network.chain_id).unwrap_or_default());
    let switch_network = Callback::new(move |chain_id: String| {
        leptos::task::spawn_local(async move {
            let _ = platform::command(json!({"cmd": "selectNetwork", "chainId": chain_id})).await;
            wallet.refresh();
        });
    });
    let lock = move |_| {
        leptos::task::spawn_local(async move {
            let _ = platform::command(json!({"cmd": "lock"})).await;
            wallet.refresh();
        });
    };
    let unlocked = move || wallet.ready().is_some_and(|s| s.unlocked);
    let show_nav = move || matches!(screen.get(), Screen::View(r) if r != Route::Approve) || matches!(screen.get(), Screen::Broken(_));
    view! {
        <div class=class data-state=state data-route=move || route.get().fragment()>
            <header class="app-header">
                <span class="brand"><span class="brand-mark" aria-hidden="true">"▲"</span>"Aloft"</span>
                <span class="network-name visually-hidden" aria-label="network">
                    {move || wallet.ready().map(|s| s.network.name).unwrap_or_default()}
                </span>
                <Show when=unlocked fallback=move || view! {
                    <span class="network-label">{move || wallet.ready().map(|s| s.network.name).unwrap_or_default()}</span>
                }>
                    <NetworkSwitcher networks=networks selected=selected on_select=switch_network/>
                    <button type="button" id="lock" class="icon-button" on:click=lock>"Lock"</button>
                </Show>
                {(surface == Surface::Popup).then(|| view! {
                    <a class="icon-button expand" href="wallet.html" target="_blank" rel="noopener" aria-label="Open Aloft in a tab">"⤢"</a>
                })}
            </header>
            <Show when=show_nav>
                <nav class="app-nav" aria-label="Wallet sections">
                    {Route::ALL.into_iter().map(|r| view! {
                        <a href=r.fragment()
                           aria-current=move || (route.get().nav_parent() == Some(r)).then_some("page")
                           on:click=move |_| set_route.set(r)>
                            {r.label()}
                        </a>
                    }).collect_view()}
                </nav>
            </Show>
            <main class="app-main">
                {move || match screen.get() {
                    Screen::Loading => view! { <Loading what="the wallet"/> }.into_any(),
                    Screen::Broken(e) => view! {
                        <ErrorBanner what=format!("The wallet engine did not answer: {e}.")
                                     todo="Close and reopen this window; if it persists, reload the extension in chrome://extensions."/>
                    }.into_any(),
                    Screen::Onboarding => view! { <OnboardingView/> }.into_any(),
                    Screen::Unlock => view! { <UnlockView/> }.into_any(),
                    Screen::View(r) => routed(r),
                }}
            </main>
        </div>
    }
}

fn routed(route: Route) -> AnyView {
    match route {
        Route::Home => view! { <HomeView/> }.into_any(),
        Route::Send => view! { <SendView/> }.into_any(),
        Route::Receive => view! { <ReceiveView/> }.into_any(),
        Route::Status => view! { <StatusView/> }.into_any(),
        Route::Settings => view! { <SettingsView/> }.into_any(),
        Route::Onboarding => view! { <OnboardingView/> }.into_any(),
        Route::Approve => view! { <ApproveView/> }.into_any(),
        Route::ImportAccount => view! { <ImportAccountView/> }.into_any(),
        Route::ExportKeystore => view! { <ExportKeystoreView/> }.into_any(),
        Route::ChangePassword => view! { <ChangePasswordView/> }.into_any(),
        Route::Agents => view! { <AgentsView/> }.into_any(),
        Route::Uploads => view! { <UploadsView/> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::NetworkInfo;

    fn status(initialized: bool, unlocked: bool) -> WalletStatus {
        let network = NetworkInfo { chain_id: "0x7a69".into(), name: "Aloft devnet".into(), rpc_url: None };
        WalletStatus {
            initialized,
            unlocked,
            network: network.clone(),
            networks: vec![network],
            accounts: Vec::new(),
            auto_lock_minutes: 15.0,
            pending_approvals: 0,
        }
    }

    #[test]
    fn the_screen_follows_the_wallet_state() {
        assert_eq!(Screen::pick(Route::Send, None), Screen::Loading);
        assert_eq!(Screen::pick(Route::Send, Some(&Ok(status(false, false)))), Screen::Onboarding);
        assert_eq!(Screen::pick(Route::Send, Some(&Ok(status(true, false)))), Screen::Unlock);
        assert_eq!(Screen::pick(Route::Send, Some(&Ok(status(true, true)))), Screen::View(Route::Send));
        // The approval window shows the request even while locked or loading.
        assert_eq!(Screen::pick(Route::Approve, Some(&Ok(status(true, false)))), Screen::View(Route::Approve));
        assert_eq!(Screen::pick(Route::Approve, None), Screen::View(Route::Approve));
        assert_eq!(Screen::pick(Route::Home, Some(&Err("x".into()))), Screen::Broken("x".into()));
        assert_eq!(Screen::pick(Route::Status, Some(&Ok(status(false, false)))), Screen::View(Route::Status));
    }
}
