//! Embedding speed of the sentence encoder: p50/p99 for texts of about 10, 30 and 100 word
//! pieces, one thread, and a check that it ranks meaning sensibly.
//!
//! `cargo run --release --example bench_embedding -- MODEL_DIR [ROUNDS]`

use std::path::PathBuf;
use std::time::Instant;

use faqtory::meaning::encoder::Encoder;
use faqtory::meaning::unit_vectors::cosine;

fn text_of(words: usize) -> String {
    const SOURCE: &str = "How do I configure the unikernel network stack so that it can reach \
        the host over a bridge when running under Xen or KVM with solo5 and what are the \
        trade offs compared with a regular Linux virtual machine in terms of boot time memory \
        use and security given that the application is written in OCaml and built with dune \
        and opam from a fresh checkout of the repository on a laptop with little disk space \
        while the continuous integration server runs the same build in a container image that \
        caches dependencies between runs to keep the feedback loop short for contributors who \
        send small patches";
    SOURCE
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(words)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "data/models/all-MiniLM-L6-v2".into()),
    );
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    // One thread: the figure a single request pays.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let started = Instant::now();
    let encoder = Encoder::load(&dir)?;
    println!(
        "loaded {} in {:.2} s",
        encoder.tag(),
        started.elapsed().as_secs_f64()
    );

    let pairs = [
        (
            "How do I reset my password?",
            "I forgot my login credentials, how can I recover them?",
        ),
        (
            "How do I reset my password?",
            "When is the next release of the compiler?",
        ),
        (
            "Does MirageOS run on a Raspberry Pi?",
            "Can I use a Pi 4 board as a unikernel host?",
        ),
    ];
    for (a, b) in pairs {
        let vectors = encoder.embed(&[a, b])?;
        println!(
            "cosine {:.3}  {a:?} ~ {b:?}",
            cosine(&vectors[0], &vectors[1])
        );
    }
    for words in [7usize, 25, 85] {
        let text = text_of(words);
        let mut times = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let started = Instant::now();
            pool.install(|| encoder.embed(&[&text]))?;
            times.push(started.elapsed().as_secs_f64() * 1_000.0);
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "{words:>3} words (+CLS/SEP, ~{} pieces): p50 {:.1} ms, p99 {:.1} ms over {rounds}",
            words + 2 + words / 8,
            at(0.5),
            at(0.99)
        );
    }
    Ok(())
}
