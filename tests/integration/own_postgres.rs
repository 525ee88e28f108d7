//! A PostgreSQL server of a test's own, in a temporary directory on a free port, for what must
//! not happen to the shared server other tests use: stopping and starting it.

use std::path::PathBuf;
use std::process::Command;

use crate::support::free_port;

pub struct OwnPostgres {
    cluster: Cluster,
}

/// The server's directory, port and programs: what each step needs, on a blocking thread.
#[derive(Clone)]
struct Cluster {
    directory: PathBuf,
    port: u16,
    bin: PathBuf,
}

/// Where Debian puts the server's programs (the newest version when there are several).
fn server_programs() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL's programs are installed under /usr/lib/postgresql")
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .expect("a PostgreSQL version with pg_ctl under /usr/lib/postgresql")
}

fn running_as_root() -> bool {
    let output = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&output.stdout).trim() == "0"
}

impl Cluster {
    fn data_directory(&self) -> PathBuf {
        self.directory.join("data")
    }

    /// Runs one of the server's programs; PostgreSQL refuses to run as root, so as root it runs
    /// as `postgres`.
    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        let mut command = if running_as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(&program);
            command
        } else {
            Command::new(&program)
        };
        command.current_dir(&self.directory);
        command
    }

    fn run(&self, program: &str, args: &[&str]) {
        let output = self.command(program).args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn init(&self) {
        std::fs::create_dir_all(&self.directory).unwrap();
        if running_as_root() {
            let owned = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&self.directory)
                .status()
                .unwrap();
            assert!(owned.success());
        }
        let data = self.data_directory();
        self.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
    }

    fn start(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c fsync=off",
            self.port,
            self.directory.display()
        );
        let data = self.data_directory();
        let log = self.directory.join("server.log");
        self.run(
            "pg_ctl",
            &[
                "start",
                "-w",
                "-D",
                data.to_str().unwrap(),
                "-o",
                &options,
                "-l",
                log.to_str().unwrap(),
            ],
        );
    }

    /// `fast` ends every session as a restart does; `immediate` does not wait for anything.
    fn stop(&self, mode: &str) -> bool {
        let data = self.data_directory();
        self.command("pg_ctl")
            .args(["stop", "-w", "-m", mode, "-D"])
            .arg(&data)
            .output()
            .is_ok_and(|output| output.status.success())
    }
}

impl OwnPostgres {
    /// `initdb` into a temporary directory and start on a free port.
    pub async fn start() -> OwnPostgres {
        let cluster = Cluster {
            directory: std::env::temp_dir().join(format!(
                "faqtory-test-postgres-{}-{}",
                std::process::id(),
                free_port()
            )),
            port: free_port(),
            bin: server_programs(),
        };
        let started = cluster.clone();
        tokio::task::spawn_blocking(move || {
            started.init();
            started.start();
        })
        .await
        .unwrap();
        OwnPostgres { cluster }
    }

    /// The server's URL, as `FAQTORY_TEST_POSTGRES` would name it.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}", self.cluster.port)
    }

    /// Shuts the server down the way a restart does: sessions end, the port closes.
    pub async fn stop(&self) {
        let cluster = self.cluster.clone();
        let stopped = tokio::task::spawn_blocking(move || cluster.stop("fast"))
            .await
            .unwrap();
        assert!(stopped, "pg_ctl stop failed");
    }

    /// Starts it again on the same port and data.
    pub async fn start_again(&self) {
        let cluster = self.cluster.clone();
        tokio::task::spawn_blocking(move || cluster.start())
            .await
            .unwrap();
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        self.cluster.stop("immediate");
        let _ = std::fs::remove_dir_all(&self.cluster.directory);
    }
}
