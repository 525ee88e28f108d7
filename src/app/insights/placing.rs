//! A new question (or a search that found nothing, or an open-text poll answer) joins the topic
//! whose centroid is closest, when close enough, or starts a topic of its own; the topics it
//! touched keep their ids. Run whenever topics are read, so the page is never behind; the first
//! time, it is the first full grouping.

use std::collections::{BTreeSet, HashMap};

use crate::app::insights::basis::Basis;
use crate::app::insights::members::{label_words, read_everything, vectors_of, Item, Member};
use crate::app::insights::topic_refs::{start_new_topics, TopicRef};
use crate::app::insights::{regroup, TopicWork};
use crate::db::{self, Db};
use crate::error::AppError;
use crate::meaning::topic_centroids::TopicCentroids;
use crate::meaning::unit_vectors::{from_bytes, to_bytes};
use crate::meaning::Meaning;

/// Places what is in no topic yet; answers how many are still in none. Does nothing when nothing
/// waits, when another placement or a regrouping is under way (this read shows what was placed so
/// far), or when the last grouping's model is not loaded (a regrouping moves to what is). What
/// stays out is what has no vector yet: the embedder has not reached it, or it has no words.
pub async fn place_new(db: &Db, meaning: &Meaning, work: &TopicWork) -> Result<usize, AppError> {
    let waiting = waiting(db).await?;
    if waiting == 0 {
        return Ok(0);
    }
    let Some(_held) = work.try_hold(db).await? else {
        return Ok(waiting);
    };
    let Some(last) = db.read(db::topics::last_done).await? else {
        let grouping = regroup::begin(db, meaning, None).await?;
        regroup::run(db, meaning, grouping).await?;
        return self::waiting(db).await;
    };
    let basis = Basis::parse(&last.basis);
    if !basis.usable(meaning) {
        return Ok(waiting);
    }
    let (questions, searches, answers, stored) = db
        .read(|conn| {
            Ok((
                db::topic_members::unplaced_questions(conn)?,
                db::topic_members::unplaced_searches(conn)?,
                db::topic_poll_answers::unplaced(conn)?,
                db::topics::centroids(conn)?,
            ))
        })
        .await?;
    let items: Vec<Item> = Item::questions(questions)
        .chain(Item::searches(searches))
        .chain(Item::poll_answers(answers))
        .collect();
    let vectors = vectors_of(&basis, meaning, &items).await;
    let mut centroids = TopicCentroids::default();
    let mut refs: Vec<TopicRef> = Vec::new();
    for (id, sum, size) in stored {
        centroids.push(from_bytes(&sum), u32::try_from(size).unwrap_or(0));
        refs.push(TopicRef::Known(id));
    }
    let threshold = basis.joining_closeness();
    let mut placed: Vec<(Member, usize)> = Vec::new();
    for (item, vector) in items.iter().zip(&vectors) {
        let Some(vector) = vector else { continue };
        let topic = centroids.assign(vector, threshold);
        if topic == refs.len() {
            refs.push(TopicRef::New(topic));
        }
        placed.push((item.member, topic));
    }
    let left_out = items.len() - placed.len();
    if placed.is_empty() {
        return Ok(left_out);
    }
    let touched: BTreeSet<usize> = placed.iter().map(|(_, topic)| *topic).collect();
    let sums: Vec<(TopicRef, Vec<u8>, i32)> = touched
        .iter()
        .filter_map(|topic| {
            let (sum, size) = centroids.sum_of(*topic)?;
            Some((
                refs[*topic],
                to_bytes(sum),
                i32::try_from(size).unwrap_or(i32::MAX),
            ))
        })
        .collect();
    let placed: Vec<(Member, TopicRef)> = placed
        .into_iter()
        .map(|(member, topic)| (member, refs[topic]))
        .collect();
    let labels = labels_after(db, &placed).await?;
    db.write(move |conn| {
        let ids = start_new_topics(conn, placed.iter().map(|(_, topic)| *topic))?;
        for (member, topic) in &placed {
            let topic = ids.resolve(*topic);
            match member {
                Member::Question(id) => db::topic_members::place_question(conn, *id, topic, false)?,
                Member::Search(id) => db::topic_members::place_search(conn, *id, topic)?,
                Member::PollAnswer(id) => db::topic_poll_answers::place(conn, *id, topic)?,
            }
        }
        for (topic, sum, size) in &sums {
            db::topics::set_centroid(conn, ids.resolve(*topic), Some(sum), *size)?;
        }
        for (topic, words) in &labels {
            db::topics::set_words(conn, ids.resolve(*topic), words)?;
        }
        Ok(())
    })
    .await?;
    Ok(left_out)
}

/// How many questions, searches and poll answers are in no topic.
async fn waiting(db: &Db) -> Result<usize, AppError> {
    db.read(|conn| {
        Ok(db::topic_members::unplaced_questions(conn)?.len()
            + db::topic_members::unplaced_searches(conn)?.len()
            + db::topic_poll_answers::unplaced(conn)?.len())
    })
    .await
}

/// Sets every topic's label words anew (after a moderator moved questions between topics).
pub async fn relabel(db: &Db) -> Result<(), AppError> {
    let labels = labels_after(db, &[]).await?;
    db.write(move |conn| {
        for (topic, words) in &labels {
            if let TopicRef::Known(id) = topic {
                db::topics::set_words(conn, *id, words)?;
            }
        }
        Ok(())
    })
    .await
}

/// Every topic's label words once `placed` is added, for the topics whose words changed.
async fn labels_after(
    db: &Db,
    placed: &[(Member, TopicRef)],
) -> Result<Vec<(TopicRef, String)>, AppError> {
    let (everything, topics) = db
        .read(|conn| Ok((read_everything(conn)?, db::topics::all(conn)?)))
        .await?;
    let all: HashMap<Member, &str> = everything
        .items
        .iter()
        .map(|item| (item.member, item.text.as_str()))
        .collect();
    let mut groups: HashMap<TopicRef, Vec<&str>> = HashMap::new();
    let existing = everything
        .placements
        .iter()
        .map(|placement| (placement.member, TopicRef::Known(placement.topic)));
    for (member, topic) in existing.chain(placed.iter().copied()) {
        if let Some(text) = all.get(&member) {
            groups.entry(topic).or_default().push(*text);
        }
    }
    let before: HashMap<i64, String> = topics.into_iter().map(|row| (row.id, row.words)).collect();
    Ok(label_words(&groups)
        .into_iter()
        .filter(|(topic, words)| match topic {
            TopicRef::Known(id) => before.get(id) != Some(words),
            TopicRef::New(_) => true,
        })
        .collect())
}
