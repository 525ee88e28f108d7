//! Worst cases of rendering an answer (Markdown → sanitized HTML) within the shape limits: each
//! input fills the 20,000 characters an answer may have, as deep, long or wide as the limits
//! allow; and the shapes beyond the limits, to show what refusing them costs.
//!
//! `cargo run --release --example bench_render -- [ROUNDS]`

use std::time::{Duration, Instant};

use faqtory::domain::{AnswerText, ShapeLimits};

const MAX: usize = AnswerText::MAX_CHARS;

fn fill(unit: &str) -> String {
    unit.repeat(MAX / unit.chars().count())
}

fn nested_lists() -> String {
    let block: String = (0..ShapeLimits::NESTING)
        .map(|depth| format!("{}- x\n", "  ".repeat(depth)))
        .collect();
    let block = format!("{block}\n");
    let blocks = (MAX / block.len()).min(ShapeLimits::LIST_ITEMS / ShapeLimits::NESTING);
    block.repeat(blocks)
}

fn nested_quotes() -> String {
    let block = "> ".repeat(ShapeLimits::NESTING) + "x\n\n";
    fill(&block)
}

fn nested_emphasis() -> String {
    let markers: Vec<&str> = (0..ShapeLimits::INLINE_NESTING)
        .map(|i| if i % 2 == 0 { "*" } else { "_" })
        .collect();
    let open: Vec<String> = markers.iter().map(|m| format!("{m}a")).collect();
    let close: Vec<String> = markers.iter().rev().map(|m| format!("a{m}")).collect();
    fill(&format!("{} z {}\n\n", open.join(" "), close.join(" ")))
}

fn many_items() -> String {
    let item = "- an item of a list that is long\n";
    item.repeat(ShapeLimits::LIST_ITEMS.min(MAX / item.len()))
}

fn big_table() -> String {
    let columns = 10;
    let rows = ShapeLimits::TABLE_CELLS / columns - 1;
    let row = "|cell".repeat(columns) + "|\n";
    format!(
        "{}{}{}",
        row,
        "|-".repeat(columns) + "|\n",
        row.repeat(rows.min(MAX / row.len() - 2))
    )
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(50);
    let accepted = [
        ("16-deep lists, repeated", nested_lists()),
        ("16-deep quotes, repeated", nested_quotes()),
        ("16-deep emphasis, repeated", nested_emphasis()),
        ("1,000 list items", many_items()),
        ("a 2,000-cell table", big_table()),
        ("plain prose", fill("The answer is in the documentation. ")),
    ];
    let refused = [
        ("9,999 nested lists", "- ".repeat(MAX / 2 - 1) + "x"),
        ("9,999 nested quotes", "> ".repeat(MAX / 2 - 1) + "x"),
    ];
    println!("rendering one answer, {rounds} rounds each (p50 / p99 / max):");
    let mut worst = Duration::ZERO;
    for (name, markdown) in accepted.iter().chain(refused.iter()) {
        let mut times = Vec::with_capacity(rounds);
        let mut outcome = "";
        for _ in 0..rounds {
            let started = Instant::now();
            let result = AnswerText::parse(markdown);
            times.push(started.elapsed());
            outcome = if result.is_ok() {
                "rendered"
            } else {
                "refused"
            };
        }
        times.sort();
        let max = *times.last().unwrap_or(&Duration::ZERO);
        if outcome == "rendered" {
            worst = worst.max(max);
        }
        println!(
            "  {name:<28} {:>6} chars  {outcome:<8}  {:>8.2?} / {:>8.2?} / {:>8.2?}",
            markdown.chars().count(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            max
        );
    }
    println!("worst accepted answer: {worst:.2?} (target: under 50 ms)");
}
