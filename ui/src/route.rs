//! Routing: the view to show, from the URL's fragment (`#/status`).
//!
//! Extension pages are static files, so the route lives in the fragment; one
//! enum lists every view, and unknown fragments fall back to home rather than
//! a blank page.

/// Every view of the wallet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Balances and activity.
    Home,
    /// The light client: verified head, validators, DA confidence, peers, forks.
    Status,
    /// Networks, auto-lock, connected sites.
    Settings,
    /// The account's agents (ERC-7857 iNFTs).
    Agents,
}

impl Route {
    /// All routes, in navigation order.
    pub const ALL: [Route; 4] = [Route::Home, Route::Status, Route::Settings, Route::Agents];

    /// Parses a fragment such as `#/status`.
    pub fn from_fragment(fragment: &str) -> Self {
        match fragment.trim_start_matches('#').trim_start_matches('/') {
            "status" => Route::Status,
            "settings" => Route::Settings,
            "agents" => Route::Agents,
            _ => Route::Home,
        }
    }

    /// The fragment that leads here.
    pub fn fragment(self) -> &'static str {
        match self {
            Route::Home => "#/",
            Route::Status => "#/status",
            Route::Settings => "#/settings",
            Route::Agents => "#/agents",
        }
    }

    /// The navigation label.
    pub fn label(self) -> &'static str {
        match self {
            Route::Home => "Home",
            Route::Status => "Light client",
            Route::Settings => "Settings",
            Route::Agents => "Agents",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_round_trip_and_unknown_goes_home() {
        for route in Route::ALL {
            assert_eq!(Route::from_fragment(route.fragment()), route);
        }
        assert_eq!(Route::from_fragment("#/nope"), Route::Home);
        assert_eq!(Route::from_fragment(""), Route::Home);
    }
}
