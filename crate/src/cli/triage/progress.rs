//! The progress bar: on a terminal's standard error, once a run has taken a second.

// Short runs stay quiet and piped runs always do: a bar in a log file or a CI transcript is noise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    bytes: AtomicU64,
    started: Instant,
    shown: AtomicBool,
    terminal: bool,
}

impl Progress {
    /// `total`: the input's size in bytes, or 0 when unknown (standard input).
    pub fn new(total: u64) -> Progress {
        let bar = ProgressBar::with_draw_target(
            (total > 0).then_some(total),
            ProgressDrawTarget::hidden(),
        );
        let template = if total > 0 {
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta}) {msg}"
        } else {
            "{spinner} [{elapsed_precise}] {bytes} read {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Progress {
            bar,
            bytes: AtomicU64::new(0),
            started: Instant::now(),
            shown: AtomicBool::new(false),
            terminal: std::io::stderr().is_terminal(),
        }
    }

    /// The counter the readers add the bytes they read to.
    pub fn bytes(&self) -> &AtomicU64 {
        &self.bytes
    }

    pub fn tick(&self, records: u64) {
        if !self.shown.load(Ordering::Relaxed) {
            if !self.terminal || self.started.elapsed() < DELAY {
                return;
            }
            self.shown.store(true, Ordering::Relaxed);
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(200));
        }
        self.bar.set_position(self.bytes.load(Ordering::Relaxed));
        self.bar.set_message(format!("{records} records"));
    }

    /// Runs `f` (a message on standard error) without the bar drawn over it.
    pub fn suspend(&self, f: impl FnOnce()) {
        self.bar.suspend(f);
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
