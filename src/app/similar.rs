//! Similar questions: shown to someone about to ask, so they can upvote instead, and to
//! moderators as likely duplicates.

use std::collections::HashMap;

use crate::app::faq::entry_path;
use crate::db::{self, Db};
use crate::domain::{QuestionBody, QuestionStatus};
use crate::error::AppError;
use crate::meaning::{hybrid, Meaning};
use crate::search::{shared_words, SearchIndex, SimilarHit, SimilarRequest, Style};

/// Shown to an asker at most.
pub const FOR_ASKERS: usize = 5;
pub const FOR_MODERATORS: usize = 10;

#[derive(Debug, Clone)]
pub struct Suggestion {
    pub id: i64,
    pub body: String,
    pub status: QuestionStatus,
    pub vote_count: i32,
    pub answered: bool,
    /// Where to read it: its FAQ entry when answered and published, else its place in the event.
    pub url: String,
    pub score: f32,
    /// Closeness of meaning, when matched by meaning too.
    pub meaning: Option<f32>,
    /// Words of the request it shares; none when it matched by meaning alone.
    pub shared_words: Vec<String>,
}

/// How many of each ranking (words, meaning) are mixed before the best are kept.
const POOL: usize = 30;

/// Ranks by words and, when there is a vector for the request, by meaning too; keeps the
/// related hits (see `hybrid::Relatedness`), best first.
async fn search(
    index: &SearchIndex,
    meaning: &Meaning,
    request: OwnedRequest,
    vector: Option<Vec<f32>>,
) -> Result<Vec<SimilarHit>, AppError> {
    let index = index.clone();
    let vectors = meaning.vectors().cloned();
    actix_web::web::block(move || {
        let similar = request.as_request();
        let lexical = index.similar_scores(&similar, POOL.max(request.limit))?;
        let ranked = match (vector, vectors) {
            (Some(vector), Some(vectors)) => {
                let candidates = index.similar_candidates(&similar)?;
                let mut closeness: HashMap<i64, f32> = vectors
                    .nearest(&vector, &candidates, POOL)
                    .into_iter()
                    .collect();
                let matched: Vec<i64> = lexical.iter().map(|(id, _)| *id).collect();
                closeness.extend(vectors.closeness(&vector, &matched));
                hybrid::mix(&lexical, &closeness, hybrid::LEXICAL_WEIGHT)
            }
            _ => hybrid::lexical_only(&lexical),
        };
        let mut hits = index.similar_hits(&similar, &ranked[..ranked.len().min(POOL)])?;
        hits.retain(|hit| {
            request
                .relatedness
                .admits(hit.meaning, !hit.shared_words.is_empty())
        });
        hits.truncate(request.limit);
        Ok(hits)
    })
    .await
    .map_err(|error| AppError::internal("finding similar questions", error))?
}

struct OwnedRequest {
    text: String,
    event: String,
    statuses: Vec<QuestionStatus>,
    include_faq: bool,
    exclude: Option<i64>,
    style: Style,
    limit: usize,
    /// Which matches are shown.
    relatedness: hybrid::Relatedness,
}

impl OwnedRequest {
    fn as_request(&self) -> SimilarRequest<'_> {
        SimilarRequest {
            text: &self.text,
            event: &self.event,
            statuses: &self.statuses,
            include_faq: self.include_faq,
            exclude: self.exclude,
            style: self.style,
            limit: self.limit,
        }
    }
}

/// Reads the current counts (the index keeps the count as of the question's last change).
async fn suggestions(db: &Db, hits: Vec<SimilarHit>) -> Result<Vec<Suggestion>, AppError> {
    let ids: Vec<i64> = hits.iter().map(|hit| hit.id).collect();
    let current: HashMap<i64, db::questions::Question> = db
        .read(move |conn| db::questions::by_ids(conn, &ids))
        .await?
        .into_iter()
        .map(|question| (question.id, question))
        .collect();
    Ok(hits
        .into_iter()
        // The index may lag a change by a moment: what is no longer open is not suggested.
        .filter_map(|hit| {
            let question = current.get(&hit.id)?;
            let answered = question.status == QuestionStatus::Answered;
            let url = if hit.is_faq_entry {
                entry_path(hit.id, &question.body)
            } else {
                format!("/e/{}#q-{}", hit.event_slug, hit.id)
            };
            Some(Suggestion {
                id: hit.id,
                body: question.body.clone(),
                status: question.status,
                vote_count: question.vote_count,
                answered,
                url,
                score: hit.score,
                meaning: hit.meaning,
                shared_words: hit.shared_words,
            })
        })
        .filter(|suggestion| suggestion.status != QuestionStatus::Merged)
        .collect())
}

/// Questions of the event the public sees, and FAQ entries of every event, that look like
/// `text`; only those sharing a word that says something (not "how", "the").
pub async fn for_asker(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    event_slug: &str,
    text: &str,
) -> Result<Vec<Suggestion>, AppError> {
    let text: String = text.chars().take(QuestionBody::MAX_CHARS).collect();
    let vector = meaning.embed_query(&text).await;
    let hits = search(
        index,
        meaning,
        OwnedRequest {
            text,
            event: event_slug.to_owned(),
            statuses: QuestionStatus::LISTED.to_vec(),
            include_faq: true,
            exclude: None,
            style: Style::TYPED,
            limit: FOR_ASKERS,
            relatedness: hybrid::Relatedness::FOR_ASKERS,
        },
        vector,
    )
    .await?;
    suggestions(db, hits).await
}

/// Questions of the same event that may ask the same thing as `question_id`.
pub async fn duplicates_of(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    question_id: i64,
) -> Result<(db::questions::Question, Vec<Suggestion>), AppError> {
    let question = db
        .read(move |conn| db::questions::find(conn, question_id))
        .await?
        .ok_or(AppError::NotFound { what: "question" })?;
    let event_id = question.event_id;
    let event = db
        .read(move |conn| db::events::find_by_id(conn, event_id))
        .await?
        .ok_or(AppError::NotFound { what: "event" })?;
    // The question's own stored vector: nothing to embed while the moderator waits.
    let vector = meaning
        .vectors()
        .and_then(|vectors| vectors.of(question.id))
        .map(Vec::from);
    let hits = search(
        index,
        meaning,
        OwnedRequest {
            text: question.body.clone(),
            event: event.slug,
            statuses: vec![
                QuestionStatus::Pending,
                QuestionStatus::Approved,
                QuestionStatus::Answered,
            ],
            include_faq: false,
            exclude: Some(question.id),
            style: Style::WHOLE_QUESTION,
            limit: FOR_MODERATORS,
            relatedness: hybrid::Relatedness::FOR_MODERATORS,
        },
        vector,
    )
    .await?;
    Ok((question, suggestions(db, hits).await?))
}

/// How many of an event's questions the duplicates view compares (the most voted).
pub const CLUSTERED: usize = 500;

/// Groups of an event's open questions that look alike: two questions are linked when one is
/// the other's best match and they are close enough in meaning to ask the same thing
/// (`hybrid::SAME_QUESTION`), or, without vectors, share at least two words that say something;
/// a group is what links connect. Nothing is merged or ticked for merging: a moderator decides. Most voted first within a group, largest groups first.
pub async fn clusters(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    event_slug: &str,
) -> Result<Vec<Vec<crate::db::questions::Question>>, AppError> {
    clusters_among(
        db,
        index,
        meaning,
        event_slug,
        CLUSTERED,
        hybrid::SAME_QUESTION,
    )
    .await
}

/// [`clusters`] among the `most_voted` open questions, linking from `same_question` closeness
/// (benchmarks compare them all, and calibrate the threshold).
pub async fn clusters_among(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    event_slug: &str,
    most_voted: usize,
    same_question: f32,
) -> Result<Vec<Vec<crate::db::questions::Question>>, AppError> {
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
    open.sort_by_key(|question| std::cmp::Reverse(question.vote_count));
    open.truncate(most_voted);
    let position: HashMap<i64, usize> = open
        .iter()
        .enumerate()
        .map(|(at, question)| (question.id, at))
        .collect();
    let index = index.clone();
    let vectors = meaning.vectors().cloned();
    let slug = event_slug.to_owned();
    let texts: HashMap<i64, String> = open.iter().map(|q| (q.id, q.body.clone())).collect();
    let ids: Vec<i64> = open.iter().map(|question| question.id).collect();
    let links: Vec<(i64, i64)> = actix_web::web::block(move || {
        let mut links = Vec::new();
        for id in &ids {
            let Some(text) = texts.get(id) else { continue };
            let lexical = index.similar_scores(
                &SimilarRequest {
                    text,
                    event: &slug,
                    statuses: &[QuestionStatus::Pending, QuestionStatus::Approved],
                    include_faq: false,
                    exclude: Some(*id),
                    style: Style::WHOLE_QUESTION,
                    limit: POOL,
                },
                POOL,
            )?;
            let own = vectors
                .as_ref()
                .and_then(|vectors| Some((vectors, vectors.of(*id)?)));
            let ranked = match own {
                Some((vectors, vector)) => {
                    let mut closeness = vectors.closeness(&vector, &ids);
                    closeness.remove(id);
                    hybrid::mix(&lexical, &closeness, hybrid::LEXICAL_WEIGHT)
                }
                None => hybrid::lexical_only(&lexical),
            };
            let Some(best) = ranked.first() else { continue };
            let shares_words = || {
                texts
                    .get(&best.id)
                    .is_some_and(|other| shared_words(text, other).len() >= 2)
            };
            let linked = match best.meaning {
                Some(closeness) => {
                    closeness >= same_question
                        || (closeness >= hybrid::UNRELATED_MEANING && shares_words())
                }
                None => shares_words(),
            };
            if linked {
                links.push((*id, best.id));
            }
        }
        Ok::<_, AppError>(links)
    })
    .await
    .map_err(|error| AppError::internal("grouping similar questions", error))??;

    // Connected components over the links (union-find by position).
    let mut parent: Vec<usize> = (0..open.len()).collect();
    fn root(parent: &mut [usize], mut at: usize) -> usize {
        while parent[at] != at {
            parent[at] = parent[parent[at]];
            at = parent[at];
        }
        at
    }
    for (a, b) in links {
        if let (Some(&a), Some(&b)) = (position.get(&a), position.get(&b)) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            if ra != rb {
                parent[rb] = ra;
            }
        }
    }
    let mut groups: HashMap<usize, Vec<crate::db::questions::Question>> = HashMap::new();
    for (at, question) in open.into_iter().enumerate() {
        let group = root(&mut parent, at);
        groups.entry(group).or_default().push(question);
    }
    let mut groups: Vec<Vec<_>> = groups
        .into_values()
        .filter(|members| members.len() > 1)
        .collect();
    for members in &mut groups {
        members.sort_by_key(|question| std::cmp::Reverse(question.vote_count));
    }
    groups.sort_by_key(|members| std::cmp::Reverse(members.len()));
    Ok(groups)
}
