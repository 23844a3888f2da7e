//! Routing: the view to show, from the URL's fragment (`#/status`).
//!
//! Extension pages are static files, so the route lives in the fragment; one
//! enum lists every view, and unknown fragments fall back to home rather than
//! a blank page. The same routes serve the popup (`popup.html`), the approval
//! window (`popup.html#/approve`) and the full-page tab (`wallet.html`).

/// Every view of the wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Balances and activity.
    Home,
    /// Send the native token.
    Send,
    /// Show an address to receive at.
    Receive,
    /// The light client: verified head, validators, DA confidence, peers, forks.
    Status,
    /// Networks, auto-lock, connected sites, accounts, security.
    Settings,
    /// Create or import a wallet.
    Onboarding,
    /// The approval window: the request at the head of the queue.
    Approve,
    /// Import an account from a raw key or a v3 keystore.
    ImportAccount,
    /// Export an account as a v3 keystore.
    ExportKeystore,
    /// Change the wallet's password.
    ChangePassword,
    /// The account's agents (ERC-7857 iNFTs).
    Agents,
    /// Files to and from the storage network.
    Uploads,
}

impl Route {
    /// The routes in the navigation bar, in order.
    pub const ALL: [Route; 7] =
        [Route::Home, Route::Send, Route::Receive, Route::Status, Route::Settings, Route::Agents, Route::Uploads];

    /// Every route (navigation and the others), for tests and screenshots.
    pub const EVERY: [Route; 12] = [
        Route::Home,
        Route::Send,
        Route::Receive,
        Route::Status,
        Route::Settings,
        Route::Onboarding,
        Route::Approve,
        Route::ImportAccount,
        Route::ExportKeystore,
        Route::ChangePassword,
        Route::Agents,
        Route::Uploads,
    ];

    /// Parses a fragment such as `#/status`.
    pub fn from_fragment(fragment: &str) -> Self {
        let path = fragment.trim_start_matches('#').trim_start_matches('/');
        Route::EVERY.into_iter().find(|r| r.fragment().trim_start_matches("#/") == path && !path.is_empty()).unwrap_or(Route::Home)
    }

    /// The fragment that leads here.
    pub fn fragment(self) -> &'static str {
        match self {
            Route::Home => "#/",
            Route::Send => "#/send",
            Route::Receive => "#/receive",
            Route::Status => "#/status",
            Route::Settings => "#/settings",
            Route::Onboarding => "#/onboarding",
            Route::Approve => "#/approve",
            Route::ImportAccount => "#/accounts/import",
            Route::ExportKeystore => "#/accounts/export",
            Route::ChangePassword => "#/settings/password",
            Route::Agents => "#/agents",
            Route::Uploads => "#/uploads",
        }
    }

    /// The navigation label (and the view's name).
    pub fn label(self) -> &'static str {
        match self {
            Route::Home => "Home",
            Route::Send => "Send",
            Route::Receive => "Receive",
            Route::Status => "Light client",
            Route::Settings => "Settings",
            Route::Onboarding => "Set up",
            Route::Approve => "Approve",
            Route::ImportAccount => "Import account",
            Route::ExportKeystore => "Export keystore",
            Route::ChangePassword => "Change password",
            Route::Agents => "Agents",
            Route::Uploads => "Uploads",
        }
    }

    /// The navigation entry to mark current while this view is shown.
    pub fn nav_parent(self) -> Option<Route> {
        match self {
            Route::ImportAccount | Route::ExportKeystore | Route::ChangePassword => Some(Route::Settings),
            Route::Onboarding | Route::Approve => None,
            other => Some(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_round_trip_and_unknown_goes_home() {
        for route in Route::EVERY {
            assert_eq!(Route::from_fragment(route.fragment()), route);
        }
        assert_eq!(Route::from_fragment("#/nope"), Route::Home);
        assert_eq!(Route::from_fragment(""), Route::Home);
        assert_eq!(Route::from_fragment("#/accounts"), Route::Home);
        assert_eq!(Route::ImportAccount.nav_parent(), Some(Route::Settings));
    }
}
