//! The approval queue: requests that need the user, one at a time.
//!
//! Every signature, transaction, connection and network addition becomes an
//! [`Approval`] with a fresh 128-bit random [`ApprovalId`]. Only the head of
//! the queue is shown; resolving anything but the head is refused (stale),
//! and an id that was already resolved is refused as a replay, so a page
//! (or a second click) can never approve something the user did not see.

use std::collections::{BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::origin::Origin;

/// A random approval id (32 hex digits).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ApprovalId(pub String);

impl ApprovalId {
    /// From 16 random bytes.
    pub fn from_random(bytes: [u8; 16]) -> Self {
        Self(hex::encode(bytes))
    }
}

/// Why a decision was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApprovalError {
    /// The id was already decided.
    #[error("approval {0} was already decided")]
    Replayed(String),
    /// The id is not the request being shown (or never existed).
    #[error("approval {0} is not the request being shown")]
    Stale(String),
}

/// One request waiting for the user.
#[derive(Debug, Clone)]
pub struct Approval<K> {
    /// Its id.
    pub id: ApprovalId,
    /// Who asked.
    pub origin: Origin,
    /// What for.
    pub kind: K,
}

/// The queue.
#[derive(Debug)]
pub struct Queue<K> {
    items: VecDeque<Approval<K>>,
    decided: BTreeSet<ApprovalId>,
}

impl<K> Default for Queue<K> {
    fn default() -> Self {
        Self { items: VecDeque::new(), decided: BTreeSet::new() }
    }
}

impl<K> Queue<K> {
    /// Appends a request.
    pub fn push(&mut self, approval: Approval<K>) {
        self.items.push_back(approval);
    }

    /// The request being shown.
    pub fn current(&self) -> Option<&Approval<K>> {
        self.items.front()
    }

    /// Number waiting (including the current one).
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Takes the current request if `id` names it.
    pub fn take(&mut self, id: &ApprovalId) -> Result<Approval<K>, ApprovalError> {
        if self.decided.contains(id) {
            return Err(ApprovalError::Replayed(id.0.clone()));
        }
        if self.items.front().is_none_or(|a| &a.id != id) {
            return Err(ApprovalError::Stale(id.0.clone()));
        }
        self.decided.insert(id.clone());
        self.items.pop_front().ok_or_else(|| ApprovalError::Stale(id.0.clone()))
    }

    /// Removes every waiting request (e.g. the user closed the window).
    pub fn drain(&mut self) -> Vec<Approval<K>> {
        for a in &self.items {
            self.decided.insert(a.id.clone());
        }
        self.items.drain(..).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_head_can_be_decided_and_only_once() {
        let origin = Origin::parse("https://a.example").expect("origin");
        let mut q = Queue::default();
        q.push(Approval { id: ApprovalId::from_random([1; 16]), origin: origin.clone(), kind: "first" });
        q.push(Approval { id: ApprovalId::from_random([2; 16]), origin, kind: "second" });
        let second = ApprovalId::from_random([2; 16]);
        let first = ApprovalId::from_random([1; 16]);
        assert_eq!(q.take(&second).unwrap_err(), ApprovalError::Stale(second.0.clone()));
        assert_eq!(q.take(&first).expect("head").kind, "first");
        assert_eq!(q.take(&first).unwrap_err(), ApprovalError::Replayed(first.0.clone()));
        assert_eq!(q.current().map(|a| a.kind), Some("second"));
        assert_eq!(q.drain().len(), 1);
        assert_eq!(q.take(&second).unwrap_err(), ApprovalError::Replayed(second.0.clone()));
        assert!(q.is_empty());
    }
}
