//! Asking, voting and following, from the event page's forms and from the API (both over the same
//! `participation` steps), and the similar questions offered under the ask form.

pub(crate) mod api;
pub(crate) mod pages;
pub(crate) mod participation;
pub(crate) mod similar;
pub(crate) mod visitor;
