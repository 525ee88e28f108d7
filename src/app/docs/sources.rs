//! Adding, listing and removing documentation sources.

use std::path::{Component, Path, PathBuf};

use crate::app::docs::refresh::{refresh_watched, RefreshReport};
use crate::app::now;
use crate::db::docs::{
    self as stored, DocSectionRow, DocSourceRow, NewDocSource, JSONL, MARKDOWN, SITEMAP,
};
use crate::db::Db;
use crate::docs::progress::ReadProgress;
use crate::domain::Invalid;
use crate::error::AppError;

/// Where a new source is read from.
pub enum NewSource<'a> {
    /// A JSONL file of `{url, title, section, text}`.
    Jsonl { path: &'a Path },
    /// A folder of Markdown, and the address its site is served at.
    Markdown { dir: &'a Path, base_url: &'a str },
    /// A site's `sitemap.xml`, whose pages are fetched from its host.
    Sitemap { url: &'a str },
}

/// A source with how much of it there is.
pub struct SourceSummary {
    pub source: DocSourceRow,
    pub sections: i64,
    pub tombstones: i64,
}

/// A source's name: what the CLI and the admin page call it.
pub fn parse_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    let fits = !name.is_empty()
        && name.len() <= 40
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if fits {
        Ok(name.to_owned())
    } else {
        Err(AppError::Invalid(Invalid::new(
            "name",
            "A source's name is 1 to 40 lower-case letters, digits, `-` or `_` (e.g. `wiki`).",
        )))
    }
}

/// Adds a source and reads it for the first time (a site on a private network only when
/// `allow_private`).
pub async fn add(
    db: &Db,
    name: &str,
    source: NewSource<'_>,
    allow_private: bool,
    watch: impl FnMut(ReadProgress),
) -> Result<(DocSourceRow, RefreshReport), AppError> {
    let name = parse_name(name)?;
    let (kind, location, base_url) = match source {
        NewSource::Jsonl { path } => (JSONL, absolute(path)?, None),
        NewSource::Markdown { dir, base_url } => {
            (MARKDOWN, absolute(dir)?, Some(parse_base_url(base_url)?))
        }
        NewSource::Sitemap { url } => (SITEMAP, parse_base_url(url)?, None),
    };
    let created_at = now();
    let added = {
        let name = name.clone();
        db.write(move |conn| {
            if stored::source_named(conn, &name)?.is_some() {
                return Err(AppError::conflict(
                    "source_exists",
                    format!("There is already a documentation source called `{name}`."),
                ));
            }
            stored::insert_source(
                conn,
                &NewDocSource {
                    name: &name,
                    kind,
                    location: &location,
                    base_url: base_url.as_deref(),
                    created_at,
                },
            )
        })
        .await?
    };
    let report = refresh_watched(db, &name, allow_private, watch).await;
    let source = find(db, &name).await?;
    match report {
        Ok(report) => Ok((source, report)),
        Err(error) => {
            // A source that could not be read at all is not kept half-added.
            db.write(move |conn| stored::delete_source(conn, added))
                .await?;
            Err(error)
        }
    }
}

/// A path the API and the admin page may read: relative, inside `root`, never climbing out of it.
pub fn inside(root: &Path, field: &'static str, given: &str) -> Result<PathBuf, AppError> {
    let relative = Path::new(given.trim());
    let plain = relative
        .components()
        .all(|part| matches!(part, Component::Normal(_)));
    if given.trim().is_empty() || !plain {
        return Err(AppError::Invalid(Invalid::new(
            field,
            format!(
                "`{given}` is not a path inside {}: name a file or folder there, like `wiki.jsonl`.",
                root.display()
            ),
        )));
    }
    Ok(root.join(relative))
}

/// Where a folder's site is served: an http(s) address, kept without a trailing slash.
fn parse_base_url(given: &str) -> Result<String, AppError> {
    let refuse = || {
        AppError::Invalid(Invalid::new(
            "base_url",
            format!("`{given}` is not the address of a site (https://docs.example.org/…)."),
        ))
    };
    let url = url::Url::parse(given.trim()).map_err(|_| refuse())?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(refuse());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn absolute(path: &Path) -> Result<String, AppError> {
    let absolute = std::path::absolute(path).map_err(|error| {
        AppError::Invalid(Invalid::new(
            "path",
            format!("{} is not a path here: {error}", path.display()),
        ))
    })?;
    absolute
        .to_str()
        .map(str::to_owned)
        .ok_or_else(|| AppError::Invalid(Invalid::new("path", "The path is not valid UTF-8.")))
}

pub async fn find(db: &Db, name: &str) -> Result<DocSourceRow, AppError> {
    let name = name.to_owned();
    db.read(move |conn| stored::source_named(conn, &name))
        .await?
        .ok_or(AppError::NotFound {
            what: "documentation source",
        })
}

pub async fn list(db: &Db) -> Result<Vec<SourceSummary>, AppError> {
    db.read(|conn| {
        stored::sources(conn)?
            .into_iter()
            .map(|source| {
                let (sections, tombstones) = stored::section_counts(conn, source.id)?;
                Ok(SourceSummary {
                    source,
                    sections,
                    tombstones,
                })
            })
            .collect()
    })
    .await
}

/// Removes a source and everything read from it.
pub async fn remove(db: &Db, name: &str) -> Result<(), AppError> {
    let source = find(db, name).await?;
    db.write(move |conn| stored::delete_source(conn, source.id))
        .await?;
    Ok(())
}

/// Every section of a source, tombstones last.
pub async fn sections(db: &Db, name: &str) -> Result<Vec<DocSectionRow>, AppError> {
    let source = find(db, name).await?;
    db.read(move |conn| stored::sections_of(conn, source.id))
        .await
}
