//! A progress bar for long commands, on standard error.

use std::io::{IsTerminal, Write};

/// A one-line bar on a terminal; a line per tenth otherwise (logs).
pub struct ProgressBar {
    unit: &'static str,
    terminal: bool,
    last_tenth: u64,
}

impl ProgressBar {
    pub fn new(unit: &'static str) -> Self {
        Self {
            unit,
            terminal: std::io::stderr().is_terminal(),
            last_tenth: u64::MAX,
        }
    }

    pub fn show(&mut self, done: u64, total: u64) {
        const WIDTH: u64 = 30;
        let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let bar: String = (0..WIDTH)
                .map(|cell| if cell < filled { '█' } else { '░' })
                .collect();
            let _ = write!(err, "\r{bar} {done}/{total} {}", self.unit);
            if done >= total {
                let _ = writeln!(err);
            }
        } else {
            let tenth = (done * 10).checked_div(total).unwrap_or(10);
            if tenth != self.last_tenth {
                self.last_tenth = tenth;
                let _ = writeln!(err, "{done}/{total} {}", self.unit);
            }
        }
    }
}
