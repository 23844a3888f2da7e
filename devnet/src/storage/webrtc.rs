//! WebRTC data channels to a storage peer, carrying the same JSON-RPC
//! messages as its HTTP endpoint ([`PeerState::answer`]) as text messages,
//! and binary shard frames ([`super::frames`]) as binary messages; the connection
//! machinery is the devnet's shared [`crate::webrtc`]. Signaling:
//! `POST /webrtc` with the page's SDP offer, the SDP answer back.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;

use super::frames;
use super::peer::PeerState;
pub use crate::webrtc::{Connections, SignalingError};
use crate::webrtc::{ChannelService, MAX_CONNECTIONS, Message, Reply};

impl ChannelService for PeerState {
    fn label(&self) -> String {
        format!("storage peer {}", self.id)
    }
    fn offline(&self) -> bool {
        PeerState::offline(self)
    }
    async fn answer(self: Arc<Self>, message: Message) -> Option<Reply> {
        if message.binary {
            frames::answer(&self, &message.data).await
        } else {
            PeerState::answer(&self, &message.data).await.map(|v| Reply::Text(v.to_string().into_bytes()))
        }
    }
    fn connections(&self) -> &Connections {
        &self.connections
    }
}

async fn signal(State(state): State<Arc<PeerState>>, body: String) -> Response {
    let (ip, max_live) = (state.webrtc_ip, MAX_CONNECTIONS * state.peers.max(1));
    crate::webrtc::signal(state, ip, &body, max_live).await
}

/// `POST /webrtc`: the page's SDP offer in, the peer's SDP answer out.
pub fn routes() -> Router<Arc<PeerState>> {
    Router::new().route("/webrtc", post(signal))
}
