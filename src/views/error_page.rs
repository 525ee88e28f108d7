use maud::{html, Markup};

use super::layout::{page, PageMeta};

pub fn error_page(heading: &str, message: &str) -> Markup {
    page(
        &PageMeta {
            title: heading,
            description: message,
            url: None,
        },
        html! {
            section.notice.error {
                h1 { (heading) }
                p { (message) }
                p { a href="/" { "Back to the events" } }
            }
        },
    )
}
