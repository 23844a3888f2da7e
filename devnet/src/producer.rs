//! Block production: every `block_time_ms` the validators make the next
//! block (all of them sign; one aggregate signature), with the state and DA
//! roots from the [`BlockContents`] source and the fault switches that are
//! on, append it to the chain and announce the new head to subscribers.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aloft_light_client::header::{Height, Timestamp};
use tokio::sync::broadcast;

use crate::contents::BlockContents;
use crate::control::Switches;
use crate::headers::{Head, HeaderService};

/// Milliseconds since the Unix epoch, from the system clock.
pub fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Produces one block now. Returns the new head.
pub fn produce_one(service: &HeaderService, contents: &dyn BlockContents, switches: &Switches) -> Option<Head> {
    let mut chain = service.chain.lock().ok()?;
    let height = Height(chain.latest().map_or(1, |h| h.0 + 1));
    let block = chain
        .produce(Timestamp(now_ms()), contents.state_root(height), contents.da_root(height), switches.faults())
        .map_err(|e| eprintln!("aloft-devnet: cannot store block {height}: {e}"))
        .ok()?;
    Some(Head { height: block.height(), hash: block.hash(), time: block.time() })
}

/// Runs the validators until the task is dropped.
pub async fn run(
    service: Arc<HeaderService>,
    contents: Arc<dyn BlockContents>,
    switches: Arc<Switches>,
    block_time: Duration,
    heads: broadcast::Sender<Head>,
) {
    let mut ticks = tokio::time::interval(block_time);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let (service, contents, switches) = (service.clone(), contents.clone(), switches.clone());
        // Signing is CPU work: keep it off the async workers.
        let head = tokio::task::spawn_blocking(move || produce_one(&service, contents.as_ref(), &switches)).await;
        if let Ok(Some(head)) = head {
            // No subscribers is fine.
            let _ = heads.send(head);
        }
    }
}
