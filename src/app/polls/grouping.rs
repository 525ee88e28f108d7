//! Open-text answers grouped by meaning, as duplicate questions are (see
//! `moderation::duplicates`): every answer in a group is close to every other. A moderator turns
//! the groups into the options of a ranking poll in one step, or into questions for the session.

use std::collections::HashSet;

use chrono::NaiveDateTime;

use crate::app::asking::question_import::{self, ImportedQuestion};
use crate::app::moderation::duplicates::complete_linkage;
use crate::app::polls::drafting::{self, find_in};
use crate::app::polls::results::SHOWN;
use crate::app::polls::Poll;
use crate::bus::{Bus, Notice};
use crate::db::{self, Db};
use crate::domain::{
    DraftPoll, Invalid, PollAnswer, PollDefinition, PollKind, OPTIONS, OPTION_CHARS,
};
use crate::error::AppError;
use crate::meaning::background::Background;
use crate::meaning::Meaning;
use crate::search::{content_stems, SearchIndex};

/// Answers compared at most (the most up-voted): grouping compares every pair.
pub const COMPARED: usize = 400;

/// Answers that say the same thing, the most up-voted first.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerGroup {
    /// (answer id, text, up-votes).
    pub answers: Vec<(i64, String, i32)>,
}

impl AnswerGroup {
    /// The group's words as an option or a question: its most up-voted answer.
    pub fn lead(&self) -> &str {
        self.answers
            .first()
            .map_or("", |(_, text, _)| text.as_str())
    }

    /// How many people said it, and how many agreed since.
    pub fn weight(&self) -> (usize, i32) {
        (
            self.answers.len(),
            self.answers.iter().map(|(_, _, votes)| votes).sum(),
        )
    }
}

/// The shown answers of an open-text poll in groups, largest first; an answer like no other is
/// a group of its own.
pub async fn groups(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    poll_id: i64,
) -> Result<Vec<AnswerGroup>, AppError> {
    let (poll, rows) = db
        .read(move |conn| {
            let poll = find_in(conn, poll_id)?;
            let rows = db::poll_answers::of_poll(conn, poll_id)?;
            Ok((poll, rows))
        })
        .await?;
    if poll.kind() != PollKind::Text {
        return Err(Invalid::new("poll", "Only open-text answers are grouped.").into());
    }
    let mut answers: Vec<(i64, String, i32)> = rows
        .into_iter()
        .filter(|row| row.status == SHOWN && !row.discounted)
        .filter_map(|row| match PollAnswer::from_stored(&row.answer) {
            Some(PollAnswer::Text(text)) => Some((row.id, text, row.votes)),
            _ => None,
        })
        .collect();
    answers.sort_by_key(|(id, _, votes)| (std::cmp::Reverse(*votes), *id));
    answers.truncate(COMPARED);
    let texts: Vec<String> = answers.iter().map(|(_, text, _)| text.clone()).collect();
    let vectors = meaning
        .embed_list(texts.clone())
        .await
        .filter(|vectors| vectors.len() == texts.len());
    let index = index.clone();
    let linking = meaning.cuts().same_question;
    let grouped = tokio::task::spawn_blocking(move || {
        let stems: Vec<HashSet<String>> = texts.iter().map(|text| content_stems(text)).collect();
        let weights = index.word_weights(&stems);
        let background = vectors
            .as_ref()
            .and_then(|vectors| Background::of(vectors.iter().map(Vec::as_slice)));
        let mut links = Vec::new();
        for a in 0..texts.len() {
            for b in a + 1..texts.len() {
                let closeness = match (&vectors, &background) {
                    (Some(vectors), Some(background)) => {
                        Some(background.closeness(&vectors[a], &vectors[b]))
                    }
                    _ => None,
                };
                let words = weights.closeness(&stems[a], &stems[b]);
                if let Some(strength) = linking.link(closeness, words) {
                    links.push((a, b, strength));
                }
            }
        }
        complete_linkage(&links)
    })
    .await
    .map_err(|error| AppError::internal("grouping open-text answers", error))?;
    let mut taken = vec![false; answers.len()];
    let mut groups: Vec<AnswerGroup> = Vec::new();
    for members in grouped {
        let mut group: Vec<(i64, String, i32)> = Vec::new();
        for at in members {
            if let Some(answer) = answers.get(at) {
                taken[at] = true;
                group.push(answer.clone());
            }
        }
        group.sort_by_key(|(id, _, votes)| (std::cmp::Reverse(*votes), *id));
        groups.push(AnswerGroup { answers: group });
    }
    for (at, answer) in answers.into_iter().enumerate() {
        if !taken[at] {
            groups.push(AnswerGroup {
                answers: vec![answer],
            });
        }
    }
    groups.sort_by_key(|group| {
        let (people, votes) = group.weight();
        (
            std::cmp::Reverse(people),
            std::cmp::Reverse(votes),
            group.answers.first().map(|(id, _, _)| *id),
        )
    });
    Ok(groups)
}

/// An option's words from a group's lead: white space tidied and cut to an option's length.
fn option_text(lead: &str) -> String {
    let tidy = lead.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.chars().count() <= *OPTION_CHARS.end() {
        return tidy;
    }
    let cut: String = tidy.chars().take(OPTION_CHARS.end() - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A draft ranking poll whose options are the largest groups (up to ten), for the room to order.
pub async fn to_ranking_poll(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    groups: &[AnswerGroup],
    source: &Poll,
    at: NaiveDateTime,
) -> Result<Poll, AppError> {
    let mut options: Vec<String> = Vec::new();
    for group in groups {
        let option = option_text(group.lead());
        if !options
            .iter()
            .any(|earlier| earlier.to_lowercase() == option.to_lowercase())
        {
            options.push(option);
        }
        if options.len() == *OPTIONS.end() {
            break;
        }
    }
    if options.len() < *OPTIONS.start() {
        return Err(Invalid::new(
            "groups",
            "A ranking needs at least two different answers to order.",
        )
        .into());
    }
    let prompt = format!("Put these in order: {}", source.definition.prompt);
    let prompt: String = prompt.chars().take(300).collect();
    let definition = PollDefinition::parse(&DraftPoll {
        kind: PollKind::Ranking.as_str(),
        prompt: &prompt,
        options: &options,
        results: "live",
        ..DraftPoll::default()
    })?;
    drafting::create(db, bus, actor, source.event_id, definition, Vec::new(), at).await
}

/// Each group as a question of the event, counting one vote for each person who said it (as
/// imported questions count theirs); a group already asked is left out. Returns how many were
/// added.
pub async fn to_questions(
    db: &Db,
    bus: &Bus,
    event_slug: &str,
    event_id: i64,
    groups: &[AnswerGroup],
) -> Result<usize, AppError> {
    let questions: Vec<ImportedQuestion> = groups
        .iter()
        .filter_map(|group| {
            let votes = group.answers.len().to_string();
            question_import::parse_record(group.lead(), None, None, Some(&votes)).ok()
        })
        .collect();
    let outcome = question_import::import_batch(db, event_slug, questions).await?;
    bus.publish(Notice::event(event_id));
    Ok(outcome.imported)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_cut_to_fit() {
        assert_eq!(option_text("  more   examples "), "more examples");
        let long = "word ".repeat(40);
        let option = option_text(&long);
        assert_eq!(option.chars().count(), *OPTION_CHARS.end());
        assert!(option.ends_with('…'));
    }

    #[test]
    fn a_group_leads_with_its_most_agreed_answer() {
        let group = AnswerGroup {
            answers: vec![(3, "More examples".into(), 4), (1, "examples!".into(), 1)],
        };
        assert_eq!(group.lead(), "More examples");
        assert_eq!(group.weight(), (2, 5));
    }
}
