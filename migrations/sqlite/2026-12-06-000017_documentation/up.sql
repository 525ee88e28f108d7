-- Documentation a project already has, as a source of answers: each source (a JSONL file, a folder
-- of Markdown, a site's sitemap) is read into sections by heading. A refresh changes only the
-- sections whose content changed and keeps a tombstone for each one that went, so that an answer
-- that linked it can still say where it went.
CREATE TABLE doc_sources (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    -- jsonl, markdown, sitemap
    kind TEXT NOT NULL,
    -- The file, folder or sitemap address it is read from.
    location TEXT NOT NULL,
    -- Where a folder's files are served (nothing for the other kinds).
    base_url TEXT,
    created_at TIMESTAMP NOT NULL,
    refreshed_at TIMESTAMP,
    -- What the last refresh found, in words for the admin: counts and each page it refused.
    last_report TEXT
);
CREATE TABLE doc_sections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id BIGINT NOT NULL REFERENCES doc_sources(id) ON DELETE CASCADE,
    -- The page's address without the anchor, and the anchor the site uses ('' for a page's top).
    url TEXT NOT NULL,
    anchor TEXT NOT NULL,
    -- A long section is cut into passages, numbered from 0, under the same anchor.
    passage INTEGER NOT NULL,
    -- Page › Section › Subsection
    heading_path TEXT NOT NULL,
    body TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    -- Its place in the source as read.
    position INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    -- A tombstone: gone from the source since then, and where its content went if it moved.
    removed_at TIMESTAMP,
    replaced_by BIGINT REFERENCES doc_sections(id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX doc_sections_by_place ON doc_sections (source_id, url, anchor, passage);
