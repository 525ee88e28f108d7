//! Plain text with a time stamp at the start of each turn, as meeting notes and some
//! transcription tools write it: `[00:12:34] Anil: the next release is planned for March.`
//! (`[12:34]` works too). A line without a stamp goes on with the turn above it; each turn lasts
//! until the next stamp, the last one as long as it takes to say (150 words a minute).

use super::cue_text::clean;
use super::cues::Cue;
use super::cues::TranscriptError;

/// The time the last turn is given per word.
const MS_PER_WORD: i64 = 400;
/// A name before a colon at the start of a turn is a speaker when it is this short.
const MAX_SPEAKER_WORDS: usize = 4;

/// Whether the text starts like this format: its first line opens with a stamp.
pub fn looks_like(first_line: &str) -> bool {
    stamp(first_line).is_some()
}

/// `[hh:mm:ss]` or `[mm:ss]` at the start of a line: its milliseconds and the rest of the line.
fn stamp(line: &str) -> Option<(i64, &str)> {
    let rest = line.trim_start().strip_prefix('[')?;
    let (clock, after) = rest.split_once(']')?;
    let parts: Vec<&str> = clock.trim().split(':').collect();
    let number = |digits: &&str| {
        (!digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<i64>().ok())
            .flatten()
    };
    let numbers: Vec<i64> = parts.iter().map(number).collect::<Option<_>>()?;
    let (hours, minutes, seconds) = match numbers.as_slice() {
        [minutes, seconds] => (0, *minutes, *seconds),
        [hours, minutes, seconds] if *minutes < 60 => (*hours, *minutes, *seconds),
        _ => return None,
    };
    (seconds < 60).then_some((((hours * 60 + minutes) * 60 + seconds) * 1000, after))
}

/// `Anil: what was said` → the speaker and the words; a colon later in a sentence is not one.
fn speaker_and_text(text: &str) -> (Option<String>, &str) {
    if let Some((name, said)) = text.split_once(':') {
        let words = name.split_whitespace().count();
        let looks_like_a_name = (1..=MAX_SPEAKER_WORDS).contains(&words)
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '.' || c == '-' || c == '\'')
            && name.trim_start().starts_with(char::is_uppercase);
        if looks_like_a_name && !said.trim().is_empty() {
            return (Some(name.trim().to_owned()), said.trim());
        }
    }
    (None, text.trim())
}

/// The turns of the text; `lines` are numbered from 1.
pub fn parse(text: &str) -> Result<Vec<Cue>, TranscriptError> {
    let refuse = |line: usize, message: String| TranscriptError { line, message };
    // (line, start, text so far)
    let mut turns: Vec<(usize, i64, String)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match stamp(line) {
            Some((start, rest)) => {
                if let Some((_, previous, _)) = turns.last() {
                    if start < *previous {
                        return Err(refuse(
                            index + 1,
                            "this turn's time is before the turn above it: turns must be in time order"
                                .to_owned(),
                        ));
                    }
                }
                turns.push((index + 1, start, rest.trim().to_owned()));
            }
            None => match turns.last_mut() {
                Some((_, _, said)) => {
                    said.push(' ');
                    said.push_str(line.trim());
                }
                None => {
                    return Err(refuse(
                        index + 1,
                        "expected a time stamp like [00:12:34] at the start of the line".to_owned(),
                    ))
                }
            },
        }
    }
    let mut cues = Vec::with_capacity(turns.len());
    for (at, (_, start, said)) in turns.iter().enumerate() {
        let (speaker, words) = speaker_and_text(said);
        // The same cleaning as captions: markup and entities are not what was said.
        let cleaned = clean(words);
        if cleaned.text.is_empty() {
            continue;
        }
        let spoken = cleaned.text.split_whitespace().count() as i64 * MS_PER_WORD;
        let end = match turns.get(at + 1) {
            Some((_, next, _)) if *next > *start => *next,
            Some(_) => *start,
            None => start + spoken.max(1000),
        };
        cues.push(Cue {
            start_ms: *start,
            end_ms: end.max(*start),
            speaker: speaker.or(cleaned.speaker),
            text: cleaned.text,
        });
    }
    Ok(cues)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_stamped_turns_with_speakers_and_continued_lines() {
        let cues = parse(
            "[00:00:05] Anil: Welcome everyone.\n\
             Let us start.\n\
             \n\
             [01:10] Hannes Mehnert: TLS works now: with Let's Encrypt.\n\
             [1:02:03] note: lower case is not a speaker\n",
        )
        .unwrap();
        assert_eq!(cues.len(), 3);
        assert_eq!(
            (cues[0].start_ms, cues[0].end_ms, cues[0].speaker.as_deref()),
            (5_000, 70_000, Some("Anil"))
        );
        assert_eq!(cues[0].text, "Welcome everyone. Let us start.");
        assert_eq!(cues[1].speaker.as_deref(), Some("Hannes Mehnert"));
        assert_eq!(cues[1].text, "TLS works now: with Let's Encrypt.");
        assert_eq!(cues[2].start_ms, 3_723_000);
        assert_eq!(cues[2].speaker, None);
        assert!(cues[2].end_ms > cues[2].start_ms);
    }

    #[test]
    fn refuses_unordered_turns_and_text_before_the_first_stamp() {
        let error = parse("[00:10] a\n[00:05] b\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(parse("hello\n[00:05] b\n").unwrap_err().line, 1);
        assert!(!looks_like("[99:99] nope"));
        assert!(looks_like("[00:00:01] yes"));
    }
}
