//! `faqtory faq export`: the published FAQ as files for a documentation site.

use std::path::Path;

use anyhow::Context;

use super::data_dir::prepare_data_dir;
use super::site_address::SiteAddress;
use crate::app;
use crate::config::Config;
use crate::startup::open_database;
use crate::views::faq::faq_export::{html_site, markdown_site};

#[derive(Debug, clap::Subcommand)]
pub enum FaqCommand {
    /// Write the published FAQ as files a static site generator takes (mdBook, Hugo, MkDocs):
    /// an index, one page per label, each entry under the anchor `faq-{id}`
    Export {
        /// markdown (`index.md`, `SUMMARY.md` for mdBook, a page per label) or html
        #[arg(long, value_enum, default_value_t = SiteFormat::Markdown)]
        format: SiteFormat,
        /// The directory to write into (created if missing; files of the same names are
        /// replaced, others left alone)
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SiteFormat {
    Markdown,
    Html,
}

pub async fn run(config: Config, command: FaqCommand) -> anyhow::Result<()> {
    match command {
        FaqCommand::Export { format, out } => export(config, format, &out).await,
    }
}

async fn export(config: Config, format: SiteFormat, out: &Path) -> anyhow::Result<()> {
    // The files link back to the site: without its address they would point at this machine.
    let address = SiteAddress::of(&config);
    if let Some(caveat) = address.caveat() {
        eprintln!("{caveat}");
    }
    let public_base = address.base().to_owned();
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    let (entries, labels) = app::faq::browse::everything(&db).await?;
    let files = match format {
        SiteFormat::Markdown => markdown_site(&entries, &labels, &public_base),
        SiteFormat::Html => html_site(&entries, &labels, &public_base),
    };
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for file in &files {
        let path = out.join(&file.name);
        std::fs::write(&path, &file.contents)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    eprintln!(
        "Wrote {} entries in {} files to {}.",
        entries.len(),
        files.len(),
        out.display()
    );
    Ok(())
}
