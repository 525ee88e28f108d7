//! A project's documentation, read into sections by heading: what the sources say, before the
//! database keeps it. Each kind of source has a reader; every reader gives the same
//! [`section::ReadSection`]s and a refusal for each page it could not read, never failing the
//! whole source for one bad page.

pub mod html;
pub mod jsonl;
pub mod markdown;
pub mod progress;
pub mod section;
pub mod site;
