//! The text of a `NOTIFY` payload: which instance sent it, then its notices.
//! `"<instance>|<event>:<question>:<kind>;…"`, kept under PostgreSQL's 8,000-byte limit by the
//! sender splitting batches.

use super::notice::{Notice, NoticeKind};

/// Payloads stay below PostgreSQL's limit (8,000 bytes) with room to spare.
pub const MAX_PAYLOAD_BYTES: usize = 7_000;

fn kind_code(kind: NoticeKind) -> char {
    match kind {
        NoticeKind::Asked => 'a',
        NoticeKind::Voted => 'v',
        NoticeKind::Changed => 'c',
        NoticeKind::EventChanged => 'e',
        NoticeKind::PollAnswered => 'p',
        NoticeKind::PollChanged => 'l',
        NoticeKind::Resync => 'r',
    }
}

fn kind_from_code(code: &str) -> Option<NoticeKind> {
    Some(match code {
        "a" => NoticeKind::Asked,
        "v" => NoticeKind::Voted,
        "c" => NoticeKind::Changed,
        "e" => NoticeKind::EventChanged,
        "p" => NoticeKind::PollAnswered,
        "l" => NoticeKind::PollChanged,
        "r" => NoticeKind::Resync,
        _ => return None,
    })
}

/// Packs notices into as few payloads as fit.
pub fn encode(instance: u64, notices: &[Notice]) -> Vec<String> {
    let mut payloads = Vec::new();
    let mut current = String::new();
    for notice in notices {
        let item = format!(
            "{}:{}:{}",
            notice.event_id,
            notice.question_id,
            kind_code(notice.kind)
        );
        if !current.is_empty() && current.len() + item.len() + 1 > MAX_PAYLOAD_BYTES {
            payloads.push(std::mem::take(&mut current));
        }
        if current.is_empty() {
            current = format!("{instance:x}|{item}");
        } else {
            current.push(';');
            current.push_str(&item);
        }
    }
    if !current.is_empty() {
        payloads.push(current);
    }
    payloads
}

/// The sending instance and its notices; items that do not parse are skipped (another version
/// of faqtory may speak a little differently).
pub fn decode(payload: &str) -> Option<(u64, Vec<Notice>)> {
    let (instance, items) = payload.split_once('|')?;
    let instance = u64::from_str_radix(instance, 16).ok()?;
    let notices = items
        .split(';')
        .filter_map(|item| {
            let mut parts = item.split(':');
            let event_id = parts.next()?.parse().ok()?;
            let question_id = parts.next()?.parse().ok()?;
            let kind = kind_from_code(parts.next()?)?;
            Some(Notice {
                event_id,
                question_id,
                kind,
            })
        })
        .collect();
    Some((instance, notices))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_survive_the_trip() {
        let notices = vec![
            Notice::question(7, 42, NoticeKind::Voted),
            Notice::question(7, 43, NoticeKind::Asked),
            Notice::event(9),
            Notice::resync(),
        ];
        let payloads = encode(0xabc, &notices);
        assert_eq!(payloads.len(), 1);
        assert_eq!(decode(&payloads[0]), Some((0xabc, notices)));
    }

    #[test]
    fn large_batches_split_under_the_limit() {
        let notices: Vec<Notice> = (0..2_000)
            .map(|id| Notice::question(123_456, 1_000_000 + id, NoticeKind::Voted))
            .collect();
        let payloads = encode(u64::MAX, &notices);
        assert!(payloads.len() > 1);
        assert!(payloads.iter().all(|p| p.len() <= MAX_PAYLOAD_BYTES));
        let back: Vec<Notice> = payloads.iter().flat_map(|p| decode(p).unwrap().1).collect();
        assert_eq!(back, notices);
    }

    #[test]
    fn poll_notices_travel_too() {
        let notices = vec![
            Notice::question(3, 9, NoticeKind::PollAnswered),
            Notice::question(3, 9, NoticeKind::PollChanged),
        ];
        let payloads = encode(7, &notices);
        assert_eq!(decode(&payloads[0]), Some((7, notices)));
    }

    #[test]
    fn garbage_is_refused_or_skipped() {
        assert_eq!(decode("no separator"), None);
        assert_eq!(decode("zz|1:2:v"), None);
        assert_eq!(
            decode("1f|1:2:v;x:y:z;3:4:q;5:6:c"),
            Some((
                0x1f,
                vec![
                    Notice::question(1, 2, NoticeKind::Voted),
                    Notice::question(5, 6, NoticeKind::Changed)
                ]
            ))
        );
    }
}
