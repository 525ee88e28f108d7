//! How long the server takes to lay out and draw a word cloud: WORDS (2,000) distinct words with
//! Zipf-like counts (the most frequent said by 400 people), laid out 20 times; prints the median
//! and the slowest, and how many words were drawn.
//!
//! cargo run --release --example bench_word_cloud

use std::time::{Duration, Instant};

use faqtory::views::polls::word_cloud::{layout, word_cloud};

fn main() {
    let words: usize = std::env::var("WORDS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(2_000);
    let counted: Vec<(String, u64)> = (0..words)
        .map(|rank| (format!("word{rank}"), (400 / (rank + 1)).max(1) as u64))
        .collect();
    let mut layouts: Vec<Duration> = Vec::new();
    let mut drawings: Vec<Duration> = Vec::new();
    let mut placed = 0;
    for _ in 0..20 {
        let started = Instant::now();
        placed = layout(&counted).len();
        layouts.push(started.elapsed());
        let started = Instant::now();
        let svg = word_cloud(&counted, "Words").into_string();
        drawings.push(started.elapsed());
        assert!(!svg.is_empty());
    }
    layouts.sort_unstable();
    drawings.sort_unstable();
    let ms = |duration: Duration| duration.as_secs_f64() * 1_000.0;
    println!(
        "word cloud of {words} distinct words: layout median {:.2} ms, slowest {:.2} ms; \
         layout and SVG median {:.2} ms; {placed} words drawn",
        ms(layouts[layouts.len() / 2]),
        ms(layouts[layouts.len() - 1]),
        ms(drawings[drawings.len() / 2]),
    );
}
