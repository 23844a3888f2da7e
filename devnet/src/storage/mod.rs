//! The devnet's storage peers: 0G-style storage nodes that keep erasure-coded
//! shards (and whole 0G segments) of submitted files, on their own loopback
//! ports.
//!
//! In order, for each of the `storage.peers` peers (default 6):
//! 1. [`store::PeerStore`] opens `<data-dir>/storage/peer-<i>/` (or memory)
//!    and rebuilds its index, so a restart serves what was acknowledged;
//! 2. [`peer::PeerState`] answers JSON-RPC (`zgs_*`, `aloft_*Shard`), refusing
//!    roots the [`submissions::SubmissionLog`] does not know (the Flow
//!    contract's `Submit` events, [`flow_log`], or the devnet registry) and
//!    anything whose proof fails;
//! 3. the peer's HTTP server listens on `storage.addr` + i: JSON-RPC on
//!    `POST /`, WebRTC signaling on `POST /webrtc` ([`webrtc`]).
//!
//! The layout of shards across peers is in `docs/protocol.md`, "Storage placement".

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;

pub mod flow_log;
pub mod frames;
pub mod peer;
pub mod store;
pub mod submissions;
pub mod webrtc;

use crate::control::Switches;
use peer::PeerState;
use store::{PeerStore, StoreError};
use submissions::SubmissionLog;

/// `GET /storage/peers` on the control API: the peers' URLs in placement order.
pub fn peers_router(urls: Vec<String>) -> Router {
    let urls = Arc::new(urls);
    Router::new()
        .route("/storage/peers", axum::routing::get(move || async move { axum::Json(urls.as_ref().clone()) }))
        .layer(axum::middleware::from_fn(crate::rpc::cors))
}

/// A bound, not yet serving, storage peer.
#[derive(Debug)]
pub struct BoundPeer {
    /// Its HTTP address.
    pub addr: SocketAddr,
    /// Its state.
    pub state: Arc<PeerState>,
    listener: TcpListener,
}

/// Why the storage peers could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PeersError {
    /// A peer's port could not be bound.
    #[error("cannot listen on {addr} for storage peer {id}: {source} (is another devnet running?)")]
    Bind {
        /// The peer.
        id: usize,
        /// Where.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
    /// A peer's store could not be opened.
    #[error("storage peer {id}: {source}")]
    Store {
        /// The peer.
        id: usize,
        /// The cause.
        source: StoreError,
    },
}

/// Opens every peer's store and binds its port.
pub async fn bind(
    peers: usize,
    first_addr: SocketAddr,
    data_dir: Option<&Path>,
    log: Arc<dyn SubmissionLog>,
    switches: Arc<Switches>,
) -> Result<Vec<BoundPeer>, PeersError> {
    let mut bound = Vec::with_capacity(peers);
    for id in 0..peers {
        let store = match data_dir {
            Some(dir) => PeerStore::open(dir.join("storage").join(format!("peer-{id}")))
                .map_err(|source| PeersError::Store { id, source })?,
            None => PeerStore::in_memory(),
        };
        let mut addr = first_addr;
        if addr.port() != 0 {
            addr.set_port(addr.port() + id as u16);
        }
        let listener = TcpListener::bind(addr).await.map_err(|source| PeersError::Bind { id, addr, source })?;
        let addr = listener.local_addr().map_err(|source| PeersError::Bind { id, addr, source })?;
        let state = Arc::new(PeerState {
            id,
            peers,
            store: Arc::new(store),
            log: log.clone(),
            switches: switches.clone(),
            webrtc_ip: addr.ip(),
            connections: Default::default(),
        });
        bound.push(BoundPeer { addr, state, listener });
    }
    Ok(bound)
}

impl BoundPeer {
    /// Serves the peer until the future is dropped.
    pub async fn serve(self) -> std::io::Result<()> {
        // Dropped when this future ends or is aborted (`Devnet::shutdown`):
        // the peer's WebRTC connections stop with it.
        let _connections = crate::webrtc::StopOnDrop(self.state.clone());
        let router: Router = peer::routes()
            .merge(webrtc::routes())
            .with_state(self.state)
            .layer(axum::middleware::from_fn(crate::rpc::cors));
        axum::serve(self.listener, router).await
    }
}
