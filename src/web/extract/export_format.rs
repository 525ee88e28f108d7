//! `?format=json|csv` of the downloads moderators take (an event's export, the docs report).

use crate::domain::Invalid;

/// Whether CSV was asked for: `json` (or nothing) is the default; anything else is refused.
pub fn wants_csv(format: Option<&str>) -> Result<bool, Invalid> {
    match format {
        None | Some("" | "json") => Ok(false),
        Some("csv") => Ok(true),
        Some(_) => Err(Invalid::new("format", "The format is `json` or `csv`.")),
    }
}
