//! The README's first run, command by command as it is written there, in a fresh directory: the
//! server on SQLite in `./data`, a moderator whose first password is refused and asked again, an
//! event whose printed link is the running server's; then a command against a data directory
//! without a database. On SQLite alone: that is what the first run uses.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::support::{browser, free_port};
use crate::tiny_model::scratch_dir;

/// The commands of the README's first code block under "## First run", continuation lines
/// joined and comments dropped, each split into words as a shell would (double quotes kept
/// together).
fn first_run_commands() -> Vec<Vec<String>> {
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find("## First run").expect("a First run section")..];
    let block = section
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a shell block");
    let joined = block.replace("\\\n", " ");
    joined
        .lines()
        .map(|line| line.split(" #").next().unwrap_or_default().trim())
        .filter(|line| !line.is_empty())
        .map(|line| {
            let mut words = Vec::new();
            let mut word = String::new();
            let mut quoted = false;
            for c in line.chars() {
                match c {
                    '"' => quoted = !quoted,
                    ' ' if !quoted => {
                        if !word.is_empty() {
                            words.push(std::mem::take(&mut word));
                        }
                    }
                    _ => word.push(c),
                }
            }
            if !word.is_empty() {
                words.push(word);
            }
            words
        })
        .collect()
}

fn faqtory(dir: &Path, args: &[String]) -> Command {
    assert_eq!(args[0], "faqtory", "{args:?}");
    let mut command = Command::new(env!("CARGO_BIN_EXE_faqtory"));
    command
        .args(&args[1..])
        .current_dir(dir)
        .env_remove("FAQTORY_DATA_DIR")
        .env_remove("FAQTORY_DATABASE_URL")
        .env_remove("FAQTORY_BASE_URL");
    command
}

/// Runs a command on a terminal (`script` gives it one), typing `input` at its prompts.
fn on_a_terminal(dir: &Path, args: &[String], input: &str) -> Output {
    let line = std::iter::once(env!("CARGO_BIN_EXE_faqtory").to_owned())
        .chain(args[1..].iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let mut child = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(dir)
        .env_remove("FAQTORY_DATA_DIR")
        .env_remove("FAQTORY_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script(1), from util-linux, runs");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_first_run_works_as_written() {
    let commands = first_run_commands();
    assert_eq!(commands.len(), 3, "{commands:?}");
    assert_eq!(commands[0][..2], ["faqtory", "serve"]);
    assert_eq!(commands[1][..3], ["faqtory", "moderator", "add"]);
    assert_eq!(commands[2][..3], ["faqtory", "event", "create"]);
    let dir = scratch_dir("first-run");

    // 1. On a port of its own rather than 8080, which this machine may be using.
    let port = free_port();
    let mut serve = commands[0].clone();
    serve.extend(["--bind".to_owned(), format!("127.0.0.1:{port}")]);
    let mut server = faqtory(&dir, &serve)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(line.trim(), format!("faqtory is serving on {base}"));
    assert!(dir.join("data/faqtory.db").exists(), "SQLite in ./data");

    // 2. A password too short is refused and asked for again.
    let added = on_a_terminal(
        &dir,
        &commands[1],
        "too short\ncorrect horse battery\ncorrect horse battery\n",
    );
    let said = String::from_utf8_lossy(&added.stdout).to_string();
    assert!(added.status.success(), "{said}");
    assert!(said.contains("12 characters or more"), "{said}");
    assert!(
        said.contains("Passwords need at least 12 characters. Try again."),
        "{said}"
    );
    assert!(said.contains("Added admin `alice`"), "{said}");

    // 3. The event's link is the running server's.
    let created = faqtory(&dir, &commands[2]).output().unwrap();
    let printed = String::from_utf8_lossy(&created.stdout);
    assert!(created.status.success(), "{printed}");
    assert!(
        printed.contains(&format!("its page is {base}/e/first-call")),
        "{printed}"
    );
    let page = browser()
        .get(format!("{base}/e/first-call"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let signed_in = browser()
        .post(format!("{base}/sign-in"))
        .form(&[("username", "alice"), ("password", "correct horse battery")])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 303, "alice signs in");

    // A restore pointed at a mistyped data directory says so and creates nothing there.
    let mistyped = vec![
        "faqtory".to_owned(),
        "--data-dir".to_owned(),
        "dta".to_owned(),
        "import".to_owned(),
        "backup.json".to_owned(),
    ];
    let refused = faqtory(&dir, &mistyped).output().unwrap();
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("there is no database at"), "{stderr}");
    assert!(!dir.join("dta").exists(), "nothing was created there");

    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
