//! The ask form and the asker's follow page.

pub mod ask_form;
pub mod docs_box;
pub mod follow;
