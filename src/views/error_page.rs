use maud::{html, Markup};

use super::layout::{page, PageMeta};

pub fn error_page(heading: &str, message: &str, public_base: &str) -> Markup {
    page(
        &PageMeta {
            title: heading,
            description: message,
            url: public_base,
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
