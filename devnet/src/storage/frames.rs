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
pub use crate::webrtc::Reply as Answer;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::Switches;
    use crate::storage::store::PeerStore;
    use crate::storage::submissions::DevnetSubmissions;
    use aloft_light_client::storage::{Coding, FileTree, SegmentIndex, ShardIndex};

    fn peer(submitted: Option<&FileTree>) -> Arc<PeerState> {
        let log = DevnetSubmissions::in_memory();
        if let Some(tree) = submitted {
            log.submit(tree.commitment().submission(vec![])).expect("valid submission");
        }
        Arc::new(PeerState {
            id: 0,
            peers: 1,
            store: Arc::new(PeerStore::in_memory()),
            log: Arc::new(log),
            switches: Arc::new(Switches::new(0, 1)),
            webrtc_ip: std::net::IpAddr::from([127, 0, 0, 1]),
            connections: Default::default(),
        })
    }

    fn text_of(answer: Option<Answer>) -> Value {
        match answer {
            Some(Answer::Text(bytes)) => serde_json::from_slice(&bytes).expect("JSON-RPC text"),
            other => panic!("expected a text answer, got {other:?}"),
        }
    }

    /// An upload frame is stored and answered by JSON-RPC text with its id;
    /// a download frame gets the same shard back as a shard frame.
    #[tokio::test]
    async fn shards_go_up_and_come_back_as_frames() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 13) as u8).collect();
        let tree = FileTree::of_bytes(&data).expect("tree");
        let shards = tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(0), &data).expect("shards");
        let state = peer(Some(&tree));
        let up = answer(&state, &shard_frame(Op::UploadShard, 41, Some(&shards[1]))).await;
        assert_eq!(text_of(up), json!({"jsonrpc": "2.0", "id": 41, "result": null}));
        let params = serde_json::to_vec(&json!([tree.root(), 0, 1])).expect("params");
        let Some(Answer::Binary(bytes)) = answer(&state, &Frame::encode(Op::DownloadShard, 42, &params, &[])).await else {
            panic!("a shard frame");
        };
        let frame = Frame::decode(&bytes).expect("frame");
        assert_eq!((frame.op, frame.id), (Op::Shard, 42));
        assert_eq!(frame.shard().expect("header"), Some(shards[1].clone()));
        let missing = serde_json::to_vec(&json!([tree.root(), 0, 2])).expect("params");
        let Some(Answer::Binary(bytes)) = answer(&state, &Frame::encode(Op::DownloadShard, 43, &missing, &[])).await else {
            panic!("a shard frame");
        };
        assert_eq!(Frame::decode(&bytes).expect("frame").shard().expect("header"), None);
        assert_eq!(shards[1].shard, ShardIndex(1));
    }

    /// Unsubmitted roots, forged bytes and garbage get JSON-RPC errors.
    #[tokio::test]
    async fn bad_frames_get_clear_errors() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7) as u8).collect();
        let tree = FileTree::of_bytes(&data).expect("tree");
        let shards = tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(0), &data).expect("shards");
        let unsubmitted = text_of(answer(&peer(None), &shard_frame(Op::UploadShard, 7, Some(&shards[0]))).await);
        assert_eq!(unsubmitted["id"], 7);
        assert_eq!(unsubmitted["error"]["code"], -32000);
        assert!(unsubmitted["error"]["message"].as_str().is_some_and(|m| m.contains("never submitted")), "{unsubmitted}");
        let state = peer(Some(&tree));
        let mut forged = shards[0].clone();
        forged.data[3] ^= 1;
        let refused = text_of(answer(&state, &shard_frame(Op::UploadShard, 8, Some(&forged))).await);
        assert_eq!((refused["id"].clone(), refused["error"]["code"].clone()), (json!(8), json!(-32602)), "{refused}");
        let garbage = text_of(answer(&state, b"{\"not\": \"a frame\"}").await);
        assert_eq!((garbage["id"].clone(), garbage["error"]["code"].clone()), (Value::Null, json!(-32700)), "{garbage}");
        let wrong_op = text_of(answer(&state, &Frame::encode(Op::Shard, 9, b"null", &[])).await);
        assert_eq!(wrong_op["error"]["code"], -32601);
    }
}
