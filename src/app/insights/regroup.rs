//! A full regrouping: every counted question, search that found nothing and shown open-text poll
//! answer grouped afresh on the basis available now, then each new group takes the id of the old topic it continues
//! (`domain::continued_topics`), so names, hidden topics and links last. Questions a moderator
//! placed (by a merge or a split) stay where they were put. A command and a background job; its
//! row in `topic_groupings` says how it went.

use std::collections::HashMap;

use crate::app::insights::basis::Basis;
use crate::app::insights::members::{label_words, read_everything, vectors_of, Everything, Member};
use crate::app::insights::topic_refs::{start_new_topics, TopicRef};
use crate::app::insights::{TopicWork, TopicsHeld};
use crate::app::now;
use crate::db::{self, topics::GroupingRow, Db};
use crate::domain::continued_topics;
use crate::error::AppError;
use crate::meaning::topic_centroids::group;
use crate::meaning::unit_vectors::to_bytes;
use crate::meaning::Meaning;

/// How often each question may move to the centroid now closest to it.
const PASSES: usize = 5;

/// A regrouping started and not yet run, holding the right to change topics.
pub struct Regrouping {
    pub id: i64,
    _held: TopicsHeld,
}

/// Starts a regrouping: refused while another runs.
pub async fn start(
    db: &Db,
    meaning: &Meaning,
    work: &TopicWork,
    requested_by: Option<i64>,
) -> Result<Regrouping, AppError> {
    let busy = || AppError::Conflict {
        code: "regrouping_running",
        message: "A regrouping of topics is already running; wait for it to finish.".into(),
    };
    let Some(held) = work.try_hold(db).await? else {
        return Err(busy());
    };
    // Whatever is marked running now was left by an instance that stopped: this one holds the
    // lock every regrouping runs under.
    db.write(|conn| db::topics::fail_abandoned(conn, now()))
        .await?;
    let id = begin(db, meaning, requested_by).await?;
    Ok(Regrouping { id, _held: held })
}

impl Regrouping {
    pub async fn run(self, db: &Db, meaning: &Meaning) -> Result<GroupingRow, AppError> {
        run(db, meaning, self.id).await
    }
}

/// Starts a regrouping and leaves it running in the background; answers its row as it starts
/// (its outcome is noted there when it ends).
pub async fn start_in_background(
    db: &Db,
    meaning: &Meaning,
    work: &TopicWork,
    requested_by: Option<i64>,
) -> Result<GroupingRow, AppError> {
    let started = start(db, meaning, work, requested_by).await?;
    let id = started.id;
    let (db_for_run, meaning) = (db.clone(), meaning.clone());
    tokio::spawn(async move {
        if let Err(error) = started.run(&db_for_run, &meaning).await {
            tracing::warn!(%error, "regrouping topics failed");
        }
    });
    db.read(move |conn| db::topics::grouping(conn, id))
        .await?
        .ok_or(AppError::NotFound { what: "regrouping" })
}

/// Notes a grouping as started, on the basis available now (the caller holds topics).
pub(super) async fn begin(
    db: &Db,
    meaning: &Meaning,
    requested_by: Option<i64>,
) -> Result<i64, AppError> {
    let basis = Basis::current(meaning);
    db.write(move |conn| db::topics::start_grouping(conn, basis.as_str(), requested_by, now()))
        .await
}

/// Runs grouping `id` (the caller holds topics); a failure is noted on its row as well as
/// returned.
pub(super) async fn run(db: &Db, meaning: &Meaning, id: i64) -> Result<GroupingRow, AppError> {
    let outcome = regroup(db, meaning, id).await;
    if let Err(error) = &outcome {
        let failure = error.to_string();
        db.write(move |conn| db::topics::fail_grouping(conn, id, &failure, now()))
            .await?;
    }
    outcome?;
    db.read(move |conn| db::topics::grouping(conn, id))
        .await?
        .ok_or(AppError::NotFound { what: "grouping" })
}

async fn regroup(db: &Db, meaning: &Meaning, id: i64) -> Result<(), AppError> {
    let grouping = db
        .read(move |conn| db::topics::grouping(conn, id))
        .await?
        .ok_or(AppError::NotFound { what: "grouping" })?;
    let basis = Basis::parse(&grouping.basis);
    let Everything { items, placements } = db.read(read_everything).await?;
    let pinned: HashMap<i64, i64> = placements
        .iter()
        .filter(|placement| placement.pinned)
        .filter_map(|placement| match placement.member {
            Member::Question(question) => Some((question, placement.topic)),
            _ => None,
        })
        .collect();
    let vectors = vectors_of(&basis, meaning, &items).await;

    // Group what no moderator placed.
    let free: Vec<usize> = (0..items.len())
        .filter(|at| vectors[*at].is_some())
        .filter(|at| !matches!(items[*at].member, Member::Question(id) if pinned.contains_key(&id)))
        .collect();
    let free_vectors: Vec<Vec<f32>> = free.iter().filter_map(|at| vectors[*at].clone()).collect();
    let numbers = tokio::task::spawn_blocking({
        let threshold = basis.joining_closeness();
        move || group(&free_vectors, threshold, PASSES)
    })
    .await
    .map_err(|error| AppError::internal("grouping topics", error))?;
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (at, number) in free.iter().zip(numbers) {
        if groups.len() <= number {
            groups.resize(number + 1, Vec::new());
        }
        groups[number].push(*at);
    }

    // Which old topic each group continues.
    let mut old: HashMap<i64, Vec<i64>> = HashMap::new();
    for placement in placements.iter().filter(|placement| !placement.pinned) {
        old.entry(placement.topic)
            .or_default()
            .push(placement.member.key());
    }
    let old: Vec<(i64, Vec<i64>)> = old.into_iter().collect();
    let new_keys: Vec<Vec<i64>> = groups
        .iter()
        .map(|group| group.iter().map(|at| items[*at].member.key()).collect())
        .collect();
    let continued = continued_topics(&old, &new_keys);

    let mut topic_of: Vec<Option<TopicRef>> = vec![None; items.len()];
    for (number, (group, continues)) in groups.iter().zip(continued).enumerate() {
        let topic = continues.map_or(TopicRef::New(number), TopicRef::Known);
        for at in group {
            topic_of[*at] = Some(topic);
        }
    }
    for (at, item) in items.iter().enumerate() {
        if let Member::Question(id) = item.member {
            if let Some(topic) = pinned.get(&id) {
                topic_of[at] = Some(TopicRef::Known(*topic));
            }
        }
    }

    // Each topic's centroid and label words.
    let mut sums: HashMap<TopicRef, (Vec<f32>, i32)> = HashMap::new();
    let mut texts: HashMap<TopicRef, Vec<&str>> = HashMap::new();
    for (at, topic) in topic_of.iter().enumerate() {
        let Some(topic) = topic else { continue };
        texts.entry(*topic).or_default().push(&items[at].text);
        if let Some(vector) = &vectors[at] {
            let (sum, size) = sums
                .entry(*topic)
                .or_insert_with(|| (vec![0.0; vector.len()], 0));
            for (total, value) in sum.iter_mut().zip(vector) {
                *total += value;
            }
            *size += 1;
        }
    }
    let labels = label_words(&texts);
    let sums: Vec<(TopicRef, Vec<u8>, i32)> = sums
        .into_iter()
        .map(|(topic, (sum, size))| (topic, to_bytes(&sum), size))
        .collect();
    let placements: Vec<(Member, TopicRef)> = items
        .iter()
        .zip(&topic_of)
        .filter_map(|(item, topic)| Some((item.member, (*topic)?)))
        .collect();

    db.write(move |conn| {
        db::topic_members::forget_unpinned(conn)?;
        let ids = start_new_topics(conn, placements.iter().map(|(_, topic)| *topic))?;
        let mut questions = Vec::new();
        let mut searches = Vec::new();
        for (member, topic) in &placements {
            match member {
                Member::Question(question) if pinned.contains_key(question) => {}
                Member::Question(question) => {
                    questions.push((*question, ids.resolve(*topic), false))
                }
                Member::Search(search) => searches.push((*search, ids.resolve(*topic))),
                Member::PollAnswer(answer) => {
                    db::topic_poll_answers::place(conn, *answer, ids.resolve(*topic))?
                }
            }
        }
        db::topic_members::insert_questions(conn, &questions)?;
        db::topic_members::insert_searches(conn, &searches)?;
        for row in db::topics::all(conn)? {
            db::topics::set_centroid(conn, row.id, None, 0)?;
        }
        for (topic, sum, size) in &sums {
            db::topics::set_centroid(conn, ids.resolve(*topic), Some(sum), *size)?;
        }
        for (topic, words) in &labels {
            db::topics::set_words(conn, ids.resolve(*topic), words)?;
        }
        db::topics::delete_empty(conn)?;
        let count = i32::try_from(sums.len()).unwrap_or(i32::MAX);
        db::topics::finish_grouping(conn, id, count, now())
    })
    .await
}
