//! "Where you are signed in" on the account page: each session with its browser, address and
//! last use, ended one by one or all at once.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::db::sessions::Session;
use crate::views::time::time_ago;

/// A browser's own description is long; the account page names the browser and the system.
fn device_name(user_agent: &str) -> String {
    let browser = ["Edg/", "Firefox/", "Chrome/", "Safari/", "curl/"]
        .iter()
        .find(|marker| user_agent.contains(*marker))
        .map(|marker| match *marker {
            "Edg/" => "Edge",
            "Firefox/" => "Firefox",
            "Chrome/" => "Chrome",
            "Safari/" => "Safari",
            _ => "curl",
        });
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Mac OS X", "macOS"),
        ("Windows", "Windows"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| user_agent.contains(marker))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(browser), Some(system)) => format!("{browser} on {system}"),
        (Some(browser), None) => browser.to_owned(),
        (None, Some(system)) => system.to_owned(),
        (None, None) => user_agent.chars().take(60).collect(),
    }
}

pub fn sessions_section(
    sessions: &[Session],
    current: Option<i64>,
    csrf: &str,
    now: NaiveDateTime,
) -> Markup {
    html! {
        section.ask aria-labelledby="sessions-heading" {
            h2 #sessions-heading { "Where you are signed in" }
            table.moderators.stacked.sessions {
                thead { tr { th scope="col" { "Browser" } th scope="col" { "Address" } th scope="col" { "Last seen" } th scope="col" { span.visually-hidden { "Sign out" } } } }
                tbody {
                    @for session in sessions {
                        tr {
                            td data-label="Browser" {
                                (device_name(&session.user_agent))
                                @if current == Some(session.id) { " " span.badge.yours { "this browser" } }
                            }
                            td data-label="Address" { (session.address) }
                            td.when data-label="Last seen" { (time_ago(session.last_seen_at, now)) }
                            td.actions {
                                form method="post" action={ "/mod/account/sessions/" (session.id) "/end" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button.link-button type="submit" { "sign out" }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action="/mod/account/sessions/end-all" {
                input type="hidden" name="csrf" value=(csrf);
                button.secondary type="submit" { "Sign out everywhere" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::device_name;

    #[test]
    fn browsers_are_named_briefly() {
        let chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
        assert_eq!(device_name(chrome), "Chrome on Linux");
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(device_name(iphone), "Safari on iPhone");
        assert_eq!(device_name("something odd"), "something odd");
    }
}
