//! A site given by its `sitemap.xml`: its pages fetched over HTTP(S) from that host only (a
//! redirect elsewhere is refused), each within a size and a time limit, and read as HTML. The host
//! is resolved once and checked: a private address is refused unless allowed, as for webhooks.

use std::net::SocketAddr;
use std::time::Duration;

use futures_util::StreamExt;
use quick_xml::events::Event;

use super::html;
use super::progress::{report, ProgressSender};
use super::section::{Anchors, ReadSection, Refused, MAX_PAGE_BYTES};
use crate::domain::is_private;

/// More pages than any documentation has: the rest of a larger sitemap is not read.
pub const MAX_PAGES: usize = 20_000;
/// A page's (or the sitemap's) time to answer in full.
const TIMEOUT: Duration = Duration::from_secs(15);
/// Pages fetched at once: a documentation site is someone's server, not ours to load.
const AT_ONCE: usize = 4;

/// Every section of every page the sitemap lists, and a refusal for each page that could not be
/// read; an error when the sitemap itself cannot be.
pub async fn read(
    sitemap: &str,
    allow_private: bool,
    progress: &ProgressSender,
) -> Result<(Vec<ReadSection>, Vec<Refused>), String> {
    let sitemap_url = url::Url::parse(sitemap.trim())
        .map_err(|_| format!("`{sitemap}` is not an address (https://…/sitemap.xml)"))?;
    if !matches!(sitemap_url.scheme(), "http" | "https") {
        return Err(format!("`{sitemap}` is not an http(s) address"));
    }
    let host = sitemap_url
        .host_str()
        .ok_or_else(|| format!("`{sitemap}` names no host"))?
        .to_owned();
    let client = client_for(&sitemap_url, &host, allow_private).await?;
    let mut refused = Vec::new();
    let pages = page_addresses(&client, &sitemap_url, &host, &mut refused).await?;
    let total = pages.len();
    report(progress, 0, total);
    let fetched: Vec<(String, Result<String, String>)> = futures_util::stream::iter(pages)
        .map(|page| {
            let client = client.clone();
            async move {
                let text = fetch(&client, &page, Wanted::Html).await;
                (page, text)
            }
        })
        .buffered(AT_ONCE)
        .enumerate()
        .map(|(done, fetched)| {
            report(progress, done + 1, total);
            fetched
        })
        .collect()
        .await;
    let mut sections = Vec::new();
    let mut anchors = Anchors::default();
    for (page, text) in fetched {
        match text {
            Ok(text) => sections.extend(html::sections_of(&text, &page, &mut anchors)),
            Err(reason) => refused.push(Refused {
                place: page,
                reason,
            }),
        }
    }
    Ok((sections, refused))
}

/// A client pinned to the address checked here, following redirects on the same host only.
async fn client_for(
    url: &url::Url,
    host: &str,
    allow_private: bool,
) -> Result<reqwest::Client, String> {
    let port = url.port_or_known_default().unwrap_or(443);
    let lookup = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let addresses: Vec<SocketAddr> = tokio::net::lookup_host((lookup.as_str(), port))
        .await
        .map_err(|error| format!("could not find {host}: {error}"))?
        .collect();
    let first = addresses
        .first()
        .copied()
        .ok_or_else(|| format!("{host} has no address"))?;
    if !allow_private && addresses.iter().any(|address| is_private(address.ip())) {
        return Err(format!(
            "{host} is on this machine or a private network (FAQTORY_ALLOW_PRIVATE_WEBHOOKS is off)"
        ));
    }
    let same_host = host.to_owned();
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .resolve(&lookup, first)
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if attempt.url().host_str() != Some(same_host.as_str()) {
                let elsewhere = attempt.url().to_string();
                attempt.error(format!("a redirect to another host ({elsewhere})"))
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|error| format!("could not make an HTTP client: {error}"))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wanted {
    Html,
    Xml,
}

/// The body of `address`, refused when it is not what was wanted, is larger than a page may be,
/// or does not come in time.
async fn fetch(client: &reqwest::Client, address: &str, wanted: Wanted) -> Result<String, String> {
    let mut response = client.get(address).send().await.map_err(|error| {
        let error = error.without_url();
        format!("could not fetch it: {error}")
    })?;
    if !response.status().is_success() {
        return Err(format!("the site answered {}", response.status()));
    }
    let kind = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let fits = match wanted {
        Wanted::Html => kind.contains("html"),
        Wanted::Xml => kind.contains("xml") || kind.starts_with("text/plain") || kind.is_empty(),
    };
    if !fits {
        return Err(format!(
            "not {} ({kind})",
            match wanted {
                Wanted::Html => "an HTML page",
                Wanted::Xml => "a sitemap",
            }
        ));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| format!("could not read it: {}", error.without_url()))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_PAGE_BYTES {
            return Err(format!(
                "more than {} MB, more than a documentation page can be",
                MAX_PAGE_BYTES / (1024 * 1024)
            ));
        }
    }
    if body.contains(&0) {
        return Err("binary data, not text".to_owned());
    }
    Ok(String::from_utf8_lossy(&body).into_owned())
}

/// The pages the sitemap lists (following a sitemap index one level down), on its host only.
async fn page_addresses(
    client: &reqwest::Client,
    sitemap: &url::Url,
    host: &str,
    refused: &mut Vec<Refused>,
) -> Result<Vec<String>, String> {
    let text = fetch(client, sitemap.as_str(), Wanted::Xml)
        .await
        .map_err(|reason| format!("the sitemap {sitemap}: {reason}"))?;
    let (is_index, listed) =
        locations(&text).map_err(|reason| format!("the sitemap {sitemap}: {reason}"))?;
    let mut pages = Vec::new();
    let mut more = 0usize;
    let mut add = |address: String, pages: &mut Vec<String>, refused: &mut Vec<Refused>| {
        match url::Url::parse(&address) {
            Ok(mut url) if url.host_str() == Some(host) => {
                url.set_fragment(None);
                if pages.len() < MAX_PAGES {
                    pages.push(url.to_string());
                } else {
                    more += 1;
                }
            }
            _ => refused.push(Refused {
                place: address,
                reason: format!("not on {host}: only the sitemap's own host is read"),
            }),
        }
    };
    if is_index {
        for nested in listed {
            let Ok(nested_url) = url::Url::parse(&nested) else {
                continue;
            };
            if nested_url.host_str() != Some(host) {
                refused.push(Refused {
                    place: nested,
                    reason: format!("not on {host}: only the sitemap's own host is read"),
                });
                continue;
            }
            match fetch(client, &nested, Wanted::Xml)
                .await
                .and_then(|text| locations(&text))
            {
                Ok((_, addresses)) => {
                    for address in addresses {
                        add(address, &mut pages, refused);
                    }
                }
                Err(reason) => refused.push(Refused {
                    place: nested,
                    reason,
                }),
            }
        }
    } else {
        for address in listed {
            add(address, &mut pages, refused);
        }
    }
    if more > 0 {
        refused.push(Refused {
            place: sitemap.to_string(),
            reason: format!("{more} more pages not read: at most {MAX_PAGES} are"),
        });
    }
    pages.sort();
    pages.dedup();
    Ok(pages)
}

/// Whether the XML is a sitemap index, and the addresses in its `<loc>` elements.
fn locations(xml: &str) -> Result<(bool, Vec<String>), String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut is_index = false;
    let mut current: Option<String> = None;
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(start)) => {
                let name = start.local_name();
                if name.as_ref() == b"sitemapindex" {
                    is_index = true;
                }
                current = (name.as_ref() == b"loc").then(String::new);
            }
            Ok(Event::Text(text)) => {
                if let Some(address) = current.as_mut() {
                    let words = text
                        .decode()
                        .map_err(|error| format!("not a sitemap: {error}"))?;
                    address.push_str(&words);
                }
            }
            Ok(Event::GeneralRef(reference)) => {
                if let Some(address) = current.as_mut() {
                    let name = reference
                        .decode()
                        .map_err(|error| format!("not a sitemap: {error}"))?;
                    address.push_str(&entity(&name)?);
                }
            }
            Ok(Event::End(_)) => {
                if let Some(address) = current.take() {
                    found.push(address.trim().to_owned());
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(error) => return Err(format!("not a sitemap: {error}")),
        }
        if found.len() > MAX_PAGES * 2 {
            break;
        }
    }
    if found.is_empty() {
        return Err("not a sitemap: no <loc> addresses in it".to_owned());
    }
    Ok((is_index, found))
}

/// What `&name;` stands for: the five XML entities and character references.
fn entity(name: &str) -> Result<String, String> {
    let character = match name.strip_prefix('#') {
        Some(number) => {
            let code = match number.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16),
                None => number.parse(),
            };
            code.ok().and_then(char::from_u32)
        }
        None => quick_xml::escape::resolve_predefined_entity(name).and_then(|s| s.chars().next()),
    };
    character
        .map(String::from)
        .ok_or_else(|| format!("not a sitemap: unknown entity &{name};"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemaps_and_indexes_list_their_addresses() {
        let (index, found) = locations(
            r#"<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://d.example/a?x=1&amp;y=2 </loc></url><url><loc>https://d.example/b</loc></url></urlset>"#,
        )
        .unwrap();
        assert!(!index);
        assert_eq!(
            found,
            ["https://d.example/a?x=1&y=2", "https://d.example/b"]
        );
        let (index, _) = locations(
            "<sitemapindex><sitemap><loc>https://d.example/s1.xml</loc></sitemap></sitemapindex>",
        )
        .unwrap();
        assert!(index);
        assert!(locations("<html>no</html>").is_err());
    }
}
