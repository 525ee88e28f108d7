//! The ask form and the asker's follow page.

pub mod ask_form;
pub mod follow;
