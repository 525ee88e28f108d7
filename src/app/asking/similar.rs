//! Similar questions: shown to someone about to ask, so they can upvote instead, and to
//! moderators as likely duplicates.

use std::collections::HashMap;

use crate::app::docs::finding::{self, DocSuggestion};
use crate::app::faq::browse::entry_path;
use crate::db::{self, Db};
use crate::domain::{QuestionBody, QuestionStatus};
use crate::error::AppError;
use crate::meaning::{hybrid, Meaning};
use crate::search::{DocsIndex, SearchIndex, SimilarHit, SimilarRequest, Style};

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
/// related hits (see `hybrid::Relatedness`: close past what all candidates share, or alike in
/// rare words), best first.
async fn search(
    index: &SearchIndex,
    meaning: &Meaning,
    request: OwnedRequest,
    vector: Option<Vec<f32>>,
) -> Result<Vec<SimilarHit>, AppError> {
    let index = index.clone();
    let vectors = meaning.vectors().cloned();
    let lexical_weight = meaning.cuts().lexical_weight;
    tokio::task::spawn_blocking(move || {
        let similar = request.as_request();
        let lexical = index.similar_scores(&similar, POOL.max(request.limit))?;
        let by_meaning = vector.zip(vectors);
        let (ranked, background) = match &by_meaning {
            Some((vector, vectors)) => {
                let candidates = index.similar_candidates(&similar)?;
                let mut closeness: HashMap<i64, f32> = vectors
                    .nearest(vector, &candidates, POOL)
                    .into_iter()
                    .collect();
                let matched: Vec<i64> = lexical.iter().map(|(id, _)| *id).collect();
                closeness.extend(vectors.closeness(vector, &matched));
                (
                    hybrid::mix(&lexical, &closeness, lexical_weight),
                    vectors.background(&candidates),
                )
            }
            None => (hybrid::lexical_only(&lexical), None),
        };
        let mut hits = index.similar_hits(&similar, &ranked[..ranked.len().min(POOL)])?;
        let mut past_background: HashMap<i64, f32> = HashMap::new();
        let mut clear_best = None;
        if let (Some((vector, vectors)), Some(background)) = (&by_meaning, &background) {
            let mut ids: Vec<i64> = ranked.iter().map(|entry| entry.id).collect();
            ids.extend(hits.iter().map(|hit| hit.id));
            past_background = vectors.closeness_past(vector, &ids, background);
            clear_best = request
                .clear_lead
                .and_then(|lead| lead.leader(&past_background));
        }
        let words =
            index.word_closeness(&request.text, hits.iter().map(|hit| hit.question.as_str()));
        let mut words = words.into_iter();
        hits.retain(|hit| {
            let meaning = past_background.get(&hit.id).copied();
            let words = words.next().unwrap_or_default();
            request.relatedness.admits(meaning, words) || clear_best == Some(hit.id)
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
    /// A best match this far ahead of the others is shown too.
    clear_lead: Option<hybrid::ClearLead>,
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

/// What an asker is shown while typing: documentation sections that answer, then questions
/// like theirs.
#[derive(Debug, Clone, Default)]
pub struct ForAsker {
    pub docs: Vec<DocSuggestion>,
    pub questions: Vec<Suggestion>,
}

impl ForAsker {
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty() && self.questions.is_empty()
    }
}

/// Documentation sections shown to an asker at most.
pub const DOCS_FOR_ASKERS: usize = 3;

/// Documentation sections that answer `text`, and questions of the event the public sees and
/// FAQ entries of every event that look like it; only those sharing a word that says something
/// (not "how", "the") or close in meaning.
pub async fn for_asker(
    db: &Db,
    index: &SearchIndex,
    docs: &DocsIndex,
    meaning: &Meaning,
    event_slug: &str,
    text: &str,
) -> Result<ForAsker, AppError> {
    let text: String = text.chars().take(QuestionBody::MAX_CHARS).collect();
    let meaning = &meaning.live();
    let vector = meaning.embed_query(&text).await;
    let found_docs = finding::find(
        docs,
        meaning,
        &text,
        vector.clone(),
        true,
        DOCS_FOR_ASKERS,
        meaning.cuts().docs_for_askers,
    )
    .await?;
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
            relatedness: meaning.cuts().askers,
            clear_lead: Some(meaning.cuts().clear_lead),
        },
        vector,
    )
    .await?;
    Ok(ForAsker {
        docs: found_docs,
        questions: suggestions(db, hits).await?,
    })
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
            relatedness: meaning.cuts().moderators,
            clear_lead: None,
        },
        vector,
    )
    .await?;
    Ok((question, suggestions(db, hits).await?))
}
