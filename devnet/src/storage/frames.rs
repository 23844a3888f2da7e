//! Binary shard frames on a peer's data channels
//! ([`aloft_light_client::storage::frame`], `docs/protocol.md` "Binary
//! frames"): the same two shard methods as JSON-RPC, with the shard's bytes
//! raw instead of base64. Uploads are answered by the JSON-RPC text answer
//! for the frame's id; downloads by a shard frame, or a JSON-RPC error text.

use std::sync::Arc;

use aloft_light_client::storage::frame::{Frame, Op, shard_frame};
use serde_json::{Value, json};

use super::peer::{PeerError, PeerState};

/// An answer to send back: a text (JSON-RPC) or a binary message.
#[derive(Debug)]
pub enum Answer {
    /// A JSON-RPC answer text.
    Text(Vec<u8>),
    /// A binary frame.
    Binary(Vec<u8>),
}

fn text(id: Value, result: Result<Value, PeerError>) -> Answer {
    let answer = match result {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": e.code, "message": e.message}}),
    };
    Answer::Text(answer.to_string().into_bytes())
}

/// Answers one binary message; `None` while the peer is offline.
pub async fn answer(state: &Arc<PeerState>, bytes: &[u8]) -> Option<Answer> {
    if !state.admit().await {
        return None;
    }
    let frame = match Frame::decode(bytes) {
        Ok(frame) => frame,
        Err(e) => return Some(text(Value::Null, Err(PeerError { code: -32700, message: e.to_string() }))),
    };
    let id = json!(frame.id);
    let bad = |e: aloft_light_client::storage::frame::FrameError| PeerError { code: -32602, message: e.to_string() };
    Some(match frame.op {
        Op::UploadShard => match frame.shard() {
            Ok(Some(shard)) => text(id, state.upload_shard(shard).await.map(|()| Value::Null)),
            Ok(None) => text(id, Err(PeerError { code: -32602, message: "an upload frame needs a shard header".into() })),
            Err(e) => text(id, Err(bad(e))),
        },
        Op::DownloadShard => match frame.download_params() {
            Ok((root, index, shard)) => match state.download_shard(root, index, shard).await {
                Ok(found) => Answer::Binary(shard_frame(Op::Shard, frame.id, found.as_ref())),
                Err(e) => text(id, Err(e)),
            },
            Err(e) => text(id, Err(bad(e))),
        },
        _ => text(id, Err(PeerError { code: -32601, message: "a peer answers shard frames, it takes none".into() })),
    })
}
