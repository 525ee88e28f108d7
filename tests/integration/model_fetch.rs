//! `faqtory model fetch`: from an HTTP server the test starts (or a directory), a model is
//! installed only when complete, checked and loadable; nothing else is ever left in its place.

use std::path::Path;
use std::process::Output;

use crate::tiny_model::{self, scratch_dir, Serving};

fn fetch(data_dir: &Path, from: &str, sha256: Option<&str>) -> Output {
    let mut args = vec![
        "--data-dir".to_owned(),
        data_dir.display().to_string(),
        "model".into(),
        "fetch".into(),
        "--from".into(),
        from.into(),
    ];
    if let Some(sha256) = sha256 {
        args.extend(["--sha256".into(), sha256.into()]);
    }
    std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
        .args(&args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the faqtory binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn installed(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("models").join("all-MiniLM-L6-v2")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_fetch_installs_a_complete_checked_model_or_nothing() {
    let source = scratch_dir("model-source");
    let model = tiny_model::build(&source);
    let good = tiny_model::serve(&model.dir, Serving::Everything);
    let breaking = tiny_model::serve(&model.dir, Serving::BreakOffWeights);
    let data_dir = scratch_dir("model-fetch");

    // Nobody listening.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let output = fetch(&data_dir, &closed_url, Some(&model.weights_sha256));
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("could not get"),
        "{}",
        stderr(&output)
    );
    assert!(!installed(&data_dir).exists());

    // Complete files, but not the weights the checksum names (the default: all-MiniLM-L6-v2's).
    let output = fetch(&data_dir, &format!("http://{good}"), None);
    assert!(!output.status.success());
    assert!(stderr(&output).contains("SHA-256"), "{}", stderr(&output));
    assert!(!installed(&data_dir).exists());

    // The download breaks off half-way through the weights.
    let output = fetch(
        &data_dir,
        &format!("http://{breaking}"),
        Some(&model.weights_sha256),
    );
    assert!(!output.status.success());
    assert!(stderr(&output).contains("broke off"), "{}", stderr(&output));
    assert!(!installed(&data_dir).exists());

    // A whole, checked model.
    let output = fetch(
        &data_dir,
        &format!("http://{good}"),
        Some(&model.weights_sha256),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    for file in [
        "config.json",
        "tokenizer.json",
        "1_Pooling/config.json",
        "model.safetensors",
    ] {
        assert_eq!(
            std::fs::read(installed(&data_dir).join(file)).unwrap(),
            std::fs::read(model.dir.join(file)).unwrap(),
            "{file}"
        );
    }

    // A later fetch that fails leaves the installed model as it was, and no scratch files.
    let output = fetch(
        &data_dir,
        &format!("http://{breaking}"),
        Some(&model.weights_sha256),
    );
    assert!(!output.status.success());
    assert_eq!(
        std::fs::read(installed(&data_dir).join("model.safetensors")).unwrap(),
        std::fs::read(model.dir.join("model.safetensors")).unwrap()
    );
    let leftovers: Vec<_> = std::fs::read_dir(data_dir.join("models"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, ["all-MiniLM-L6-v2"]);

    // From a directory (an air-gapped site's copy).
    let other = scratch_dir("model-fetch-dir");
    let output = fetch(
        &other,
        &model.dir.display().to_string(),
        Some(&model.weights_sha256),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
        .args([
            "--data-dir",
            &other.display().to_string(),
            "model",
            "status",
        ])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&status.stdout);
    assert!(
        said.contains(&format!("@{}", &model.weights_sha256[..12]))
            && said.contains("16 dimensions"),
        "{said}"
    );

    for dir in [source, data_dir, other] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
