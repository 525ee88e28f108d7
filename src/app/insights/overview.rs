//! What each topic shows: its questions (with events), votes, failed searches, when it was first
//! and last seen, its trend over the last events, and what covers it — FAQ entries, a section of
//! the documentation, moments of recordings — or nothing. Ranked by demand.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use crate::app::insights::docs_cover::add_docs_cover;
use crate::app::insights::placing::place_new;
use crate::app::insights::sources::Sources;
use crate::app::insights::summary::{
    Coverage, EventRef, RecordingMoment, TopicQuestion, TopicSummary,
};
use crate::db::topic_members::{PlacedQuestion, TopicAnswer};
use crate::db::topic_poll_answers::PlacedPollAnswer;
use crate::db::{self, topics::TopicRow};
use crate::domain::{trend_of, QuestionStatus, TREND_EVENTS};
use crate::error::AppError;

/// How many of a topic's questions are shown with it (the most voted).
pub const TOP_QUESTIONS: usize = 5;

/// What a reader narrows topics to.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Questions asked (and searches last made) on or after this day.
    pub since: Option<NaiveDate>,
    /// And before this day (a digest's period ends there).
    pub until: Option<NaiveDate>,
    /// One event's questions, by slug.
    pub event: Option<String>,
    /// Questions with a label of this name.
    pub label: Option<String>,
    pub include_hidden: bool,
}

impl Filter {
    fn narrows_questions(&self) -> bool {
        self.event.is_some() || self.label.is_some()
    }
}

/// Every topic, placing new questions first, ranked by demand (then most recently seen).
pub struct Overview {
    pub topics: Vec<TopicSummary>,
    /// The last events the trend looks at, oldest first.
    pub trend_events: Vec<EventRef>,
    pub events: Vec<EventRef>,
    /// Questions and searches no topic holds yet (without the encoder's vectors, for instance).
    pub unplaced: usize,
    pub last_grouping: Option<db::topics::GroupingRow>,
}

struct Loaded {
    topics: Vec<TopicRow>,
    questions: Vec<PlacedQuestion>,
    searches: Vec<db::topic_members::PlacedSearch>,
    poll_answers: Vec<PlacedPollAnswer>,
    answers: Vec<TopicAnswer>,
    automated: Vec<i64>,
    events: Vec<(i64, String, String, NaiveDateTime)>,
    labelled: Option<HashSet<i64>>,
    last_grouping: Option<db::topics::GroupingRow>,
}

pub async fn overview(sources: &Sources<'_>, filter: &Filter) -> Result<Overview, AppError> {
    let unplaced = place_new(sources.db, &sources.meaning, sources.work).await?;
    let label = filter.label.clone();
    let loaded = sources
        .db
        .read(move |conn| {
            Ok(Loaded {
                topics: db::topics::all(conn)?,
                questions: db::topic_members::placed_question_rows(conn)?,
                searches: db::topic_members::placed_search_rows(conn)?,
                poll_answers: db::topic_poll_answers::placed_rows(conn)?,
                answers: db::topic_members::answers_of_placed(conn)?,
                automated: db::topic_members::automated_votes_of_placed(conn)?,
                events: db::topic_members::events_in_order(conn)?,
                labelled: match &label {
                    Some(name) => Some(
                        db::topic_members::labelled(conn, name)?
                            .into_iter()
                            .collect(),
                    ),
                    None => None,
                },
                last_grouping: db::topics::last_started(conn)?,
            })
        })
        .await?;
    let mut overview = summarise(loaded, filter, unplaced);
    add_docs_cover(sources, &mut overview.topics).await?;
    for topic in &mut overview.topics {
        if topic.custom_label.is_none() {
            if let Some(docs) = topic
                .coverage
                .docs
                .as_ref()
                .filter(|_| topic.coverage.faq_entries.is_empty())
            {
                topic.label = docs.title.clone();
            }
        }
    }
    Ok(overview)
}

fn summarise(loaded: Loaded, filter: &Filter, unplaced: usize) -> Overview {
    let event_refs: HashMap<i64, EventRef> = loaded
        .events
        .iter()
        .map(|(id, slug, title, _)| {
            (
                *id,
                EventRef {
                    id: *id,
                    slug: slug.clone(),
                    title: title.clone(),
                },
            )
        })
        .collect();
    let asked_at: HashSet<i64> = loaded.questions.iter().map(|row| row.event_id).collect();
    let ordered: Vec<i64> = loaded
        .events
        .iter()
        .map(|(id, ..)| *id)
        .filter(|id| asked_at.contains(id))
        .collect();
    let window: Vec<i64> = ordered[ordered.len().saturating_sub(TREND_EVENTS)..].to_vec();
    let position: HashMap<i64, usize> = ordered
        .iter()
        .enumerate()
        .map(|(at, id)| (*id, at))
        .collect();
    let window_start = ordered.len().saturating_sub(TREND_EVENTS);
    let filter_event = filter.event.as_ref().and_then(|slug| {
        event_refs
            .values()
            .find(|event| &event.slug == slug)
            .map(|event| event.id)
    });
    let since = filter
        .since
        .map(|day| day.and_hms_opt(0, 0, 0).unwrap_or_default());
    let until = filter
        .until
        .map(|day| day.and_hms_opt(0, 0, 0).unwrap_or_default());
    let in_period = |at: NaiveDateTime| {
        since.is_none_or(|since| at >= since) && until.is_none_or(|until| at < until)
    };

    let mut automated: HashMap<i64, i64> = HashMap::new();
    for question in &loaded.automated {
        *automated.entry(*question).or_default() += 1;
    }
    let mut answers: HashMap<i64, Vec<&TopicAnswer>> = HashMap::new();
    for answer in &loaded.answers {
        answers.entry(answer.0).or_default().push(answer);
    }
    let mut by_topic: HashMap<i64, Vec<&PlacedQuestion>> = HashMap::new();
    for row in &loaded.questions {
        by_topic.entry(row.topic_id).or_default().push(row);
    }
    let mut searches_by_topic: HashMap<i64, Vec<&db::topic_members::PlacedSearch>> = HashMap::new();
    for row in &loaded.searches {
        searches_by_topic.entry(row.0).or_default().push(row);
    }

    let mut answers_by_topic: HashMap<i64, Vec<&PlacedPollAnswer>> = HashMap::new();
    for row in &loaded.poll_answers {
        answers_by_topic.entry(row.topic_id).or_default().push(row);
    }

    let mut topics = Vec::new();
    for topic in &loaded.topics {
        if topic.merged_into.is_some() || (topic.hidden && !filter.include_hidden) {
            continue;
        }
        let all_rows = by_topic.get(&topic.id).cloned().unwrap_or_default();
        let rows: Vec<&PlacedQuestion> = all_rows
            .iter()
            .copied()
            .filter(|row| filter_event.is_none_or(|event| row.event_id == event))
            .filter(|row| in_period(row.asked_at))
            .filter(|row| {
                loaded
                    .labelled
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&row.question_id))
            })
            .collect();
        let searches: Vec<&db::topic_members::PlacedSearch> = if filter.narrows_questions() {
            Vec::new()
        } else {
            searches_by_topic
                .get(&topic.id)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|row| in_period(row.4))
                .collect()
        };
        let poll_answers: Vec<&PlacedPollAnswer> = if filter.label.is_some() {
            Vec::new()
        } else {
            answers_by_topic
                .get(&topic.id)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|row| filter_event.is_none_or(|event| row.event_id == event))
                .filter(|row| in_period(row.answered_at))
                .collect()
        };
        if rows.is_empty() && searches.is_empty() && poll_answers.is_empty() {
            continue;
        }
        let votes_of = |row: &PlacedQuestion| -> i64 {
            if row.merged_into.is_some() {
                0
            } else {
                (i64::from(row.votes) - automated.get(&row.question_id).copied().unwrap_or(0))
                    .max(0)
            }
        };
        let votes: i64 = rows.iter().map(|row| votes_of(row)).sum();
        let search_count: i64 = searches.iter().map(|row| i64::from(row.3)).sum();
        let questions = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        let answer_count = i64::try_from(poll_answers.len()).unwrap_or(i64::MAX);
        let events: BTreeSet<i64> = rows
            .iter()
            .map(|row| row.event_id)
            .chain(poll_answers.iter().map(|row| row.event_id))
            .collect();
        let mut events: Vec<EventRef> = events
            .iter()
            .filter_map(|id| event_refs.get(id).cloned())
            .collect();
        events.sort_by_key(|event| position.get(&event.id).copied().unwrap_or(0));
        let seen = rows
            .iter()
            .map(|row| row.asked_at)
            .chain(searches.iter().map(|row| row.4))
            .chain(poll_answers.iter().map(|row| row.answered_at));
        let first_seen = seen.clone().min();
        let last_seen = seen.max();

        // The trend reads every question of the topic, whatever the filter.
        let mut per_event = vec![0u32; window.len()];
        let mut before = 0u32;
        for row in &all_rows {
            match position.get(&row.event_id) {
                Some(at) if *at >= window_start => per_event[at - window_start] += 1,
                Some(_) => before += 1,
                None => {}
            }
        }
        let trend = trend_of(&per_event, before);

        let mut coverage = Coverage::default();
        let mut first_answer: Option<NaiveDateTime> = None;
        for row in &all_rows {
            for answer in answers.get(&row.question_id).into_iter().flatten() {
                let (question_id, published, offset, answered_at) = **answer;
                if published && row.status == QuestionStatus::Answered.as_str() {
                    coverage.faq_entries.push(question_id);
                }
                if let Some(seconds) = offset {
                    coverage.recording.push(RecordingMoment {
                        question_id,
                        event_slug: event_refs
                            .get(&row.event_id)
                            .map(|event| event.slug.clone())
                            .unwrap_or_default(),
                        seconds,
                    });
                }
                first_answer =
                    Some(first_answer.map_or(answered_at, |first| first.min(answered_at)));
            }
        }
        let asked_again = first_answer.is_some_and(|answered| {
            rows.iter()
                .any(|row| row.asked_at > answered && !answers.contains_key(&row.question_id))
                || searches.iter().any(|row| row.4 > answered)
        });

        let mut ranked: Vec<&PlacedQuestion> = rows.clone();
        ranked.sort_by_key(|row| (std::cmp::Reverse(votes_of(row)), row.question_id));
        let top_questions: Vec<TopicQuestion> = ranked
            .iter()
            .filter(|row| row.merged_into.is_none())
            .take(TOP_QUESTIONS)
            .map(|row| TopicQuestion {
                id: row.question_id,
                body: row.body.clone(),
                votes: votes_of(row),
                event_slug: event_refs
                    .get(&row.event_id)
                    .map(|event| event.slug.clone())
                    .unwrap_or_default(),
                answered: answers.contains_key(&row.question_id),
            })
            .collect();
        let mut top_searches: Vec<(String, i32)> =
            searches.iter().map(|row| (row.2.clone(), row.3)).collect();
        top_searches.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        top_searches.truncate(TOP_QUESTIONS);
        let faq_title = coverage
            .faq_entries
            .first()
            .and_then(|id| all_rows.iter().find(|row| row.question_id == *id))
            .map(|row| row.body.clone());
        let label = topic
            .custom_label
            .clone()
            .or(faq_title)
            .filter(|label| !label.is_empty())
            .unwrap_or_else(|| fallback_label(topic, &top_questions));
        topics.push(TopicSummary {
            id: topic.id,
            label,
            words: topic.words.clone(),
            custom_label: topic.custom_label.clone(),
            hidden: topic.hidden,
            docs_wanted: topic.docs_wanted_at.is_some(),
            questions,
            votes,
            searches: search_count,
            poll_answers: answer_count,
            demand: questions + votes + search_count + answer_count,
            events,
            first_seen,
            last_seen,
            trend,
            per_event,
            coverage,
            asked_again,
            question_ids: ranked.iter().map(|row| row.question_id).collect(),
            top_questions,
            top_searches,
        });
    }
    topics.sort_by(|a, b| {
        b.demand
            .cmp(&a.demand)
            .then(b.last_seen.cmp(&a.last_seen))
            .then(a.id.cmp(&b.id))
    });
    Overview {
        topics,
        trend_events: window
            .iter()
            .filter_map(|id| event_refs.get(id).cloned())
            .collect(),
        events: ordered
            .iter()
            .filter_map(|id| event_refs.get(id).cloned())
            .collect(),
        unplaced,
        last_grouping: loaded.last_grouping,
    }
}

/// Its words, or (a topic of one question, say, whose words are all shared) its first question.
fn fallback_label(topic: &TopicRow, top: &[TopicQuestion]) -> String {
    if !topic.words.is_empty() {
        return topic.words.clone();
    }
    top.first()
        .map(|question| question.body.chars().take(80).collect())
        .unwrap_or_else(|| format!("Topic {}", topic.id))
}
