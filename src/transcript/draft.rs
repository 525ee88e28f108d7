//! A draft answer from what was said: the speakers' own words from a passage, without fillers
//! ("um", "you know") and stutters ("the the"), cue fragments joined into sentences, each speaker
//! named when the transcript knows them, at most about 120 words. Nothing is added: a draft's
//! words are the transcript's, in its order.

use super::answer_bounds::{answer_only, Sentence};
use super::cues::Cue;

pub const MAX_WORDS: usize = 120;

/// Sounds and phrases that carry nothing in writing; matched on whole words, any case.
const FILLERS: [&[&str]; 9] = [
    &["um"],
    &["umm"],
    &["uh"],
    &["uhm"],
    &["er"],
    &["erm"],
    &["hmm"],
    &["mm-hmm"],
    &["you", "know"],
];

/// A draft: who said what, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    pub turns: Vec<Turn>,
    /// The cues it was read from (by position).
    pub cues: std::ops::Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    /// Named only when the transcript names somebody in the passage.
    pub speaker: Option<String>,
    pub text: String,
}

impl Draft {
    /// Paragraphs of plain text, `Name: what they said`.
    pub fn text(&self) -> String {
        self.turns
            .iter()
            .map(|turn| match &turn.speaker {
                Some(name) => format!("{name}: {}", turn.text),
                None => turn.text.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The same as Markdown for an answer: the speaker in bold, the words escaped so that
    /// nothing said turns into markup.
    pub fn markdown(&self) -> String {
        self.turns
            .iter()
            .map(|turn| match &turn.speaker {
                Some(name) => format!(
                    "**{}:** {}",
                    escape_markdown(name),
                    escape_markdown(&turn.text)
                ),
                None => escape_markdown(&turn.text),
            })
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    pub fn is_empty(&self) -> bool {
        self.turns.is_empty()
    }

    /// How many people's words it holds: more than one asks for a look before publishing.
    pub fn speaker_count(&self) -> usize {
        let mut named: Vec<&str> = self
            .turns
            .iter()
            .filter_map(|turn| turn.speaker.as_deref())
            .collect();
        named.sort_unstable();
        named.dedup();
        named.len()
    }
}

/// Backslashes before the characters Markdown reads as markup anywhere (emphasis, code, links,
/// HTML, tables), and before what would start a heading or a list at the start of the text;
/// full stops and brackets elsewhere stay as said.
fn escape_markdown(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    for (at, c) in text.chars().enumerate() {
        let starts_a_block = (at == 0 && matches!(c, '#' | '-' | '+' | '='))
            || (digits > 0 && at == digits && matches!(c, '.' | ')'));
        if starts_a_block
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~'
            )
        {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Words read from a passage at most: more than a draft holds, since what comes before the
/// answer is left out.
const READ_WORDS: usize = 3 * MAX_WORDS;

/// The draft answer to `question` from the cues from `first` on that start before `until_ms`:
/// the reading of the question, greetings, sign-offs and the next question left out (see
/// `answer_bounds`).
pub fn draft(cues: &[Cue], first: usize, until_ms: i64, question: &str) -> Draft {
    let kept = answer_only(question, sentences(cues, first, until_ms));
    let cues_used = match (kept.first(), kept.last()) {
        (Some(opening), Some(closing)) => opening.cues.start..closing.cues.end,
        _ => first..first,
    };
    let mut turns: Vec<(Option<&str>, Vec<String>)> = Vec::new();
    for sentence in kept {
        match turns.last_mut() {
            Some((speaker, words)) if *speaker == sentence.speaker => words.extend(sentence.words),
            _ => turns.push((sentence.speaker, sentence.words)),
        }
    }
    let mut budget = MAX_WORDS;
    let mut draft = Draft {
        turns: Vec::new(),
        cues: cues_used,
    };
    for (speaker, words) in turns {
        if budget == 0 {
            break;
        }
        let kept = cut_at_a_sentence(&words, budget);
        budget -= kept.len();
        draft.turns.push(Turn {
            speaker: speaker.map(str::to_owned),
            text: tidy(&kept.join(" ")),
        });
    }
    draft
}

/// What was said from cue `first` until `until_ms` (at least one cue), sentence by sentence; a
/// sentence ends at its full stop, question or exclamation mark, or where the speaker changes.
fn sentences(cues: &[Cue], first: usize, until_ms: i64) -> Vec<Sentence<'_>> {
    let mut sentences: Vec<Sentence<'_>> = Vec::new();
    let mut open: Option<Sentence<'_>> = None;
    let mut words_read = 0;
    for (position, cue) in cues.iter().enumerate().skip(first) {
        if cue.start_ms >= until_ms && words_read > 0 {
            break;
        }
        let words = plain_words(&cue.text);
        // A cue of only fillers or punctuation ("Um.", ".") says nothing.
        if !words
            .iter()
            .any(|word| word.chars().any(char::is_alphanumeric))
        {
            continue;
        }
        let speaker = cue.speaker.as_deref();
        if open
            .as_ref()
            .is_some_and(|sentence| sentence.speaker != speaker)
        {
            sentences.extend(open.take());
        }
        words_read += words.len();
        for word in words {
            let ends = word.ends_with(['.', '?', '!']);
            let sentence = open.get_or_insert_with(|| Sentence {
                speaker,
                words: Vec::new(),
                cues: position..position + 1,
            });
            sentence.words.push(word);
            sentence.cues.end = position + 1;
            if ends {
                sentences.extend(open.take());
            }
        }
        if words_read >= READ_WORDS {
            break;
        }
    }
    sentences.extend(open.take());
    sentences
}

/// The cue's words without fillers and immediate repeats.
fn plain_words(text: &str) -> Vec<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut kept: Vec<String> = Vec::with_capacity(words.len());
    let mut at = 0;
    'words: while at < words.len() {
        for filler in FILLERS {
            let matches = filler.iter().enumerate().all(|(offset, part)| {
                words
                    .get(at + offset)
                    .is_some_and(|word| bare(word).eq_ignore_ascii_case(part))
            });
            if matches {
                // A filler's own comma goes with it: "so, um, we" reads "so, we".
                let consumed = filler.len();
                let last = words[at + consumed - 1];
                if last.ends_with(',') || words.get(at + consumed) == Some(&",") {
                    at += usize::from(words.get(at + consumed) == Some(&","));
                }
                at += consumed;
                continue 'words;
            }
        }
        let word = words[at];
        let repeated = kept.last().is_some_and(|previous| {
            bare(previous).eq_ignore_ascii_case(bare(word)) && !bare(word).is_empty()
        });
        if !repeated {
            kept.push(word.to_owned());
        }
        at += 1;
    }
    // Punctuation left at the start by a removed filler ("Um . So") starts nothing.
    let first_word = kept
        .iter()
        .position(|word| word.chars().any(char::is_alphanumeric))
        .unwrap_or(kept.len());
    kept.split_off(first_word)
}

/// A word without the punctuation around it.
fn bare(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
}

/// At most `budget` words, ending at the last sentence end within them when there is one.
fn cut_at_a_sentence(words: &[String], budget: usize) -> Vec<String> {
    if words.len() <= budget {
        return words.to_vec();
    }
    let within = &words[..budget];
    let sentence_end = within
        .iter()
        .rposition(|word| word.ends_with(['.', '?', '!']));
    match sentence_end {
        Some(end) if end >= budget / 3 => within[..=end].to_vec(),
        _ => {
            let mut cut = within.to_vec();
            if let Some(last) = cut.last_mut() {
                last.push('…');
            }
            cut
        }
    }
}

/// Spoken-transcript spacing made written: no space before punctuation or a contraction, and
/// a capital to start with.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(' ') {
        let attaches = word.starts_with([',', '.', '?', '!', ';', ':'])
            || ["n't", "'s", "'re", "'ll", "'ve", "'m", "'d"]
                .iter()
                .any(|suffix| word.eq_ignore_ascii_case(suffix));
        if !out.is_empty() && !attaches {
            out.push(' ');
        }
        out.push_str(word);
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cue(at: i64, speaker: Option<&str>, text: &str) -> Cue {
        Cue {
            start_ms: at * 1000,
            end_ms: at * 1000 + 4000,
            speaker: speaker.map(str::to_owned),
            text: text.to_owned(),
        }
    }

    #[test]
    fn joins_fragments_drops_fillers_and_names_speakers() {
        let cues = vec![
            cue(0, Some("Anil"), "So , um , the release is"),
            cue(
                4,
                Some("Anil"),
                "planned for for March , you know , after the freeze .",
            ),
            cue(8, Some("Hannes"), "And TLS is n't affected ."),
            cue(12, Some("Anil"), "Next question ."),
        ];
        let text = draft(&cues, 0, 12_000, "When is the release?").text();
        assert_eq!(
            text,
            "Anil: So, the release is planned for March, after the freeze.\n\nHannes: And TLS isn't affected."
        );
    }

    #[test]
    fn stays_within_its_words_and_adds_none() {
        let long = "This sentence has exactly eight words in it.";
        let cues: Vec<Cue> = (0..40).map(|n| cue(n * 4, None, long)).collect();
        let text = draft(&cues, 0, i64::MAX, "How long?").text();
        let words = text.split_whitespace().count();
        assert!(words <= MAX_WORDS, "{words}");
        assert!(text.ends_with('.'), "{text}");
        let said: Vec<&str> = long.split_whitespace().collect();
        assert!(text.split_whitespace().all(|word| said.contains(&word)));
        assert!(draft(&cues, 40, i64::MAX, "How long?").is_empty());
    }

    #[test]
    fn as_markdown_nothing_said_becomes_markup() {
        let cues = vec![
            cue(0, Some("Eve_1"), "Use *this* # [link](x) <now>. Done."),
            cue(4, None, "2. Not a list, - not one either"),
        ];
        let markdown = draft(&cues, 0, i64::MAX, "What to use?").markdown();
        assert_eq!(
            markdown,
            "**Eve\\_1:** Use \\*this\\* # \\[link\\](x) \\<now\\>. Done.\n\n2\\. Not a list, - not one either"
        );
    }
}
