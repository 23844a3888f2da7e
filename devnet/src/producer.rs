//! Block production, one cadence for every layer: every `block_time_ms`,
//! or at once when a transaction or a blob waits for a block (interval
//! mining plus mine-on-demand), the producer seals height `h` in the layers
//! below consensus ([`BlockContents::seal`]: EVM block `h`, DA block `h`),
//! and the validators sign header `h` carrying their roots (all of them
//! sign; one aggregate signature) with the fault switches that are on. The
//! header is appended to the chain and announced to subscribers.

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

/// Produces one block now. Returns the new head. Only one producer runs,
/// so the height read first is still the next one when the header is signed;
/// the chain lock is not held while the layers seal (header reads go on).
pub fn produce_one(service: &HeaderService, contents: &dyn BlockContents, switches: &Switches) -> Option<Head> {
    let (height, time) = {
        let chain = service.chain.lock().ok()?;
        let height = Height(chain.latest().map_or(1, |h| h.0 + 1));
        // The header's time is monotonic; the layers get the same time.
        let time = match chain.latest_time() {
            Some(last) if now_ms() <= last.0 => Timestamp(last.0 + 1),
            _ => Timestamp(now_ms()),
        };
        (height, time)
    };
    let (state_root, da_root) = contents
        .seal(height, time)
        .map_err(|e| eprintln!("aloft-devnet: cannot seal block {height}: {e}"))
        .ok()?;
    let mut chain = service.chain.lock().ok()?;
    let block = chain
        .produce(time, state_root, da_root, switches.faults())
        .map_err(|e| eprintln!("aloft-devnet: cannot store block {height}: {e}"))
        .ok()?;
    Some(Head { height: block.height(), hash: block.hash(), time: block.time() })
}

/// Runs the validators until the task is dropped: a block every
/// `block_time`, and one at once when the contents source is woken.
pub async fn run(
    service: Arc<HeaderService>,
    contents: Arc<dyn BlockContents>,
    switches: Arc<Switches>,
    block_time: Duration,
    heads: broadcast::Sender<Head>,
) {
    let wake = contents.wake();
    let mut ticks = tokio::time::interval(block_time);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        match &wake {
            Some(wake) => {
                tokio::select! {
                    _ = ticks.tick() => {}
                    () = wake.notified() => ticks.reset(),
                }
            }
            None => {
                ticks.tick().await;
            }
        }
        let (service, contents, switches) = (service.clone(), contents.clone(), switches.clone());
        // Sealing and signing are CPU work: keep them off the async workers.
        let head = tokio::task::spawn_blocking(move || produce_one(&service, contents.as_ref(), &switches)).await;
        if let Ok(Some(head)) = head {
            // No subscribers is fine.
            let _ = heads.send(head);
        }
    }
}
