//! A cue's payload as plain text: the speaker from WebVTT's `<v Name>`, every other tag removed
//! (`<c>`, `<i>`, `<b>`, YouTube's `<00:00:01.320>` word timings, SRT's `<font>` and `{\an8}`),
//! entities decoded, lines joined, white space collapsed, control characters dropped.

/// What a cue says, and who says it when the file names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueText {
    pub speaker: Option<String>,
    pub text: String,
}

pub fn clean(payload: &str) -> CueText {
    let mut speaker = None;
    let mut text = String::with_capacity(payload.len());
    let mut rest = payload;
    while let Some(at) = rest.find(['<', '{', '&']) {
        text.push_str(&rest[..at]);
        let from = &rest[at..];
        let consumed = match from.as_bytes()[0] {
            b'<' => from.find('>').map(|end| {
                if speaker.is_none() {
                    speaker = voice_of(&from[1..end]);
                }
                end + 1
            }),
            // SRT's positioning codes, `{\an8}`.
            b'{' if from.starts_with("{\\") => from.find('}').map(|end| end + 1),
            b'&' => entity(from).map(|(decoded, length)| {
                text.push(decoded);
                length
            }),
            _ => None,
        };
        match consumed {
            Some(length) => rest = &from[length..],
            // Not markup after all: the character is text.
            None => {
                let first = from.chars().next().map_or(1, char::len_utf8);
                text.push_str(&from[..first]);
                rest = &from[first..];
            }
        }
    }
    text.push_str(rest);
    CueText {
        speaker,
        text: text
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|word| !word.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The name in a voice tag's inside (`v Name`, `v.loud Name`), if it is one.
fn voice_of(tag: &str) -> Option<String> {
    let rest = tag.strip_prefix('v')?;
    if !rest.starts_with([' ', '\t', '.']) {
        return None;
    }
    let (_, name) = rest.split_once([' ', '\t'])?;
    let name = clean(name).text;
    (!name.is_empty()).then_some(name)
}

/// The character an entity at the start of `from` stands for, and the entity's length.
fn entity(from: &str) -> Option<(char, usize)> {
    let end = from
        .char_indices()
        .take(12)
        .find(|&(_, c)| c == ';')
        .map(|(at, _)| at)?;
    let name = &from[1..end];
    let decoded = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "lrm" | "rlm" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(payload: &str) -> String {
        clean(payload).text
    }

    #[test]
    fn takes_the_speaker_from_the_voice_tag() {
        let cue = clean("<v Mindy Kaling>So we shipped it.</v>");
        assert_eq!(cue.speaker.as_deref(), Some("Mindy Kaling"));
        assert_eq!(cue.text, "So we shipped it.");
        assert_eq!(clean("<v.loud Bob>Hi").speaker.as_deref(), Some("Bob"));
        assert_eq!(clean("<v Grad C>").text, "");
        assert_eq!(clean("no voice").speaker, None);
    }

    #[test]
    fn removes_markup_and_word_timings() {
        assert_eq!(
            text("<00:00:01.319><c> the</c><00:00:01.600><c> release</c>"),
            "the release"
        );
        assert_eq!(text("<i>really</i> <b>important</b>"), "really important");
        assert_eq!(text("{\\an8}<font color=\"#ff0\">On top</font>"), "On top");
        assert_eq!(text("line one\nline  two"), "line one line two");
    }

    #[test]
    fn decodes_entities_and_keeps_what_only_looks_like_markup() {
        assert_eq!(text("a &lt; b &amp;&amp; c &gt; d"), "a < b && c > d");
        assert_eq!(text("caf&#233; &#x2014; ok"), "café — ok");
        assert_eq!(text("R&D and 3 < 4"), "R&D and 3 < 4");
        assert_eq!(text("{not a code}"), "{not a code}");
        assert_eq!(text("tab\there\u{0}nul"), "tab here nul");
    }
}
