//! Documentation sources and their sections, tombstones included.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{doc_sections, doc_sources};
use crate::error::{AppError, QueryContext};

/// The kinds of source, as stored: a JSONL file of sections, a folder of Markdown, a site's
/// sitemap.
pub const JSONL: &str = "jsonl";
pub const MARKDOWN: &str = "markdown";
pub const SITEMAP: &str = "sitemap";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = doc_sources)]
pub struct DocSourceRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub location: String,
    pub base_url: Option<String>,
    pub created_at: NaiveDateTime,
    pub refreshed_at: Option<NaiveDateTime>,
    pub last_report: Option<String>,
    /// Bumped by each refresh that changed a section.
    pub revision: i64,
    pub refresh_every_minutes: Option<i32>,
    /// The instance refreshing the source now, until when.
    pub lease_holder: Option<String>,
    pub lease_until: Option<NaiveDateTime>,
    /// The last refresh begun, whether it worked or not.
    pub attempted_at: Option<NaiveDateTime>,
    /// How far a refresh under way got: pages (or files) read, of how many.
    pub refresh_done: Option<i32>,
    pub refresh_total: Option<i32>,
}

impl DocSourceRow {
    /// Whether a refresh holds the source at `now`.
    pub fn refreshing_at(&self, now: NaiveDateTime) -> bool {
        self.lease_until.is_some_and(|until| until > now)
    }
}

#[derive(Insertable)]
#[diesel(table_name = doc_sources)]
pub struct NewDocSource<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub location: &'a str,
    pub base_url: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn insert_source(conn: &mut DbConnection, new: &NewDocSource<'_>) -> Result<i64, AppError> {
    diesel::insert_into(doc_sources::table)
        .values(new)
        .returning(doc_sources::id)
        .get_result(conn)
        .context("adding a documentation source")
}

pub fn source_named(conn: &mut DbConnection, name: &str) -> Result<Option<DocSourceRow>, AppError> {
    doc_sources::table
        .filter(doc_sources::name.eq(name))
        .select(DocSourceRow::as_select())
        .first(conn)
        .optional()
        .context("finding a documentation source")
}

pub fn sources(conn: &mut DbConnection) -> Result<Vec<DocSourceRow>, AppError> {
    doc_sources::table
        .order(doc_sources::name)
        .select(DocSourceRow::as_select())
        .load(conn)
        .context("listing documentation sources")
}

/// How many sections a source has now, and how many tombstones it keeps.
pub fn section_counts(conn: &mut DbConnection, source_id: i64) -> Result<(i64, i64), AppError> {
    let live = doc_sections::table
        .filter(doc_sections::source_id.eq(source_id))
        .filter(doc_sections::removed_at.is_null())
        .count()
        .get_result(conn)
        .context("counting documentation sections")?;
    let removed = doc_sections::table
        .filter(doc_sections::source_id.eq(source_id))
        .filter(doc_sections::removed_at.is_not_null())
        .count()
        .get_result(conn)
        .context("counting removed documentation sections")?;
    Ok((live, removed))
}

/// Removes a source with its sections; whether there was one.
pub fn delete_source(conn: &mut DbConnection, id: i64) -> Result<bool, AppError> {
    // Tombstones point at other sections of the source: unlink them first.
    diesel::update(doc_sections::table.filter(doc_sections::source_id.eq(id)))
        .set(doc_sections::replaced_by.eq(None::<i64>))
        .execute(conn)
        .context("unlinking a documentation source's tombstones")?;
    diesel::delete(doc_sections::table.filter(doc_sections::source_id.eq(id)))
        .execute(conn)
        .context("removing a documentation source's sections")?;
    let removed = diesel::delete(doc_sources::table.find(id))
        .execute(conn)
        .context("removing a documentation source")?;
    Ok(removed > 0)
}

/// Notes a refresh; one that `changed` a section moves the source's revision on, which tells
/// every instance's index to read the source again.
pub fn record_refresh(
    conn: &mut DbConnection,
    id: i64,
    at: NaiveDateTime,
    report: &str,
    changed: bool,
) -> Result<(), AppError> {
    diesel::update(doc_sources::table.find(id))
        .set((
            doc_sources::refreshed_at.eq(at),
            doc_sources::last_report.eq(report),
            doc_sources::revision.eq(doc_sources::revision + i64::from(changed)),
        ))
        .execute(conn)
        .context("recording a documentation refresh")?;
    Ok(())
}

/// Records a refresh that could not read its source at all: the sections stay as they were.
pub fn record_failure(conn: &mut DbConnection, id: i64, report: &str) -> Result<(), AppError> {
    diesel::update(doc_sources::table.find(id))
        .set(doc_sources::last_report.eq(report))
        .execute(conn)
        .context("recording a failed documentation refresh")?;
    Ok(())
}

/// Sets (or with `None` clears) how often a source is refreshed by itself.
pub fn set_schedule(
    conn: &mut DbConnection,
    id: i64,
    every_minutes: Option<i32>,
) -> Result<(), AppError> {
    diesel::update(doc_sources::table.find(id))
        .set(doc_sources::refresh_every_minutes.eq(every_minutes))
        .execute(conn)
        .context("setting a documentation source's schedule")?;
    Ok(())
}

/// Every source's id and revision: what an index compares with what it holds.
pub fn revisions(conn: &mut DbConnection) -> Result<Vec<(i64, i64)>, AppError> {
    doc_sources::table
        .select((doc_sources::id, doc_sources::revision))
        .load(conn)
        .context("reading documentation sources' revisions")
}

/// A section as the indexes see it: where it is, under which headings, and what it says.
#[derive(Debug, Clone, Queryable)]
pub struct LiveSection {
    pub id: i64,
    pub source_id: i64,
    pub source_name: String,
    pub url: String,
    pub anchor: String,
    pub heading_path: String,
    pub body: String,
    pub content_hash: String,
}

/// The columns a [`LiveSection`] is read from.
type LiveColumns = (
    doc_sections::id,
    doc_sections::source_id,
    doc_sources::name,
    doc_sections::url,
    doc_sections::anchor,
    doc_sections::heading_path,
    doc_sections::body,
    doc_sections::content_hash,
);

type LiveSections = diesel::dsl::Select<
    diesel::dsl::Filter<
        diesel::dsl::InnerJoin<doc_sections::table, doc_sources::table>,
        diesel::dsl::IsNull<doc_sections::removed_at>,
    >,
    LiveColumns,
>;

fn live_sections() -> LiveSections {
    doc_sections::table
        .inner_join(doc_sources::table)
        .filter(doc_sections::removed_at.is_null())
        .select((
            doc_sections::id,
            doc_sections::source_id,
            doc_sources::name,
            doc_sections::url,
            doc_sections::anchor,
            doc_sections::heading_path,
            doc_sections::body,
            doc_sections::content_hash,
        ))
}

/// A source's sections now (no tombstones), in its order.
pub fn live_sections_of(
    conn: &mut DbConnection,
    source_id: i64,
) -> Result<Vec<LiveSection>, AppError> {
    live_sections()
        .filter(doc_sections::source_id.eq(source_id))
        .order((doc_sections::position, doc_sections::id))
        .load(conn)
        .context("reading a source's sections to index")
}

/// These sections, when they are still in their source.
pub fn live_sections_by_ids(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<Vec<LiveSection>, AppError> {
    live_sections()
        .filter(doc_sections::id.eq_any(ids))
        .load(conn)
        .context("reading documentation sections")
}

/// Sections by id, from `after` on, for a pass over all of them.
pub fn live_sections_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<LiveSection>, AppError> {
    live_sections()
        .filter(doc_sections::id.gt(after))
        .order(doc_sections::id.asc())
        .limit(limit)
        .load(conn)
        .context("reading documentation sections")
}

/// One section, tombstone or not, by id.
pub fn section_by_id(conn: &mut DbConnection, id: i64) -> Result<Option<DocSectionRow>, AppError> {
    doc_sections::table
        .find(id)
        .select(DocSectionRow::as_select())
        .first(conn)
        .optional()
        .context("finding a documentation section")
}

/// Sections picked by id (tombstones too), each with its source's name.
pub fn sections_with_source(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<Vec<(DocSectionRow, String)>, AppError> {
    doc_sections::table
        .inner_join(doc_sources::table)
        .filter(doc_sections::id.eq_any(ids))
        .select((DocSectionRow::as_select(), doc_sources::name))
        .load(conn)
        .context("reading documentation sections with their sources")
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = doc_sections)]
pub struct DocSectionRow {
    pub id: i64,
    pub source_id: i64,
    pub url: String,
    pub anchor: String,
    pub passage: i32,
    pub heading_path: String,
    pub body: String,
    pub content_hash: String,
    pub position: i32,
    pub updated_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
    pub replaced_by: Option<i64>,
}

#[derive(Insertable)]
#[diesel(table_name = doc_sections)]
pub struct NewDocSection<'a> {
    pub source_id: i64,
    pub url: &'a str,
    pub anchor: &'a str,
    pub passage: i32,
    pub heading_path: &'a str,
    pub body: &'a str,
    pub content_hash: &'a str,
    pub position: i32,
    pub updated_at: NaiveDateTime,
}

/// Every section of a source, tombstones included, in the source's order.
pub fn sections_of(
    conn: &mut DbConnection,
    source_id: i64,
) -> Result<Vec<DocSectionRow>, AppError> {
    doc_sections::table
        .filter(doc_sections::source_id.eq(source_id))
        .order((
            doc_sections::removed_at.is_not_null(),
            doc_sections::position,
            doc_sections::id,
        ))
        .select(DocSectionRow::as_select())
        .load(conn)
        .context("reading documentation sections")
}

pub fn insert_section(conn: &mut DbConnection, new: &NewDocSection<'_>) -> Result<i64, AppError> {
    diesel::insert_into(doc_sections::table)
        .values(new)
        .returning(doc_sections::id)
        .get_result(conn)
        .context("adding a documentation section")
}

/// New content for a section at the same place; a tombstone at that place comes back to life.
pub fn rewrite_section(
    conn: &mut DbConnection,
    id: i64,
    new: &NewDocSection<'_>,
) -> Result<(), AppError> {
    diesel::update(doc_sections::table.find(id))
        .set((
            doc_sections::heading_path.eq(new.heading_path),
            doc_sections::body.eq(new.body),
            doc_sections::content_hash.eq(new.content_hash),
            doc_sections::position.eq(new.position),
            doc_sections::updated_at.eq(new.updated_at),
            doc_sections::removed_at.eq(None::<NaiveDateTime>),
            doc_sections::replaced_by.eq(None::<i64>),
        ))
        .execute(conn)
        .context("changing a documentation section")?;
    Ok(())
}

pub fn move_section(conn: &mut DbConnection, id: i64, position: i32) -> Result<(), AppError> {
    diesel::update(doc_sections::table.find(id))
        .set(doc_sections::position.eq(position))
        .execute(conn)
        .context("reordering a documentation section")?;
    Ok(())
}

/// Marks a section gone from its source, and where its content went if it moved.
pub fn bury_section(
    conn: &mut DbConnection,
    id: i64,
    at: NaiveDateTime,
    replaced_by: Option<i64>,
) -> Result<(), AppError> {
    diesel::update(doc_sections::table.find(id))
        .set((
            doc_sections::removed_at.eq(at),
            doc_sections::replaced_by.eq(replaced_by),
        ))
        .execute(conn)
        .context("keeping a tombstone for a documentation section")?;
    Ok(())
}
