//! A progress line on stderr: bytes done of total, MB/s and ETA, redrawn in
//! place a few times a second by its own thread, so workers only add bytes.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A running progress line; [`Progress::finish`] prints the final state.
pub struct Progress {
    done: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn line(verb: &str, done: u64, total: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(1e-3);
    let rate = done as f64 / secs;
    let eta = if rate > 0.0 && total > done { (total - done) as f64 / rate } else { 0.0 };
    let percent = if total == 0 { 100.0 } else { 100.0 * done as f64 / total as f64 };
    format!(
        "{verb} {:.1}/{:.1} MiB ({percent:.0}%)  {:.1} MiB/s  ETA {:.0}s",
        mib(done),
        mib(total),
        rate / (1024.0 * 1024.0),
        eta
    )
}

impl Progress {
    /// Starts drawing `verb done/total` on stderr.
    pub fn start(verb: &'static str, total: u64) -> Self {
        let done = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (d, s) = (done.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let start = Instant::now();
            let mut stderr = std::io::stderr();
            while !s.load(Ordering::Relaxed) {
                let _ = write!(stderr, "\r\x1b[2K{}", line(verb, d.load(Ordering::Relaxed), total, start.elapsed()));
                let _ = stderr.flush();
                std::thread::sleep(Duration::from_millis(200));
            }
            let _ = writeln!(stderr, "\r\x1b[2K{}", line(verb, d.load(Ordering::Relaxed), total, start.elapsed()));
        });
        Self { done, stop, thread: Some(thread) }
    }

    /// Adds finished bytes.
    pub fn add(&self, bytes: u64) {
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Stops the line, leaving its last state printed.
    pub fn finish(mut self) {
        self.stop_thread();
    }

    fn stop_thread(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_shows_bytes_rate_and_eta() {
        let text = line("upload", 10 << 20, 40 << 20, Duration::from_secs(2));
        assert_eq!(text, "upload 10.0/40.0 MiB (25%)  5.0 MiB/s  ETA 6s");
    }
}
