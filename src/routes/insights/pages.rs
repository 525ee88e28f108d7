//! `/mod/insights` and a topic's own page, and their forms: regroup everything; rename, hide,
//! show, merge or split a topic. A refused form comes back as typed, with the reason; every form
//! checks CSRF first and ends in a redirect.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::insights::faq_draft::draft_from_topic;
use crate::app::insights::moves::{self, TopicMove};
use crate::app::insights::next_event::carry_to_next_event;
use crate::app::insights::overview::{overview, Overview};
use crate::app::insights::{digest_readers, regroup};
use crate::db;
use crate::domain::{Invalid, TopicLabel};
use crate::error::AppError;
use crate::routes::insights::json::TopicsQuery;
use crate::routes::insights::sources;
use crate::views::insights::digest::DigestForm;
use crate::views::insights::page::{insights_page, InsightsPage};
use crate::views::insights::topic::{topic_page, TopicPage};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, html, see_other, CsrfOnly};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod/insights", Access::Moderator, web::to(page)),
        RouteSpec::post(
            "/mod/insights/regroup",
            Access::Moderator,
            web::to(regroup_all),
        ),
        RouteSpec::get(
            "/mod/insights/topics/{id}",
            Access::Moderator,
            web::to(topic),
        ),
        RouteSpec::post(
            "/mod/insights/topics/{id}/{verb}",
            Access::Moderator,
            web::to(change),
        ),
    ]
}

async fn page(
    state: Data,
    me: CurrentModerator,
    query: web::Query<TopicsQuery>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let digest = DigestForm {
        offers_mail: state.offers_mail,
        current: digest_readers::of_moderator(&state.db, me.0.id).await?,
        ..DigestForm::default()
    };
    render_page(&state, &query, &csrf.0, &digest).await
}

/// The insights page narrowed by `query`, with the digest form as given. A day (or a hidden
/// flag) that cannot be read is left out and named, the rest kept; the page is then a 422, as it
/// is when the digest form was refused.
pub(crate) async fn render_page(
    state: &AppState,
    query: &TopicsQuery,
    csrf: &str,
    digest: &DigestForm,
) -> Result<HttpResponse, PageError> {
    let (filter, error) = match query.filter() {
        Ok(filter) => (filter, None),
        Err(invalid) => {
            let without_day = TopicsQuery {
                since: None,
                until: None,
                hidden: None,
                ..query.clone()
            };
            (
                without_day.filter().map_err(AppError::from)?,
                Some(invalid.message),
            )
        }
    };
    let found = overview(&sources(state), &filter).await?;
    let status = if error.is_some() || digest.error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(html(
        status,
        insights_page(&InsightsPage {
            overview: &found,
            filter: &filter,
            typed_since: query.since.as_deref().unwrap_or(""),
            typed_until: query.until.as_deref().unwrap_or(""),
            error: error.as_deref(),
            csrf,
            now: state.clock.now(),
            digest,
        }),
    ))
}

async fn regroup_all(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    regroup::start_in_background(&state.db, &state.meaning(), &state.topics, Some(me.0.id)).await?;
    Ok(see_other("/mod/insights"))
}

async fn topic(
    state: Data,
    id: web::Path<i64>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    render_topic(&state, *id, &csrf.0, None, None, StatusCode::OK).await
}

async fn render_topic(
    state: &AppState,
    id: i64,
    csrf: &str,
    typed_label: Option<&str>,
    error: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let filter = crate::app::insights::overview::Filter {
        include_hidden: true,
        ..Default::default()
    };
    let found: Overview = overview(&sources(state), &filter).await?;
    let summary = found
        .topics
        .iter()
        .find(|topic| topic.id == id)
        .ok_or(AppError::NotFound { what: "topic" })?;
    let ids = summary.question_ids.clone();
    let mut questions = state
        .db
        .read(move |conn| db::questions::by_ids(conn, &ids))
        .await?;
    questions.sort_by_key(|question| (std::cmp::Reverse(question.vote_count), question.id));
    let with_events: Vec<_> = questions
        .into_iter()
        .map(|question| {
            let slug = found
                .events
                .iter()
                .find(|event| event.id == question.event_id)
                .map(|event| event.slug.clone())
                .unwrap_or_default();
            (question, slug)
        })
        .collect();
    Ok(html(
        status,
        topic_page(&TopicPage {
            topic: summary,
            overview: &found,
            questions: &with_events,
            csrf,
            typed_label,
            error,
            now: state.clock.now(),
        }),
    ))
}

/// The move a form names, as typed; an unknown verb is no page.
fn move_of(verb: &str, fields: &ChangeFields) -> Result<Result<TopicMove, Invalid>, AppError> {
    Ok(match verb {
        "rename" => TopicLabel::parse(&fields.label).map(TopicMove::Rename),
        "hide" => Ok(TopicMove::Hide),
        "show" => Ok(TopicMove::Show),
        "docs" => Ok(TopicMove::WantDocs(true)),
        "docs-written" => Ok(TopicMove::WantDocs(false)),
        "merge" => fields
            .into
            .trim()
            .parse::<i64>()
            .map(TopicMove::MergeInto)
            .map_err(|_| Invalid::new("into", "Choose the topic to merge into.")),
        "split" => Ok(TopicMove::Split(fields.questions.clone())),
        _ => return Err(AppError::NotFound { what: "page" }),
    })
}

/// The form's fields: its CSRF token, a name, the topic to merge into, ticked questions.
#[derive(Default)]
struct ChangeFields {
    csrf: String,
    label: String,
    into: String,
    questions: Vec<i64>,
}

fn fields_of(body: &[u8]) -> ChangeFields {
    let mut fields = ChangeFields::default();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "csrf" => fields.csrf = value.into_owned(),
            "label" => fields.label = value.into_owned(),
            "into" => fields.into = value.into_owned(),
            "question" => fields.questions.extend(value.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    fields
}

async fn change(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(i64, String)>,
    csrf: CsrfToken,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let fields = fields_of(&body);
    if !csrf::verify(&req, &state, &fields.csrf) {
        return Err(expired_form().into());
    }
    let (id, verb) = path.into_inner();
    let outcome = match verb.as_str() {
        "carry" => carry_to_next_event(&state.db, &state.bus, me.0.id, id, state.clock.now())
            .await
            .map(|carried| format!("/mod/e/{}", carried.to_slug)),
        "draft-answer" => draft_from_topic(&sources(&state), &state.bus, me.0.id, id)
            .await
            .map(|drafted| format!("/mod/e/{}", drafted.event_slug)),
        _ => {
            let change = move_of(&verb, &fields)?;
            match change {
                Ok(change) => moves::make(
                    &state.db,
                    &state.meaning(),
                    &state.topics,
                    me.0.id,
                    id,
                    change,
                )
                .await
                .map(|shown| format!("/mod/insights/topics/{shown}")),
                Err(invalid) => Err(invalid.into()),
            }
        }
    };
    match outcome {
        Ok(next) => Ok(see_other(&next)),
        Err(AppError::Invalid(invalid)) => {
            render_topic(
                &state,
                id,
                &csrf.0,
                (verb == "rename").then_some(fields.label.as_str()),
                Some(&invalid.message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}
