//! The segment worker pool `aloft upload` and `aloft download` share:
//! `jobs` threads take segment indices in turn from one counter; the first
//! failure raises the abort flag (so the other workers stop at their next
//! segment, and long retries can give up early) and is the one reported.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use aloft_light_client::storage::SegmentIndex;

use crate::progress::Progress;

/// Runs `work(segment, abort)` for segments `0..segments` on `jobs` threads;
/// each success adds its byte count to `progress`. Returns the first error.
pub fn for_each_segment(
    segments: u64,
    jobs: usize,
    progress: &Progress,
    work: impl Fn(SegmentIndex, &AtomicBool) -> anyhow::Result<u64> + Sync,
) -> anyhow::Result<()> {
    let next = AtomicU64::new(0);
    let abort = AtomicBool::new(false);
    let failure: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                while !abort.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= segments {
                        break;
                    }
                    match work(SegmentIndex(i), &abort) {
                        Ok(n) => progress.add(n),
                        Err(e) => {
                            abort.store(true, Ordering::Relaxed);
                            failure.lock().unwrap_or_else(|p| p.into_inner()).get_or_insert(e);
                        }
                    }
                }
            });
        }
    });
    match failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
