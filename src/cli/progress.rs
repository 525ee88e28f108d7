//! Progress of long commands on standard error: an indicatif bar on a terminal, a line per tenth
//! otherwise (logs of a service manager or CI have no use for redrawn bars).

use std::io::IsTerminal;

use indicatif::{ProgressBar as Bar, ProgressStyle};

pub struct ProgressBar {
    unit: &'static str,
    bar: Option<Bar>,
    last_tenth: u64,
}

impl ProgressBar {
    pub fn new(unit: &'static str) -> Self {
        Self {
            unit,
            bar: None,
            last_tenth: u64::MAX,
        }
    }

    pub fn show(&mut self, done: u64, total: u64) {
        if std::io::stderr().is_terminal() {
            let unit = self.unit;
            let bar = self.bar.get_or_insert_with(|| {
                let bar = Bar::new(total);
                let template = format!("{{bar:30}} {{pos}}/{{len}} {unit} ({{eta}} left)");
                if let Ok(style) = ProgressStyle::with_template(&template) {
                    bar.set_style(style);
                }
                bar
            });
            bar.set_length(total);
            bar.set_position(done);
            if done >= total {
                bar.finish();
            }
            return;
        }
        let tenth = (done * 10).checked_div(total).unwrap_or(10);
        if tenth != self.last_tenth {
            self.last_tenth = tenth;
            eprintln!("{done}/{total} {}", self.unit);
        }
    }
}
