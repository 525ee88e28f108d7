//! The command line's words: sub-commands, their flags and arguments, as clap parses them.

use chrono::{DateTime, NaiveDateTime};
use clap::{Parser, Subcommand};

use super::backup::ExportFormat;
use super::docs::DocsCommand;
use super::faq::FaqCommand;
use super::model::ModelCommand;
use super::transcript::TranscriptCommand;
use crate::config::GlobalArgs;
use crate::domain::EventStatus;

/// faqtory turns a community's questions into a searchable FAQ: the public asks and upvotes
/// before and during a hangout, moderators curate, answers become FAQ entries.
#[derive(Debug, Parser)]
#[command(name = "faqtory", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web server (creates the data directory and applies migrations first)
    Serve,
    /// Apply pending database migrations and exit
    Migrate,
    /// Create, list and open or close events
    #[command(subcommand)]
    Event(EventCommand),
    /// Add moderators, change their passwords, disable them
    #[command(subcommand)]
    Moderator(ModeratorCommand),
    /// Bring in a recording's transcript (WebVTT or SRT)
    #[command(subcommand)]
    Transcript(TranscriptCommand),
    /// Write every question of an event (status, votes, labels, answer, recording link) to
    /// standard output or a file
    Export {
        /// The event's slug
        #[arg(long)]
        event: String,
        /// json (everything, polls too; `faqtory import` restores it), csv (one row per
        /// question) or polls-csv (one row per count of each poll)
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write here instead of standard output
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Publish the FAQ elsewhere: `faq export` writes it as Markdown or HTML files
    #[command(subcommand)]
    Faq(FaqCommand),
    /// The project's documentation as a source of answers: add, refresh, list, remove sources
    #[command(subcommand)]
    Docs(DocsCommand),
    /// Import an existing FAQ: a JSONL file, one {"question", "answer", "labels"} object a line,
    /// becomes answered, published entries
    ImportFaq {
        /// The JSONL file
        file: std::path::PathBuf,
        /// The event the entries belong to [default: an "Imported FAQ" event, made once]
        #[arg(long)]
        event: Option<String>,
        /// A label to put on every entry
        #[arg(long)]
        label: Option<String>,
    },
    /// Import questions collected elsewhere into an event: a CSV file with a header, or JSONL,
    /// with `body` and optional `author_name`, `created_at` (RFC 3339) and `votes`
    ImportQuestions {
        /// The event's slug
        #[arg(long)]
        event: String,
        /// The CSV or JSONL file
        file: std::path::PathBuf,
    },
    /// Get the sentence encoder that matches questions by meaning
    #[command(subcommand)]
    Model(ModelCommand),
    /// Topics across events: `insights regroup` groups every question afresh and waits
    #[command(subcommand)]
    Insights(InsightsCommand),
    /// Rebuild the search index from the database (stop the server first: it holds the index)
    Reindex,
    /// Restore an event from a JSON export into a database that does not have it yet
    Import {
        /// The JSON export; `-` reads standard input
        file: std::path::PathBuf,
    },
    /// Ask a running server whether it is alive (for container health checks); exits 0 if so
    Healthcheck {
        /// The address to ask [default: the --bind address]
        #[arg(long)]
        address: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum InsightsCommand {
    /// Group every question and failed search into topics afresh; topics that keep most of
    /// their questions keep their ids, names and hidden flags
    Regroup,
}

#[derive(Debug, Subcommand)]
pub enum EventCommand {
    /// Create an event; it starts open for questions
    Create {
        /// Short name for its URL (/e/SLUG): lower-case letters, digits, hyphens
        #[arg(long)]
        slug: String,
        /// Title shown to the public
        #[arg(long)]
        title: String,
        /// A few lines on what the event is about
        #[arg(long, default_value = "")]
        description: String,
        /// When it starts, RFC 3339, e.g. 2026-12-01T17:00:00Z
        #[arg(long, value_parser = parse_rfc3339)]
        starts_at: Option<NaiveDateTime>,
        /// Hold new questions for a moderator's approval before they are listed
        #[arg(long)]
        premoderation: bool,
        /// Where the recording is (YouTube, Vimeo or a media file); answers link into it
        #[arg(long)]
        recording_url: Option<String>,
        /// Labels moderators can put on its questions, comma-separated, e.g. "roadmap, security"
        #[arg(long, default_value = "")]
        labels: String,
    },
    /// List every event with its status and number of listed questions
    List,
    /// Move an event to another status: draft, open, live, closed or archived
    SetStatus {
        /// The event's slug
        slug: String,
        /// draft | open | live | closed | archived
        status: EventStatus,
    },
}

#[derive(Debug, Subcommand)]
pub enum ModeratorCommand {
    /// Add a moderator (asks for the password, or reads it from standard input)
    Add {
        /// Sign-in name: 3 to 32 letters, digits, `.`, `_` or `-`
        name: String,
        /// Make them an administrator, who manages other moderators
        #[arg(long)]
        admin: bool,
        /// Read the password from the first line of standard input instead of asking
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a moderator's password
    Passwd {
        /// The moderator's sign-in name
        name: String,
        /// Read the password from the first line of standard input instead of asking
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable a moderator: they can no longer sign in, and their sessions end
    Disable {
        /// The moderator's sign-in name
        name: String,
    },
    /// Personal API tokens for the moderator API
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a moderator and print it (the only time it is shown)
    Create {
        /// The moderator's sign-in name
        name: String,
        /// What the token is for, e.g. "CI exporter"
        #[arg(long)]
        label: String,
    },
}

fn parse_rfc3339(text: &str) -> Result<NaiveDateTime, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.naive_utc())
        .map_err(|error| format!("expected an RFC 3339 time like 2026-12-01T17:00:00Z ({error})"))
}

impl clap::builder::ValueParserFactory for EventStatus {
    type Parser = clap::builder::ValueParser;

    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|text: &str| text.parse::<EventStatus>())
    }
}
