//! Transfer progress as people read it: percent, bytes, speed and time left.

/// A snapshot of a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes done.
    pub done: u64,
    /// Bytes in all.
    pub total: u64,
    /// Milliseconds since the transfer started.
    pub elapsed_ms: u64,
    /// Bytes already done when it started (a resumed upload): in the
    /// percentage, not in the speed.
    pub resumed: u64,
}

impl Progress {
    /// Reads a progress report of the storage uploader and downloader
    /// (`{done, total, already, elapsedMs}`, numbers of bytes and ms).
    pub fn from_report(report: &serde_json::Value) -> Option<Progress> {
        let n = |key: &str| report.get(key).and_then(serde_json::Value::as_f64).filter(|v| v.is_finite() && *v >= 0.0);
        Some(Progress {
            done: n("done")? as u64,
            total: n("total")? as u64,
            elapsed_ms: n("elapsedMs").unwrap_or(0.0) as u64,
            resumed: n("already").unwrap_or(0.0) as u64,
        })
    }

    /// Percent done, 0–100 (100 for an empty transfer).
    pub fn percent(&self) -> f64 {
        if self.total == 0 { 100.0 } else { (self.done.min(self.total) as f64) * 100.0 / self.total as f64 }
    }

    /// Mean speed in MiB/s so far, if any time has passed.
    pub fn mib_per_s(&self) -> Option<f64> {
        (self.elapsed_ms > 0).then(|| self.moved() as f64 / 1_048_576.0 / (self.elapsed_ms as f64 / 1000.0))
    }

    /// Bytes moved since the transfer started.
    fn moved(&self) -> u64 {
        self.done.saturating_sub(self.resumed)
    }

    /// Seconds left at the mean speed so far.
    pub fn eta_s(&self) -> Option<u64> {
        let rate = self.moved() as f64 / (self.elapsed_ms as f64 / 1000.0);
        (self.elapsed_ms > 0 && self.moved() > 0).then(|| (self.total.saturating_sub(self.done) as f64 / rate).ceil() as u64)
    }

    /// One line: `12.0 of 64.0 MiB · 8.5 MiB/s · about 7 s left`.
    pub fn summary(&self) -> String {
        let mib = |b: u64| b as f64 / 1_048_576.0;
        let mut s = format!("{:.1} of {:.1} MiB", mib(self.done), mib(self.total));
        if let Some(speed) = self.mib_per_s() {
            s.push_str(&format!(" · {speed:.1} MiB/s"));
        }
        match self.eta_s() {
            _ if self.done >= self.total => s.push_str(" · done"),
            Some(eta) => s.push_str(&format!(" · about {} left", duration(eta))),
            None => s.push_str(" · starting"),
        }
        s
    }
}

/// `45 s`, `3 min 20 s`, `1 h 5 min`.
pub fn duration(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speed_and_time_left() {
        let p = Progress { done: 16 * 1_048_576, total: 64 * 1_048_576, elapsed_ms: 2_000, resumed: 0 };
        assert_eq!(p.percent(), 25.0);
        assert_eq!(p.mib_per_s(), Some(8.0));
        assert_eq!(p.eta_s(), Some(6));
        assert_eq!(p.summary(), "16.0 of 64.0 MiB · 8.0 MiB/s · about 6 s left");
    }

    #[test]
    fn edges_say_starting_and_done() {
        let start = Progress { done: 0, total: 10, elapsed_ms: 0, resumed: 0 };
        assert_eq!(start.summary(), "0.0 of 0.0 MiB · starting");
        let done = Progress { done: 10, total: 10, elapsed_ms: 5, resumed: 0 };
        assert!(done.summary().ends_with("done"));
        assert_eq!(Progress { done: 0, total: 0, elapsed_ms: 0, resumed: 0 }.percent(), 100.0);
        let resumed = Progress { done: 48 * 1_048_576, total: 64 * 1_048_576, elapsed_ms: 2_000, resumed: 32 * 1_048_576 };
        assert_eq!(resumed.percent(), 75.0);
        assert_eq!(resumed.summary(), "48.0 of 64.0 MiB · 8.0 MiB/s · about 2 s left");
        let report = serde_json::json!({"done": 3.0, "total": 8, "already": 1, "elapsedMs": 250.5, "bytesPerSecond": 8, "etaSeconds": null});
        assert_eq!(Progress::from_report(&report), Some(Progress { done: 3, total: 8, elapsed_ms: 250, resumed: 1 }));
        assert_eq!(Progress::from_report(&serde_json::json!({"done": -1, "total": 8})), None);
        assert_eq!(Progress::from_report(&serde_json::json!({"total": 8})), None);
        assert_eq!(duration(200), "3 min 20 s");
        assert_eq!(duration(3900), "1 h 5 min");
    }
}
