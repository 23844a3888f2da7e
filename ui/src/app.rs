//! The app shell: header with the network, navigation, and the routed view.

use leptos::prelude::*;

use crate::platform;
use crate::route::Route;
use crate::views::{AgentsView, HomeView, SettingsView, StatusView, load_status};

/// Where the app is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// The toolbar popup, 360×600.
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

/// The whole wallet UI.
#[component]
pub fn App(
    /// Popup or full page.
    surface: Surface,
) -> impl IntoView {
    let (route, set_route) = signal(Route::from_fragment(&platform::fragment()));
    platform::watch_fragment(move |fragment| set_route.set(Route::from_fragment(&fragment)));
    let status = load_status();
    let class = match surface {
        Surface::Popup => "app popup",
        Surface::Page => "app page",
    };
    view! {
        <div class=class>
            <header class="app-header">
                <span class="brand">"Aloft"</span>
                <span class="network-name" aria-label="network">
                    {move || status.get().and_then(|s| s.ok()).map(|s| s.network_name).unwrap_or_default()}
                </span>
            </header>
            <nav class="app-nav" aria-label="Wallet sections">
                {Route::ALL.into_iter().map(|r| view! {
                    <a href=r.fragment()
                       aria-current=move || (route.get() == r).then_some("page")
                       on:click=move |_| set_route.set(r)>
                        {r.label()}
                    </a>
                }).collect_view()}
            </nav>
            <main class="app-main">
                {move || match route.get() {
                    Route::Home => view! { <HomeView status=status/> }.into_any(),
                    Route::Status => view! { <StatusView status=status/> }.into_any(),
                    Route::Settings => view! { <SettingsView status=status/> }.into_any(),
                    Route::Agents => view! { <AgentsView/> }.into_any(),
                }}
            </main>
        </div>
    }
}
