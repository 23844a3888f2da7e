//! Which file roots were submitted to the flow contract, and with what length.
//!
//! Storage peers accept segments only for a submitted root (0G's nodes learn
//! roots from the flow contract's `Submit` events). They ask through the
//! [`SubmissionLog`] trait, so the source can change without touching them.
//!
//! Two implementations: [`super::flow_log::FlowSubmissionLog`] reads the
//! Flow contract's `Submit` events on the devnet's chain, and
//! [`DevnetSubmissions`] here is **a stand-in for the on-chain log** for
//! clients that cannot sign a transaction yet (the browser page and
//! `aloft upload`, until the wallet signs `Flow.submit`): a registry fed by
//! the devnet itself through `POST /storage/submissions` on the control API,
//! which validates each flow `Submission` with the contract's rules
//! ([`Submission::check`]) and derives its root by folding the nodes
//! ([`Submission::root`]). It is persisted in `--data-dir` (write, fsync,
//! rename) so a restart keeps it. The devnet asks both
//! ([`super::flow_log::EitherLog`], built in `Devnet::spawn`); dropping the
//! registry from that list leaves the chain as the only source.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use aloft_light_client::storage::{Root, StorageError, Submission};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A submission as the log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmittedFile {
    /// Position in the log, from 0 (the flow contract's submission index).
    pub seq: u64,
    /// The file root the submission commits to.
    pub root: Root,
    /// First flow entry (chunk) of the file: the sum of earlier submissions' capacities.
    pub start_entry_index: u64,
    /// The submission itself.
    pub submission: Submission,
}

impl SubmittedFile {
    /// The file length in bytes.
    pub fn size(&self) -> u64 {
        self.submission.length
    }
}

/// Where storage peers learn which roots were submitted.
pub trait SubmissionLog: Send + Sync + std::fmt::Debug + 'static {
    /// The submission of `root`, if there was one.
    fn submitted(&self, root: &Root) -> Option<SubmittedFile>;
}

/// Why a submission was refused or could not be recorded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SubmitError {
    /// The flow contract would revert on it.
    #[error("the flow contract would refuse this submission: {0}")]
    Invalid(#[from] StorageError),
    /// The registry could not be written.
    #[error("cannot persist the submission log {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The stored registry is not readable.
    #[error("the submission log {path} is corrupt: {source}")]
    Corrupt {
        /// The file.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
}

/// The devnet's own submission registry (see the module docs: the stand-in
/// for the Flow contract's log).
#[derive(Debug, Default)]
pub struct DevnetSubmissions {
    file: Option<PathBuf>,
    inner: RwLock<Registry>,
}

#[derive(Debug, Default)]
struct Registry {
    files: Vec<SubmittedFile>,
    by_root: HashMap<Root, usize>,
}

impl DevnetSubmissions {
    /// An empty registry kept in memory only.
    pub fn in_memory() -> Self {
        Self::default()
    }

    /// The registry kept in `dir/submissions.json`, loaded if present.
    pub fn open(dir: &Path) -> Result<Self, SubmitError> {
        let file = dir.join("submissions.json");
        let path = file.display().to_string();
        let files: Vec<SubmittedFile> = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| SubmitError::Corrupt { path, source })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => return Err(SubmitError::Io { path, source }),
        };
        let by_root = files.iter().enumerate().map(|(i, f)| (f.root, i)).collect();
        Ok(Self { file: Some(file), inner: RwLock::new(Registry { files, by_root }) })
    }

    /// Records a submission after the flow contract's checks; submitting the
    /// same root again returns the first record.
    pub fn submit(&self, submission: Submission) -> Result<SubmittedFile, SubmitError> {
        submission.check()?;
        let root = submission.root().ok_or(StorageError::InvalidSubmission("no nodes"))?;
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if let Some(&i) = inner.by_root.get(&root) {
            return Ok(inner.files[i].clone());
        }
        let (seq, start_entry_index) = inner.files.last().map_or((0, 0), |last| {
            let capacity = u64::try_from(last.submission.capacity()).unwrap_or(u64::MAX);
            (last.seq + 1, last.start_entry_index.saturating_add(capacity))
        });
        let record = SubmittedFile { seq, root, start_entry_index, submission };
        inner.files.push(record.clone());
        if let Some(file) = &self.file {
            if let Err(e) = persist(file, &inner.files) {
                inner.files.pop();
                return Err(e);
            }
        }
        let position = inner.files.len() - 1;
        inner.by_root.insert(root, position);
        Ok(record)
    }

    /// Every submission, in order.
    pub fn all(&self) -> Vec<SubmittedFile> {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).files.clone()
    }
}

impl SubmissionLog for DevnetSubmissions {
    fn submitted(&self, root: &Root) -> Option<SubmittedFile> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.by_root.get(root).map(|&i| inner.files[i].clone())
    }
}

/// Writes the whole log next to its place, syncs it, then renames it over.
fn persist(file: &Path, files: &[SubmittedFile]) -> Result<(), SubmitError> {
    let io = |source| SubmitError::Io { path: file.display().to_string(), source };
    let bytes = serde_json::to_vec_pretty(files).map_err(|e| io(std::io::Error::other(e)))?;
    super::store::write_durably(file, &bytes).map_err(io)
}

async fn submit(State(log): State<Arc<DevnetSubmissions>>, body: axum::body::Bytes) -> Response {
    let submission: Submission = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(e) => {
            return (StatusCode::BAD_REQUEST, format!("the body must be a flow submission {{length, tags, nodes}}: {e}"))
                .into_response();
        }
    };
    match log.submit(submission) {
        Ok(record) => Json(json!({"root": record.root, "seq": record.seq, "length": record.size()})).into_response(),
        Err(e @ SubmitError::Invalid(_)) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

async fn list(State(log): State<Arc<DevnetSubmissions>>) -> Json<Vec<SubmittedFile>> {
    Json(log.all())
}

/// `POST /storage/submissions` (a flow `Submission` in its SDK JSON form) and
/// `GET /storage/submissions`, mounted on the control API.
pub fn router(log: Arc<DevnetSubmissions>) -> Router {
    Router::new()
        .route("/storage/submissions", post(submit).get(list))
        .route("/storage/submissions/", get(list))
        .with_state(log)
        .layer(axum::middleware::from_fn(crate::rpc::cors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use aloft_light_client::storage::FileCommitment;

    #[test]
    fn valid_submissions_are_recorded_and_persisted() -> Result<(), Box<dyn std::error::Error>> {
        let dir = std::env::temp_dir().join(format!("aloft-submissions-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let log = DevnetSubmissions::open(&dir)?;
        let a = FileCommitment::of_bytes(&[1u8; 5000])?;
        let b = FileCommitment::of_bytes(&[2u8; 300])?;
        let first = log.submit(a.submission(vec![]))?;
        assert_eq!((first.seq, first.root, first.size()), (0, a.root, 5000));
        let second = log.submit(b.submission(vec![]))?;
        assert_eq!(second.seq, 1);
        assert_eq!(second.start_entry_index, 20, "5000 bytes take 20 chunks");
        assert_eq!(log.submit(a.submission(vec![]))?.seq, 0, "resubmitting is idempotent");
        drop(log);
        let reopened = DevnetSubmissions::open(&dir)?;
        assert_eq!(reopened.submitted(&b.root), Some(second));
        assert!(reopened.submitted(&Root([9; 32])).is_none());
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    #[test]
    fn invalid_submissions_are_refused() {
        let log = DevnetSubmissions::in_memory();
        let bad = Submission { length: 10, tags: vec![], nodes: vec![] };
        assert!(matches!(log.submit(bad), Err(SubmitError::Invalid(_))));
        assert!(log.all().is_empty());
    }
}
