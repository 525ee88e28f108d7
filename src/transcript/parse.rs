//! WebVTT and SRT files into cues. A file is taken whole or refused whole, with the number of the
//! line that is wrong: not UTF-8, no cue, a bad timestamp, a cue that ends before it starts, or
//! one that starts before the cue above it ends.

use super::cue_text::clean;
use super::cues::Cue;
use super::cues::Format;
use super::cues::Transcript;
use super::cues::TranscriptError;
use super::plain;
use super::timestamp::{format_timestamp, parse_timestamp};

/// Larger files are refused before they are read.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;
pub const MAX_CUES: usize = 100_000;
/// One cue's text; a committee member's turn can run minutes.
pub const MAX_CUE_CHARS: usize = 20_000;
/// Two days: longer is not a recording of a call.
pub const MAX_DURATION_MS: i64 = 48 * 3_600_000;

fn refuse(line: usize, message: impl Into<String>) -> TranscriptError {
    TranscriptError {
        line,
        message: message.into(),
    }
}

/// Reads a transcript; the format is recognised from the content.
pub fn parse(bytes: &[u8]) -> Result<Transcript, TranscriptError> {
    if bytes.len() > MAX_BYTES {
        return Err(refuse(
            1,
            format!(
                "the file is {} MB; transcripts can be at most {} MB",
                bytes.len() / (1024 * 1024),
                MAX_BYTES / (1024 * 1024)
            ),
        ));
    }
    let text = decode(bytes)?;
    let first_line = text.lines().find(|line| !line.trim().is_empty());
    if first_line.is_some_and(plain::looks_like) {
        return stamped_text(text);
    }
    // In WebVTT only an empty line ends a cue: YouTube's captions hold lines of one space.
    let webvtt =
        first_line.is_some_and(|line| is_webvtt_header(line.trim_start_matches('\u{feff}')));
    let blocks = blocks_of(text, webvtt);
    let Some(first) = blocks.first() else {
        return Err(refuse(1, "the file is empty"));
    };
    let format = if is_webvtt_header(first.lines[0]) {
        Format::WebVtt
    } else if first.lines.iter().take(2).any(|line| line.contains("-->")) {
        Format::Srt
    } else {
        return Err(refuse(
            first.first_line,
            "this is neither WebVTT (which starts with WEBVTT), SRT (numbered cues with times \
             like 00:01:02,000 --> 00:01:05,000) nor text with a time stamp like [00:01:02] \
             at the start of each turn",
        ));
    };
    // WebVTT's header block (WEBVTT and its metadata) holds no cue.
    let cue_blocks = if format == Format::WebVtt {
        &blocks[1..]
    } else {
        &blocks[..]
    };
    let mut cues: Vec<Cue> = Vec::new();
    let mut previous: Option<(i64, i64)> = None;
    let mut last_line = String::new();
    for block in cue_blocks {
        if format == Format::WebVtt && is_webvtt_comment_or_style(block.lines[0]) {
            continue;
        }
        let (timing_at, payload) = split_cue(block, format)?;
        let timing_line = block.first_line + timing_at;
        let (start, end) = timing(block.lines[timing_at], timing_line)?;
        if let Some((previous_start, previous_end)) = previous {
            if start < previous_start {
                return Err(refuse(
                    timing_line,
                    format!(
                        "this cue starts at {}, before the cue above it ({}): cues must be in time order",
                        format_timestamp(start),
                        format_timestamp(previous_start)
                    ),
                ));
            }
            if start < previous_end {
                return Err(refuse(
                    timing_line,
                    format!(
                        "this cue starts at {}, before the cue above it ends ({}): cues must not overlap",
                        format_timestamp(start),
                        format_timestamp(previous_end)
                    ),
                ));
            }
        }
        previous = Some((start, end));
        let payload = without_rolled_up_line(payload, end - start, &mut last_line);
        let said = clean(&payload.join("\n"));
        if said.text.is_empty() {
            continue;
        }
        if said.text.chars().count() > MAX_CUE_CHARS {
            return Err(refuse(
                timing_line,
                format!("this cue's text is longer than {MAX_CUE_CHARS} characters"),
            ));
        }
        if cues.len() == MAX_CUES {
            return Err(refuse(
                timing_line,
                format!("a transcript can hold at most {MAX_CUES} cues"),
            ));
        }
        cues.push(Cue {
            start_ms: start,
            end_ms: end,
            speaker: said.speaker,
            text: said.text,
        });
    }
    if cues.is_empty() {
        let last_line = blocks.last().map_or(1, |block| block.first_line);
        return Err(refuse(last_line, "the file has no cue with any text"));
    }
    Ok(Transcript { format, cues })
}

/// A cue this short only holds a line up on screen (YouTube's automatic captions have one between
/// every two cues, repeating the line said).
const HOLD_MS: i64 = 100;

/// The payload without its first line when that only repeats the last line of the cue before:
/// automatic captions roll up, each cue showing the line before it again above the new one.
/// `last_line` keeps the last line with text, as plain text, for the next cue.
fn without_rolled_up_line<'a>(
    payload: &'a [&'a str],
    length_ms: i64,
    last_line: &mut String,
) -> &'a [&'a str] {
    let plain = |line: &str| clean(line).text;
    let lines_with_text = payload
        .iter()
        .filter(|line| !plain(line).is_empty())
        .count();
    let first_with_text = payload.iter().position(|line| !plain(line).is_empty());
    let rolled_up = first_with_text.filter(|&at| {
        !last_line.is_empty()
            && plain(payload[at]) == *last_line
            && (lines_with_text > 1 || length_ms < HOLD_MS)
    });
    if let Some(line) = payload
        .iter()
        .rev()
        .map(|line| plain(line))
        .find(|line| !line.is_empty())
    {
        *last_line = line;
    }
    match rolled_up {
        Some(at) => &payload[at + 1..],
        None => payload,
    }
}

/// Plain text with a stamp before each turn, held to the same limits as captions files.
fn stamped_text(text: &str) -> Result<Transcript, TranscriptError> {
    let cues = plain::parse(text)?;
    if cues.is_empty() {
        return Err(refuse(1, "the file has no turn with any text"));
    }
    if cues.len() > MAX_CUES {
        return Err(refuse(
            1,
            format!("a transcript can hold at most {MAX_CUES} turns"),
        ));
    }
    if let Some(long) = cues
        .iter()
        .find(|cue| cue.text.chars().count() > MAX_CUE_CHARS)
    {
        return Err(refuse(
            1,
            format!(
                "the turn at {} is longer than {MAX_CUE_CHARS} characters",
                format_timestamp(long.start_ms)
            ),
        ));
    }
    if cues.last().is_some_and(|cue| cue.end_ms > MAX_DURATION_MS) {
        return Err(refuse(1, "the turns run longer than two days"));
    }
    Ok(Transcript {
        format: Format::Text,
        cues,
    })
}

/// UTF-8 text without its byte-order mark; anything else is refused at its line.
fn decode(bytes: &[u8]) -> Result<&str, TranscriptError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(refuse(
            1,
            "the file is UTF-16; save it as UTF-8 and upload it again",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|error| {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
            + 1;
        refuse(
            line,
            "this line is not UTF-8 text; save the file as UTF-8 and upload it again",
        )
    })
}

/// A run of non-blank lines, with the number of its first line (from 1).
struct Block<'a> {
    first_line: usize,
    lines: Vec<&'a str>,
}

/// `only_empty_lines_end`: WebVTT's rule; otherwise a line of white space ends a block too.
fn blocks_of(text: &str, only_empty_lines_end: bool) -> Vec<Block<'_>> {
    let mut blocks = Vec::new();
    let mut current: Option<Block<'_>> = None;
    for (index, line) in text.lines().enumerate() {
        let ends_block = if only_empty_lines_end {
            line.is_empty() || (current.is_none() && line.trim().is_empty())
        } else {
            line.trim().is_empty()
        };
        if ends_block {
            blocks.extend(current.take());
            continue;
        }
        current
            .get_or_insert_with(|| Block {
                first_line: index + 1,
                lines: Vec::new(),
            })
            .lines
            .push(line);
    }
    blocks.extend(current);
    blocks
}

fn is_webvtt_header(line: &str) -> bool {
    line.strip_prefix("WEBVTT")
        .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

fn is_webvtt_comment_or_style(line: &str) -> bool {
    ["NOTE", "STYLE", "REGION"].iter().any(|keyword| {
        line.strip_prefix(keyword)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

/// Where a cue block's timing line is, and its payload: an identifier (WebVTT) or a number (SRT)
/// may come first.
fn split_cue<'a>(
    block: &'a Block<'a>,
    format: Format,
) -> Result<(usize, &'a [&'a str]), TranscriptError> {
    let timing_at = if block.lines[0].contains("-->") {
        0
    } else if block.lines.get(1).is_some_and(|line| line.contains("-->")) {
        if format == Format::Srt && !block.lines[0].trim().bytes().all(|b| b.is_ascii_digit()) {
            return Err(refuse(
                block.first_line,
                "an SRT cue starts with its number, then its times",
            ));
        }
        1
    } else {
        return Err(refuse(
            block.first_line,
            "expected a cue's times here, like 00:01:02.000 --> 00:01:05.000",
        ));
    };
    Ok((timing_at, &block.lines[timing_at + 1..]))
}

/// `start --> end`, with WebVTT's cue settings after the end ignored.
fn timing(line: &str, line_number: usize) -> Result<(i64, i64), TranscriptError> {
    let bad = || {
        refuse(
            line_number,
            format!(
                "`{}` is not a cue's times; write them like 00:01:02.000 --> 00:01:05.000",
                line.chars().take(60).collect::<String>()
            ),
        )
    };
    let (start, rest) = line.split_once("-->").ok_or_else(bad)?;
    let end = rest.split_whitespace().next().ok_or_else(bad)?;
    let start = parse_timestamp(start.trim()).ok_or_else(bad)?;
    let end = parse_timestamp(end).ok_or_else(bad)?;
    if end < start {
        return Err(refuse(
            line_number,
            format!(
                "this cue ends ({}) before it starts ({})",
                format_timestamp(end),
                format_timestamp(start)
            ),
        ));
    }
    if end > MAX_DURATION_MS {
        return Err(refuse(
            line_number,
            "this cue is more than two days into the recording",
        ));
    }
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(file: &str) -> TranscriptError {
        parse(file.as_bytes()).expect_err("refused")
    }

    const HANGOUT_VTT: &str = "\u{feff}WEBVTT - monthly hangout
Kind: captions

NOTE recorded on Jitsi

STYLE
::cue { color: yellow }

1
00:00:01.000 --> 00:00:04.500 align:start
<v Anil Madhavapeddy>Welcome, everyone, to the <i>monthly</i> hangout.

2
00:00:05.000 --> 00:00:09.000
<v Hannes>The first question is about
unikernels &amp; TLS.

00:00:09.000 --> 00:00:10.000
<v Hannes>

00:10.000 --> 00:12.250
Short times work too.
";

    #[test]
    fn reads_a_webvtt_file_with_speakers_notes_and_styles() {
        let transcript = parse(HANGOUT_VTT.as_bytes()).unwrap();
        assert_eq!(transcript.format, Format::WebVtt);
        let cues = &transcript.cues;
        assert_eq!(cues.len(), 3, "the empty cue is left out: {cues:?}");
        assert_eq!(cues[0].speaker.as_deref(), Some("Anil Madhavapeddy"));
        assert_eq!(cues[0].text, "Welcome, everyone, to the monthly hangout.");
        assert_eq!((cues[0].start_ms, cues[0].end_ms), (1_000, 4_500));
        assert_eq!(
            cues[1].text,
            "The first question is about unikernels & TLS."
        );
        assert_eq!(
            (cues[2].start_ms, cues[2].speaker.as_deref()),
            (10_000, None)
        );
        assert_eq!(transcript.duration_ms(), 12_250);
    }

    #[test]
    fn reads_youtube_automatic_captions_without_their_rolled_up_repeats() {
        let youtube = "WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:03.190 align:start position:0%
 
hey<00:00:00.539><c> everyone</c><00:00:00.960><c> welcome</c>

00:00:03.190 --> 00:00:03.200 align:start position:0%
hey everyone welcome
 

00:00:03.200 --> 00:00:06.230 align:start position:0%
hey everyone welcome
to<00:00:03.520><c> the</c><00:00:03.760><c> hangout</c>

00:00:06.230 --> 00:00:06.240 align:start position:0%
to the hangout
 

00:00:06.240 --> 00:00:08.000 align:start position:0%
to the hangout
yes yes
";
        let cues = parse(youtube.as_bytes()).unwrap().cues;
        let texts: Vec<&str> = cues.iter().map(|cue| cue.text.as_str()).collect();
        assert_eq!(texts, ["hey everyone welcome", "to the hangout", "yes yes"]);
        // Said twice on purpose, in cues of their own: both stay.
        let twice = "WEBVTT\n\n00:01.000 --> 00:02.000\nYes.\n\n00:02.000 --> 00:03.000\nYes.\n";
        assert_eq!(parse(twice.as_bytes()).unwrap().cues.len(), 2);
    }

    #[test]
    fn reads_an_srt_file() {
        let srt = "1\r\n00:00:01,000 --> 00:00:02,000\r\n<i>Hello</i> there\r\n\r\n2\r\n00:00:02,500 --> 00:00:04,000\r\nSecond line\r\n";
        let transcript = parse(srt.as_bytes()).unwrap();
        assert_eq!(transcript.format, Format::Srt);
        assert_eq!(transcript.cues.len(), 2);
        assert_eq!(transcript.cues[0].text, "Hello there");
        assert_eq!(transcript.cues[1].start_ms, 2_500);
    }

    #[test]
    fn refuses_bad_files_at_the_line_that_is_wrong() {
        let cases: [(&str, usize, &str); 9] = [
            ("", 1, "empty"),
            ("hello\nworld\n", 1, "neither WebVTT"),
            (
                "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n",
                3,
                "no cue with any text",
            ),
            (
                "WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nText\n",
                3,
                "is not a cue's times",
            ),
            (
                "WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nText\n",
                3,
                "ends (00:00:02.000) before it starts",
            ),
            (
                "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nA\n\n00:00:01.000 --> 00:00:02.000\nB\n",
                6,
                "time order",
            ),
            (
                "WEBVTT\n\n00:00:05.000 --> 00:00:08.000\nA\n\n00:00:07.000 --> 00:00:09.000\nB\n",
                6,
                "must not overlap",
            ),
            (
                "WEBVTT\n\njust some text\nwithout times\n",
                3,
                "expected a cue's times",
            ),
            (
                "1\n00:00:01,000 --> 00:00:02,000\nA\n\nfirst\n00:00:03,000 --> 00:00:04,000\nB\n",
                5,
                "starts with its number",
            ),
        ];
        for (file, line, says) in cases {
            let error = refused(file);
            assert_eq!(error.line, line, "{file:?}: {error}");
            assert!(error.message.contains(says), "{file:?}: {error}");
        }
    }

    #[test]
    fn refuses_other_encodings_and_oversized_files() {
        let mut latin1 = b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\ncaf".to_vec();
        latin1.push(0xE9);
        let error = parse(&latin1).unwrap_err();
        assert_eq!(error.line, 4);
        assert!(error.message.contains("UTF-8"));
        assert!(parse(&[0xFF, 0xFE, b'W', 0])
            .unwrap_err()
            .message
            .contains("UTF-16"));
        let noise = vec![b'x'; MAX_BYTES + 1];
        assert!(parse(&noise).unwrap_err().message.contains("at most 20 MB"));
    }
}
