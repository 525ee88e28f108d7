//! The duplicates view: groups of an event's open questions that ask the same thing, each ready
//! to merge into its most voted question. Nothing is merged or ticked for merging: a moderator
//! decides.
//!
//! Two questions are linked when they are close in what sets them apart from the event's other
//! questions (closeness of meaning past what they all share, see `meaning::background`), or
//! somewhat close and sharing words that are rare in the event and the FAQ (see
//! `search::word_weights`); without the sentence encoder, rare shared words alone decide. A group
//! is complete: every member is linked to every other, so one weak link cannot chain two groups
//! together, and merging a question away never pulls unrelated ones into a group.

use std::collections::{HashMap, HashSet};

use crate::db::{self, questions::Question, Db};
use crate::domain::QuestionStatus;
use crate::error::AppError;
use crate::meaning::background::Background;
use crate::meaning::Meaning;
use crate::search::{content_stems, SearchIndex};

/// How many of an event's questions the duplicates view compares (the most voted).
pub const COMPARED: usize = 500;

pub use crate::meaning::hybrid::Linking;

/// The event's likely duplicates: most voted first within a group, largest groups first.
pub async fn groups(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    event_slug: &str,
) -> Result<Vec<Vec<Question>>, AppError> {
    let linking = meaning.cuts().same_question;
    groups_among(db, index, meaning, event_slug, COMPARED, linking).await
}

/// [`groups`] among the `most_voted` open questions, linked by `linking` (benchmarks compare
/// them all, and calibrate the thresholds).
pub async fn groups_among(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    event_slug: &str,
    most_voted: usize,
    linking: Linking,
) -> Result<Vec<Vec<Question>>, AppError> {
    let slug = event_slug.to_owned();
    let mut open = db
        .read(move |conn| {
            let event = db::events::find_by_slug(conn, &slug)?
                .ok_or(AppError::NotFound { what: "event" })?;
            let mut open =
                db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)?;
            open.extend(db::questions::in_event_with_status(
                conn,
                event.id,
                QuestionStatus::Pending,
            )?);
            Ok(open)
        })
        .await?;
    // Most voted first, then the first asked: the order a group is offered in, kept first.
    open.sort_by_key(|question| (std::cmp::Reverse(question.vote_count), question.id));
    open.truncate(most_voted);
    let index = index.clone();
    let vectors = meaning.vectors().cloned();
    let texts: Vec<String> = open.iter().map(|question| question.body.clone()).collect();
    let ids: Vec<i64> = open.iter().map(|question| question.id).collect();
    let grouped = tokio::task::spawn_blocking(move || {
        let stems: Vec<HashSet<String>> = texts.iter().map(|text| content_stems(text)).collect();
        let weights = index.word_weights(&stems);
        let own: Vec<Option<Box<[f32]>>> = ids
            .iter()
            .map(|id| vectors.as_ref().and_then(|vectors| vectors.of(*id)))
            .collect();
        let background = Background::of(own.iter().flatten().map(|vector| &vector[..]));
        let mut links = Vec::new();
        for a in 0..ids.len() {
            for b in a + 1..ids.len() {
                let meaning = match (&own[a], &own[b], &background) {
                    (Some(va), Some(vb), Some(background)) => Some(background.closeness(va, vb)),
                    _ => None,
                };
                let words = weights.closeness(&stems[a], &stems[b]);
                if let Some(strength) = linking.link(meaning, words) {
                    links.push((a, b, strength));
                }
            }
        }
        complete_linkage(&links)
    })
    .await
    .map_err(|error| AppError::internal("grouping similar questions", error))?;
    let mut slots: Vec<Option<Question>> = open.into_iter().map(Some).collect();
    let mut groups: Vec<Vec<Question>> = grouped
        .into_iter()
        .map(|members| {
            members
                .into_iter()
                .filter_map(|at| slots.get_mut(at).and_then(Option::take))
                .collect()
        })
        .collect();
    groups.sort_by_key(|members: &Vec<Question>| {
        let kept = members.first();
        (
            std::cmp::Reverse(members.len()),
            std::cmp::Reverse(kept.map(|question| question.vote_count)),
            kept.map(|question| question.id),
        )
    });
    Ok(groups)
}

/// Groups in which every member is linked to every other: links are taken strongest first,
/// and two groups join only when all their members are linked across. Returns groups of two or
/// more positions, each in ascending order (the order the items came in).
pub(crate) fn complete_linkage(links: &[(usize, usize, f32)]) -> Vec<Vec<usize>> {
    let linked: HashSet<(usize, usize)> = links
        .iter()
        .map(|&(a, b, _)| (a.min(b), a.max(b)))
        .collect();
    let mut ordered: Vec<&(usize, usize, f32)> = links.iter().collect();
    ordered.sort_by(|x, y| y.2.total_cmp(&x.2).then((x.0, x.1).cmp(&(y.0, y.1))));
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for &&(a, b, _) in &ordered {
        let group_a = *group_of.entry(a).or_insert_with(|| {
            members.push(vec![a]);
            members.len() - 1
        });
        let group_b = *group_of.entry(b).or_insert_with(|| {
            members.push(vec![b]);
            members.len() - 1
        });
        if group_a == group_b {
            continue;
        }
        let all_linked = members[group_a].iter().all(|&x| {
            members[group_b]
                .iter()
                .all(|&y| linked.contains(&(x.min(y), x.max(y))))
        });
        if all_linked {
            let moved = std::mem::take(&mut members[group_b]);
            for &member in &moved {
                group_of.insert(member, group_a);
            }
            members[group_a].extend(moved);
        }
    }
    let mut groups: Vec<Vec<usize>> = members
        .into_iter()
        .filter(|group| group.len() > 1)
        .map(|mut group| {
            group.sort_unstable();
            group
        })
        .collect();
    groups.sort();
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_weak_link_does_not_chain_two_groups() {
        // 0–1 and 2–3 are pairs; 1–2 is linked, but 0–2 and 1–3 are not.
        let links = [(0, 1, 0.9), (2, 3, 0.8), (1, 2, 0.6)];
        assert_eq!(complete_linkage(&links), [vec![0, 1], vec![2, 3]]);
    }

    #[test]
    fn a_group_takes_in_what_is_linked_to_all_of_it() {
        let links = [(0, 1, 0.9), (0, 2, 0.7), (1, 2, 0.65), (2, 3, 0.95)];
        // 2–3 is strongest, then 0–1; 0–2 would join the two pairs, but 0–3 and 1–3 are
        // missing.
        assert_eq!(complete_linkage(&links), [vec![0, 1], vec![2, 3]]);
        let triangle = [(0, 1, 0.9), (0, 2, 0.7), (1, 2, 0.65)];
        assert_eq!(complete_linkage(&triangle), [vec![0, 1, 2]]);
    }

    #[test]
    fn removing_a_member_leaves_the_other_groups_as_they_were() {
        let links = [(0, 1, 0.9), (2, 3, 0.8), (1, 2, 0.6), (4, 5, 0.7)];
        let without_1: Vec<(usize, usize, f32)> = links
            .iter()
            .copied()
            .filter(|&(a, b, _)| a != 1 && b != 1)
            .collect();
        assert_eq!(complete_linkage(&without_1), [vec![2, 3], vec![4, 5]]);
    }

    #[test]
    fn meaning_alone_or_with_rare_words_links_and_words_decide_without_vectors() {
        let linking = crate::meaning::cuts::ALL_MINILM_L6_V2.same_question;
        assert!(linking.link(Some(0.6), 0.0).is_some());
        assert!(linking.link(Some(0.4), 0.5).is_some());
        assert!(linking.link(Some(0.4), 0.1).is_none());
        assert!(linking.link(Some(0.1), 0.9).is_none());
        assert!(linking.link(None, 0.6).is_some());
        assert!(linking.link(None, 0.2).is_none());
    }
}
