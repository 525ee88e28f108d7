//! Captions to post with the video: the transcript's cues as WebVTT or SRT, cut to what a viewer
//! can read — at most two lines of 42 characters on screen at once (the common broadcast and
//! streaming rule) — with a long cue's time shared among its captions by their length.

use super::cues::Cue;

/// Characters on one line of a caption.
pub const LINE_CHARS: usize = 42;
/// Lines of a caption on screen at once.
pub const LINES: usize = 2;

/// One caption on screen: its time, who speaks (on the first caption of their cue), its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caption {
    pub start_ms: i64,
    pub end_ms: i64,
    pub speaker: Option<String>,
    pub lines: Vec<String>,
}

/// The cues cut into captions, in time order.
pub fn captions(cues: &[Cue]) -> Vec<Caption> {
    cues.iter().flat_map(captions_of).collect()
}

fn captions_of(cue: &Cue) -> Vec<Caption> {
    let lines = wrapped(&cue.text);
    let pieces: Vec<&[String]> = lines.chunks(LINES).collect();
    let length =
        |piece: &[String]| -> usize { piece.iter().map(|line| line.chars().count()).sum() };
    let total: usize = pieces.iter().map(|piece| length(piece)).sum();
    let span = (cue.end_ms - cue.start_ms).max(0);
    let at = |chars: usize| -> i64 {
        if total == 0 {
            return cue.start_ms;
        }
        cue.start_ms + span * chars as i64 / total as i64
    };
    let mut before = 0usize;
    pieces
        .into_iter()
        .enumerate()
        .map(|(number, piece)| {
            let caption = Caption {
                start_ms: at(before),
                end_ms: at(before + length(piece)),
                speaker: cue.speaker.clone().filter(|_| number == 0),
                lines: piece.to_vec(),
            };
            before += length(piece);
            caption
        })
        .collect()
}

/// The text in lines of at most [`LINE_CHARS`], each as full as the next word allows (a word
/// longer than a line has one to itself).
fn wrapped(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let longer = current.chars().count() + 1 + word.chars().count();
        if !current.is_empty() && longer > LINE_CHARS {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// `hh:mm:ss.mmm` (WebVTT) or `hh:mm:ss,mmm` (SRT).
fn clock(millis: i64, separator: char) -> String {
    let millis = millis.max(0);
    format!(
        "{:02}:{:02}:{:02}{separator}{:03}",
        millis / 3_600_000,
        millis / 60_000 % 60,
        millis / 1000 % 60,
        millis % 1000
    )
}

/// WebVTT's text: `&`, `<` and `>` are its markup (a `-->` in speech stays text too).
fn vtt_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A WebVTT captions track; the speaker, when known, as a voice (`<v Name>`).
pub fn as_webvtt(cues: &[Cue]) -> String {
    let mut file = String::from("WEBVTT\n");
    for (number, caption) in captions(cues).iter().enumerate() {
        file.push_str(&format!(
            "\n{}\n{} --> {}\n",
            number + 1,
            clock(caption.start_ms, '.'),
            clock(caption.end_ms, '.')
        ));
        for (line_number, line) in caption.lines.iter().enumerate() {
            match (&caption.speaker, line_number) {
                (Some(speaker), 0) => {
                    // A voice's name ends at `>`, and a space would cut it short.
                    let name = vtt_text(speaker).replace(' ', "\u{a0}");
                    file.push_str(&format!("<v {name}>{}\n", vtt_text(line)));
                }
                _ => {
                    file.push_str(&vtt_text(line));
                    file.push('\n');
                }
            }
        }
    }
    file
}

/// An SRT captions file; the speaker, when known, before their words.
pub fn as_srt(cues: &[Cue]) -> String {
    let mut file = String::new();
    for (number, caption) in captions(cues).iter().enumerate() {
        file.push_str(&format!(
            "{}\n{} --> {}\n",
            number + 1,
            clock(caption.start_ms, ','),
            clock(caption.end_ms, ',')
        ));
        for (line_number, line) in caption.lines.iter().enumerate() {
            // A timing line is what SRT readers look for: speech never reads as one.
            let line = line.replace("-->", "->");
            match (&caption.speaker, line_number) {
                (Some(speaker), 0) => file.push_str(&format!("{speaker}: {line}\n")),
                _ => {
                    file.push_str(&line);
                    file.push('\n');
                }
            }
        }
        file.push('\n');
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcript::cues::Format;
    use crate::transcript::parse::parse;

    fn cue(start_ms: i64, end_ms: i64, speaker: Option<&str>, text: &str) -> Cue {
        Cue {
            start_ms,
            end_ms,
            speaker: speaker.map(str::to_owned),
            text: text.into(),
        }
    }

    #[test]
    fn a_short_cue_is_one_caption_of_one_line() {
        let made = captions(&[cue(1_000, 3_500, None, "Yes, it runs on ARM.")]);
        assert_eq!(
            made,
            vec![Caption {
                start_ms: 1_000,
                end_ms: 3_500,
                speaker: None,
                lines: vec!["Yes, it runs on ARM.".into()]
            }]
        );
    }

    #[test]
    fn a_long_cue_is_cut_into_readable_captions_sharing_its_time() {
        let said = "So the short answer is yes, you can run the whole thing in Docker, and \
                    we publish an image for every release, but you will want to mount the data \
                    directory as a volume so that nothing is lost when the container goes away.";
        let made = captions(&[cue(10_000, 40_000, Some("Ana"), said)]);
        assert!(made.len() >= 3, "{made:?}");
        for caption in &made {
            assert!(caption.lines.len() <= LINES, "{caption:?}");
            for line in &caption.lines {
                assert!(line.chars().count() <= LINE_CHARS, "{line}");
            }
        }
        assert_eq!(made[0].start_ms, 10_000);
        assert_eq!(made.last().unwrap().end_ms, 40_000);
        for pair in made.windows(2) {
            assert_eq!(pair[0].end_ms, pair[1].start_ms);
        }
        assert_eq!(made[0].speaker.as_deref(), Some("Ana"));
        assert!(made[1..].iter().all(|caption| caption.speaker.is_none()));
        let rejoined: Vec<String> = made.iter().map(|caption| caption.lines.join(" ")).collect();
        assert_eq!(
            rejoined.join(" "),
            said.split_whitespace().collect::<Vec<_>>().join(" ")
        );
    }

    #[test]
    fn webvtt_keeps_speech_as_text_and_reads_back() {
        let cues = [
            cue(
                0,
                2_000,
                Some("Ana <host>"),
                "Is <b>this</b> & that --> fine?",
            ),
            cue(62_003, 3_723_004, None, "Later."),
        ];
        let file = as_webvtt(&cues);
        assert!(
            file.starts_with("WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.000\n"),
            "{file}"
        );
        assert!(
            file.contains(
                "<v Ana\u{a0}&lt;host&gt;>Is &lt;b&gt;this&lt;/b&gt; &amp; that --&gt; fine?\n"
            ),
            "{file}"
        );
        assert!(
            file.contains("00:01:02.003 --> 01:02:03.004\nLater.\n"),
            "{file}"
        );
        let read = parse(file.as_bytes()).unwrap();
        assert_eq!(read.format, Format::WebVtt);
        assert_eq!(read.cues.len(), 2);
        assert_eq!(read.cues[1].start_ms, 62_003);
        assert_eq!(read.cues[1].text, "Later.");
    }

    #[test]
    fn srt_numbers_its_captions_and_reads_back() {
        let cues = [
            cue(500, 2_000, Some("Ana"), "First --> second."),
            cue(2_000, 4_000, None, "Third."),
        ];
        let file = as_srt(&cues);
        assert_eq!(
            file,
            "1\n00:00:00,500 --> 00:00:02,000\nAna: First -> second.\n\n\
             2\n00:00:02,000 --> 00:00:04,000\nThird.\n\n"
        );
        let read = parse(file.as_bytes()).unwrap();
        assert_eq!(read.format, Format::Srt);
        assert_eq!(read.cues.len(), 2);
        assert_eq!(read.cues[0].start_ms, 500);
    }
}
