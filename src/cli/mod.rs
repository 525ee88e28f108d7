//! The `faqtory` command line: `serve`, `migrate`, `event …`, `healthcheck`.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{bail, Context};

use crate::app::accounts::{api_tokens, moderators};
use crate::app::events::lifecycle::{self, NewEventInput};
use crate::app::events::listing;
use crate::config::Config;
use crate::domain::{EventSlug, EventStatus, EventTitle, LabelName, Password, Role, Username};
use crate::startup::{open_database, Application};
use crate::telemetry;
pub use args::{Cli, Command, EventCommand, InsightsCommand, ModeratorCommand, TokenCommand};
use data_dir::{prepare_data_dir, require_existing_database};

mod args;
mod backup;
mod data_dir;
mod docs;
mod faq;
mod import_faq;
mod import_questions;
mod insights;
mod model;
mod model_list;
mod progress;
mod reindex;
mod site_address;
mod transcribe;
mod transcript;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.global.resolve()?;
    telemetry::init(config.log_format);
    if cli.command.works_on_existing_data() {
        require_existing_database(&config)?;
    }
    match cli.command {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            prepare_data_dir(&config)?;
            open_database(&config.database_url).await?;
            println!("Migrations applied to {}", config.database_url.redacted());
            Ok(())
        }
        Command::Event(command) => event(config, command).await,
        Command::Moderator(command) => moderator(config, command).await,
        Command::Export {
            event,
            format,
            output,
        } => backup::export(config, &event, format, output.as_deref()).await,
        Command::Import { file } => backup::import(config, &file).await,
        Command::Reindex => reindex::reindex(config).await,
        Command::Insights(InsightsCommand::Regroup) => insights::regroup(config).await,
        Command::Model(command) => model::run(config, command).await,
        Command::Transcript(command) => transcript::run(config, command).await,
        Command::ImportQuestions { event, file } => {
            import_questions::import_questions(config, &event, &file).await
        }
        Command::Faq(command) => faq::run(config, command).await,
        Command::Docs(command) => docs::run(config, command).await,
        Command::ImportFaq { file, event, label } => {
            import_faq::import_faq(config, &file, event.as_deref(), label.as_deref()).await
        }
        Command::Healthcheck { address } => healthcheck(address.as_deref().unwrap_or(&config.bind)),
    }
}

impl Command {
    /// Commands that read or change what a running site holds. Run against a mistyped data
    /// directory, they would otherwise quietly start an empty database there.
    fn works_on_existing_data(&self) -> bool {
        matches!(
            self,
            Command::Event(_)
                | Command::Moderator(_)
                | Command::Transcript(_)
                | Command::Export { .. }
                | Command::Reindex
                | Command::Insights(_)
                | Command::ImportQuestions { .. }
                | Command::ImportFaq { .. }
                | Command::Faq(_)
                | Command::Docs(_)
                | Command::Import { .. }
        )
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let backend = config.database_url.redacted();
    let noted = config.clone();
    let app = Application::build(config).await?;
    site_address::remember(&noted, app.public_base());
    tracing::info!(database = %backend, address = %app.address(), "faqtory is serving");
    println!("faqtory is serving on {}", app.public_base());
    app.stop_on_signals();
    app.run_until_stopped().await.context("serving HTTP")
}

async fn event(config: Config, command: EventCommand) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    match command {
        EventCommand::Create {
            slug,
            title,
            description,
            starts_at,
            premoderation,
            recording_url,
            labels,
        } => {
            let input = NewEventInput {
                slug: EventSlug::parse(&slug)?,
                title: EventTitle::parse(&title)?,
                description,
                starts_at,
                premoderation,
                recording_url: recording_url
                    .as_deref()
                    .map(lifecycle::parse_recording_url)
                    .transpose()?,
                labels: LabelName::parse_event_list(&labels)?,
                status: EventStatus::Open,
            };
            let event = lifecycle::create_event(&db, input).await?;
            let address = site_address::SiteAddress::of(&config);
            println!(
                "Created event `{}` ({}{}); its page is {}/e/{}",
                event.slug,
                event.status,
                if event.premoderation {
                    ", pre-moderated"
                } else {
                    ""
                },
                address.base(),
                event.slug
            );
            if let Some(caveat) = address.caveat() {
                eprintln!("{caveat}");
            }
        }
        EventCommand::List => {
            let events = listing::list_all_events(&db).await?;
            if events.is_empty() {
                println!(
                    "No events yet. Create one with `faqtory event create --slug S --title T`."
                );
            }
            for summary in events {
                let event = summary.event;
                let starts = event
                    .starts_at
                    .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
                    .unwrap_or_else(|| "-".into());
                println!(
                    "{:<24} {:<9} {:>5} questions  starts {:<20} {}",
                    event.slug, event.status, summary.question_count, starts, event.title
                );
            }
        }
        EventCommand::SetStatus { slug, status } => {
            // Another process serves the pages; nothing listens here.
            let bus = crate::bus::Bus::in_process();
            lifecycle::set_status(&db, &bus, EventSlug::parse(&slug)?, status).await?;
            println!("Event `{slug}` is now {status}");
        }
    }
    Ok(())
}

async fn moderator(config: Config, command: ModeratorCommand) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    match command {
        ModeratorCommand::Add {
            name,
            admin,
            password_stdin,
        } => {
            let username = Username::parse(&name)?;
            let password = read_password(password_stdin)?;
            let role = if admin { Role::Admin } else { Role::Moderator };
            let added = moderators::add_moderator(&db, None, username, &password, role).await?;
            println!("Added {} `{}`", added.role.as_str(), added.username);
        }
        ModeratorCommand::Passwd {
            name,
            password_stdin,
        } => {
            let username = Username::parse(&name)?;
            let password = read_password(password_stdin)?;
            moderators::set_password(&db, None, username, &password).await?;
            println!("Password changed for `{name}`");
        }
        ModeratorCommand::Disable { name } => {
            moderators::set_disabled(&db, None, Username::parse(&name)?, true).await?;
            println!("Disabled `{name}`");
        }
        ModeratorCommand::Token(TokenCommand::Create { name, label }) => {
            let moderator = moderators::find(&db, Username::parse(&name)?)
                .await?
                .with_context(|| format!("no moderator named `{name}`"))?;
            let (_, token) = api_tokens::create(&db, moderator.id, &label).await?;
            println!("{token}");
            eprintln!("This is the only time the token is shown; keep it somewhere safe.");
        }
    }
    Ok(())
}

/// A password never travels in argv: it comes from standard input or from a prompt.
fn read_password(from_stdin: bool) -> anyhow::Result<Password> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        let password = line.trim_end_matches(['\r', '\n']);
        return Ok(Password::parse(password)?);
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        bail!("no terminal to ask for the password on; pass --password-stdin and pipe it in");
    }
    // A password refused is asked for again, a few times, rather than ending the command.
    const TRIES: usize = 3;
    for _ in 0..TRIES {
        let first = rpassword::prompt_password(format!(
            "New password ({} characters or more): ",
            Password::MIN_CHARS
        ))
        .context("reading the password")?;
        let password = match Password::parse(&first) {
            Ok(password) => password,
            Err(invalid) => {
                eprintln!("{} Try again.", invalid.message);
                continue;
            }
        };
        let second = rpassword::prompt_password("Again: ").context("reading the password")?;
        if first == second {
            return Ok(password);
        }
        eprintln!("The two passwords differ. Try again.");
    }
    bail!("no password after {TRIES} tries; nothing was changed")
}

fn healthcheck(address: &str) -> anyhow::Result<()> {
    let address = address.replace("0.0.0.0", "127.0.0.1");
    let target = address
        .to_socket_addrs()
        .with_context(|| format!("resolving {address}"))?
        .next()
        .with_context(|| format!("{address} names no address"))?;
    let mut stream = TcpStream::connect_timeout(&target, Duration::from_secs(3))
        .with_context(|| format!("connecting to {target}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(3)))?;
    stream.write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply)?;
    if reply.starts_with("HTTP/1.0 200") || reply.starts_with("HTTP/1.1 200") {
        Ok(())
    } else {
        bail!("unhealthy: {}", reply.lines().next().unwrap_or("no answer"))
    }
}
