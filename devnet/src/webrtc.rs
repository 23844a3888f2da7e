//! WebRTC data channels to a devnet service (a storage peer, a DA node):
//! each channel message is handed to the service's [`ChannelService::answer`]
//! and the answer goes back on the same channel. Shared so every service
//! speaks WebRTC the same way; each service adds its own signaling route and
//! message format.
//!
//! Signaling is one HTTP exchange, WHIP-style: the page POSTs its complete
//! SDP offer (ICE candidates gathered, no trickle) and gets the SDP answer
//! back ([`signal`]). The native side is `str0m` (sans-IO) in ICE-lite mode
//! with one loopback host candidate; the browser's address is learned from
//! its STUN checks. Each connection then runs on its own task with its own
//! UDP socket:
//! 1. flush answers waiting for send-buffer room;
//! 2. drain `poll_output`: send datagrams, handle events (a channel message
//!    starts a task that answers it; its answer comes back over a queue);
//! 3. wait for a datagram, an answer or the next timeout, and feed it in.
//!
//! The throughput settings follow `shared/RESEARCH.md`: a 512 KiB SCTP send
//! buffer (the 128 KiB default never accepts a 256 KiB message), a 4 MiB
//! socket receive buffer, and one datagram fed per `poll_output` round. When
//! the service's `offline` switch is on, signaling answers 503 and live
//! connections are closed (SCTP shutdown and DTLS close_notify), so the page
//! sees its channels close at once.

use std::collections::VecDeque;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::time::Instant;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use str0m::change::SdpOffer;
use str0m::channel::ChannelId;
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::mpsc;

/// The most connections one service keeps at once.
pub const MAX_CONNECTIONS: usize = 64;
/// str0m's SCTP send buffer: above the 256 KiB message limit, below the
/// 1 MiB where sctp-proto turns CPU-bound.
const SCTP_SEND_BUFFER: usize = 512 * 1024;
/// The UDP receive buffer asked of the kernel.
const SOCKET_RECV_BUFFER: usize = 4 * 1024 * 1024;

static CRYPTO: Once = Once::new();
static LIVE: AtomicUsize = AtomicUsize::new(0);

/// What a service behind data channels provides.
pub trait ChannelService: Send + Sync + 'static {
    /// Names the service in messages, e.g. "storage peer 3".
    fn label(&self) -> String;
    /// Whether the service's `offline` switch is on.
    fn offline(&self) -> bool;
    /// The answer to one channel message, or `None` for none.
    fn answer(self: Arc<Self>, message: Message) -> impl Future<Output = Option<Reply>> + Send;
    /// The service's connection tasks.
    fn connections(&self) -> &Connections;
}

/// One data-channel message as the page sent it.
#[derive(Debug)]
pub struct Message {
    /// Sent as a binary message (`ArrayBuffer`), not as text.
    pub binary: bool,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// An answer to send back on the channel a message came from.
#[derive(Debug)]
pub enum Reply {
    /// A text message (JSON-RPC).
    Text(Vec<u8>),
    /// A binary message (a frame).
    Binary(Vec<u8>),
}

/// Why an offer was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignalingError {
    /// The body is not an SDP offer.
    #[error("the body must be an SDP offer: {0}")]
    BadOffer(String),
    /// str0m could not answer it.
    #[error("cannot answer the offer: {0}")]
    Answer(String),
    /// No socket for the connection.
    #[error("cannot open a UDP socket: {0}")]
    Socket(#[from] std::io::Error),
    /// Too many connections.
    #[error("too many WebRTC connections to this service")]
    Busy,
}

/// Answers `offer` and starts the connection's task; returns the SDP answer.
/// `max_live` caps the connections of every service in the process at once.
pub async fn accept<S: ChannelService>(service: Arc<S>, ip: IpAddr, offer: &str, max_live: usize) -> Result<String, SignalingError> {
    CRYPTO.call_once(|| str0m::crypto::from_feature_flags().install_process_default());
    if LIVE.load(Ordering::Relaxed) >= max_live {
        return Err(SignalingError::Busy);
    }
    let offer = SdpOffer::from_sdp_string(offer).map_err(|e| SignalingError::BadOffer(e.to_string()))?;
    let socket = std::net::UdpSocket::bind(SocketAddr::new(ip, 0))?;
    let socket2 = socket2::SockRef::from(&socket);
    let _ = socket2.set_recv_buffer_size(SOCKET_RECV_BUFFER);
    socket.set_nonblocking(true)?;
    let socket = UdpSocket::from_std(socket)?;
    let local = socket.local_addr()?;
    let mut rtc = RtcConfig::new()
        .set_ice_lite(true)
        .set_sctp_max_buffered_amount(SCTP_SEND_BUFFER)
        .build(Instant::now());
    let candidate = Candidate::host(local, "udp").map_err(|e| SignalingError::Answer(e.to_string()))?;
    rtc.add_local_candidate(candidate);
    let answer = rtc.sdp_api().accept_offer(offer).map_err(|e| SignalingError::Answer(e.to_string()))?;
    LIVE.fetch_add(1, Ordering::Relaxed);
    let task_service = service.clone();
    service.connections().spawn(async move {
        let _live = Live;
        drive(rtc, socket, local, task_service).await;
    });
    Ok(answer.to_sdp_string())
}

/// The signaling answer for `offer`: the SDP answer, or 503 while the
/// service is offline or busy, 400 for a bad offer.
pub async fn signal<S: ChannelService>(service: Arc<S>, ip: IpAddr, offer: &str, max_live: usize) -> Response {
    if service.offline() {
        return (StatusCode::SERVICE_UNAVAILABLE, format!("{} is offline (devnet switch)", service.label())).into_response();
    }
    match accept(service, ip, offer, max_live).await {
        Ok(answer) => ([(header::CONTENT_TYPE, "application/sdp")], answer).into_response(),
        Err(e @ SignalingError::Busy) => (StatusCode::SERVICE_UNAVAILABLE, e.to_string()).into_response(),
        Err(e @ SignalingError::BadOffer(_)) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Counts a connection in [`LIVE`] until dropped (also when aborted).
struct Live;

impl Drop for Live {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// A service's WebRTC connection tasks. Each runs until its peer
/// disconnects; [`StopOnDrop`] aborts the rest when the service stops, so
/// `Devnet::shutdown` leaves no connection task behind.
#[derive(Debug, Default)]
pub struct Connections(std::sync::Mutex<tokio::task::JoinSet<()>>);

impl Connections {
    /// Starts a connection task (finished ones are reaped on the way).
    pub fn spawn(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        let Ok(mut set) = self.0.lock() else { return };
        while set.try_join_next().is_some() {}
        set.spawn(task);
    }

    /// Aborts every connection task.
    pub fn abort_all(&self) {
        if let Ok(mut set) = self.0.lock() {
            set.abort_all();
        }
    }
}

/// Aborts a service's connection tasks when dropped.
pub struct StopOnDrop<S: ChannelService>(pub Arc<S>);

impl<S: ChannelService> Drop for StopOnDrop<S> {
    fn drop(&mut self) {
        self.0.connections().abort_all();
    }
}

/// The connection's loop (steps 1 to 3 of the module docs).
async fn drive<S: ChannelService>(mut rtc: Rtc, socket: UdpSocket, local: SocketAddr, service: Arc<S>) {
    let (answers_tx, mut answers) = mpsc::unbounded_channel::<(ChannelId, bool, Vec<u8>)>();
    let mut outbox: VecDeque<(ChannelId, bool, Vec<u8>)> = VecDeque::new();
    let mut buf = vec![0u8; 65_536];
    let mut closing = false;
    loop {
        if service.offline() && !closing {
            closing = true;
            let _ = rtc.close();
        }
        while let Some((id, binary, bytes)) = outbox.front() {
            let Some(mut channel) = rtc.channel(*id) else {
                outbox.pop_front();
                continue;
            };
            match channel.write(*binary, bytes) {
                Ok(true) => {
                    outbox.pop_front();
                }
                Ok(false) if bytes.len() > SCTP_SEND_BUFFER => {
                    eprintln!("aloft-devnet: {}: answer of {} bytes exceeds the send buffer", service.label(), bytes.len());
                    outbox.pop_front();
                }
                Ok(false) => break,
                Err(_) => {
                    outbox.pop_front();
                }
            }
        }
        let deadline = loop {
            match rtc.poll_output() {
                Ok(Output::Timeout(at)) => break at,
                Ok(Output::Transmit(t)) => {
                    let _ = socket.send_to(&t.contents, t.destination).await;
                }
                Ok(Output::Event(event)) => match event {
                    Event::ChannelOpen(id, _) => {
                        if let Some(mut channel) = rtc.channel(id) {
                            channel.set_buffered_amount_low_threshold(SCTP_SEND_BUFFER / 2);
                        }
                    }
                    Event::ChannelData(data) => {
                        let (service, tx, id) = (service.clone(), answers_tx.clone(), data.id);
                        tokio::spawn(async move {
                            let message = Message { binary: data.binary, data: data.data };
                            let answer = match service.answer(message).await {
                                Some(Reply::Text(bytes)) => (id, false, bytes),
                                Some(Reply::Binary(bytes)) => (id, true, bytes),
                                None => return,
                            };
                            let _ = tx.send(answer);
                        });
                    }
                    Event::IceConnectionStateChange(IceConnectionState::Disconnected) => return,
                    _ => {}
                },
                Err(_) => return,
            }
        };
        if !rtc.is_alive() {
            return;
        }
        tokio::select! {
            received = socket.recv_from(&mut buf) => {
                let Ok((n, source)) = received else { return };
                let Ok(contents) = buf[..n].try_into() else { continue };
                let input = Input::Receive(Instant::now(), Receive { proto: Protocol::Udp, source, destination: local, contents });
                if rtc.handle_input(input).is_err() {
                    return;
                }
            }
            Some(answer) = answers.recv() => outbox.push_back(answer),
            _ = tokio::time::sleep_until(tokio::time::Instant::from_std(deadline)) => {
                if rtc.handle_input(Input::Timeout(Instant::now())).is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Left from the storage issue: connection tasks outlived `Devnet::shutdown`.
    #[tokio::test]
    async fn connection_tasks_stop_when_the_peer_stops_serving() {
        let connections = Connections::default();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        connections.spawn(async move {
            let _tx = tx;
            std::future::pending::<()>().await;
        });
        connections.abort_all();
        assert!(rx.await.is_err(), "the aborted task dropped its sender");
    }
}
