//! A recording's chapters from its questions' moments: the plain-text list video sites read from a
//! description (`00:00 Introduction`, `12:34 How do I …`: the first at 00:00, each at least 10 s
//! after the one before) and the same as a WebVTT chapters file.

/// Video sites ignore chapters closer together than this.
const MIN_GAP_SECS: u32 = 10;
/// Titles longer than this are cut at a word.
const TITLE_CHARS: usize = 90;
/// Without the recording's length, the last chapter lasts this long in the WebVTT file.
const LAST_CHAPTER_SECS: u32 = 5 * 60;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub at_secs: u32,
    pub title: String,
}

/// Chapters from (moment, question) pairs in any order: an introduction first when nothing starts
/// at 0, moments closer than 10 s to the chapter before left out.
pub fn chapters(mut moments: Vec<(u32, String)>) -> Vec<Chapter> {
    moments.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let mut chapters: Vec<Chapter> = Vec::new();
    for (at_secs, question) in moments {
        let title = short_title(&question);
        match chapters.last() {
            None if at_secs < MIN_GAP_SECS => chapters.push(Chapter { at_secs: 0, title }),
            None => {
                chapters.push(Chapter {
                    at_secs: 0,
                    title: "Introduction".into(),
                });
                chapters.push(Chapter { at_secs, title });
            }
            Some(last) if at_secs >= last.at_secs + MIN_GAP_SECS => {
                chapters.push(Chapter { at_secs, title });
            }
            Some(_) => {}
        }
    }
    chapters
}

fn short_title(question: &str) -> String {
    let words: String = question.split_whitespace().collect::<Vec<_>>().join(" ");
    if words.chars().count() <= TITLE_CHARS {
        return words;
    }
    let mut cut: String = words.chars().take(TITLE_CHARS).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

/// `0:00` style, as video descriptions write it: `mm:ss`, or `h:mm:ss` past the hour.
fn description_time(secs: u32, hours: bool) -> String {
    if hours {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{:02}:{:02}", secs / 60, secs % 60)
    }
}

/// One line per chapter, for a video's description.
pub fn as_text(chapters: &[Chapter]) -> String {
    let hours = chapters.iter().any(|chapter| chapter.at_secs >= 3600);
    chapters
        .iter()
        .map(|chapter| {
            format!(
                "{} {}\n",
                description_time(chapter.at_secs, hours),
                chapter.title
            )
        })
        .collect()
}

fn vtt_time(secs: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}.000",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// A WebVTT chapters track; each chapter runs to the next, the last to `end_secs` when known.
pub fn as_webvtt(chapters: &[Chapter], end_secs: Option<u32>) -> String {
    let mut file = String::from("WEBVTT\n");
    for (number, chapter) in chapters.iter().enumerate() {
        let end = chapters
            .get(number + 1)
            .map(|next| next.at_secs)
            .or(end_secs.filter(|end| *end > chapter.at_secs))
            .unwrap_or(chapter.at_secs + LAST_CHAPTER_SECS);
        let title = chapter
            .title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        file.push_str(&format!(
            "\n{}\n{} --> {}\n{title}\n",
            number + 1,
            vtt_time(chapter.at_secs),
            vtt_time(end)
        ));
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments() -> Vec<(u32, String)> {
        vec![
            (754, "How do I build a unikernel for Xen?".into()),
            (95, "Does TLS work with Let's Encrypt?".into()),
            (100, "Too close to the one before".into()),
            (4000, "What comes after the 5.0 release?".into()),
        ]
    }

    #[test]
    fn starts_at_zero_and_keeps_ten_seconds_apart() {
        let listed = chapters(moments());
        let times: Vec<u32> = listed.iter().map(|c| c.at_secs).collect();
        assert_eq!(times, vec![0, 95, 754, 4000]);
        assert_eq!(listed[0].title, "Introduction");
        assert_eq!(
            chapters(vec![(3, "First".into())]),
            vec![Chapter {
                at_secs: 0,
                title: "First".into()
            }]
        );
        assert!(chapters(Vec::new()).is_empty());
    }

    #[test]
    fn writes_the_description_list_and_the_webvtt_track() {
        let listed = chapters(moments());
        assert_eq!(
            as_text(&listed),
            "0:00:00 Introduction\n0:01:35 Does TLS work with Let's Encrypt?\n\
             0:12:34 How do I build a unikernel for Xen?\n1:06:40 What comes after the 5.0 release?\n"
        );
        assert_eq!(
            as_text(&listed[..2]),
            "00:00 Introduction\n01:35 Does TLS work with Let's Encrypt?\n"
        );
        let track = as_webvtt(
            &[Chapter {
                at_secs: 0,
                title: "<b>Q&A</b> --> now".into(),
            }],
            Some(60),
        );
        assert_eq!(
            track,
            "WEBVTT\n\n1\n00:00:00.000 --> 00:01:00.000\n&lt;b&gt;Q&amp;A&lt;/b&gt; --&gt; now\n"
        );
        let long = "word ".repeat(40);
        assert!(short_title(&long).ends_with('…'));
        assert!(short_title(&long).chars().count() <= TITLE_CHARS + 1);
    }
}
