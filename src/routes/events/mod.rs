//! Events in the browser and the API: the public event page, and moderators creating events,
//! changing their settings and moving them through their life.

pub(crate) mod admin;
pub(crate) mod api;
pub(crate) mod page;
pub(crate) mod public_api;
