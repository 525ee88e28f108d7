//! The pages made for an iframe on a project's own site (see `web::security::embedding` for who may frame
//! them and how their cookies work there): `/embed/faq` searches the FAQ, `/embed/e/{slug}` asks
//! and votes. Their forms come back to them rather than to the full pages.

use actix_web::cookie::Cookie;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::faq::browse::{Filters, MAX_QUERY_CHARS};
use crate::app::{self, asking::ballot::VoteAction};
use crate::db::questions::Order;
use crate::error::AppError;
use crate::routes::asking::participation;
use crate::routes::asking::visitor::{follow_url, Visitor};
use crate::views::outreach::embed::{event_embed, faq_embed, EmbeddedFaq, EventEmbedView};
use crate::web::extract::searcher::settled_by;
use crate::web::extract::typed_text::query_value;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

/// How many of the newest answers the search frame shows before a search.
const NEWEST_SHOWN: usize = 8;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/embed/faq", Access::Public, web::to(faq)),
        RouteSpec::get("/embed/e/{slug}", Access::Public, web::to(event)),
        RouteSpec::post("/embed/e/{slug}/ask", Access::Public, web::to(ask)),
        RouteSpec::post("/embed/e/{slug}/q/{id}/vote", Access::Public, web::to(vote)),
    ]
}

async fn faq(req: HttpRequest, state: Data) -> Result<HttpResponse, PageError> {
    let query = query_value(&req, "q", MAX_QUERY_CHARS).unwrap_or_default();
    let no_filters = Filters::default();
    let markup = if query.trim().is_empty() {
        let mut newest = app::faq::browse::newest(&state.db, &no_filters, 1)
            .await?
            .entries;
        newest.truncate(NEWEST_SHOWN);
        faq_embed(&EmbeddedFaq::Newest(&newest), &state.public_base)
    } else {
        let found = app::faq::browse::search(
            &state.db,
            &state.search,
            Some(&state.docs_index),
            &state.meaning(),
            &query,
            &no_filters,
            1,
            settled_by(&req, &state),
        )
        .await?;
        let shown = EmbeddedFaq::Found {
            query: &query,
            hits: &found.hits,
            docs: &found.docs,
            close: found.close,
        };
        faq_embed(&shown, &state.public_base)
    };
    Ok(html(StatusCode::OK, markup))
}

/// What the event frame says besides the questions.
#[derive(Default)]
struct Outcome<'a> {
    typed: &'a str,
    problem: Option<String>,
    just_asked: Option<i64>,
}

async fn render_event(
    req: &HttpRequest,
    state: &AppState,
    csrf: &CsrfToken,
    slug: &str,
    status: StatusCode,
    outcome: Outcome<'_>,
) -> Result<HttpResponse, PageError> {
    let visitor = Visitor::from_request(req, state);
    let questions = app::events::page::event_questions(
        &state.db,
        slug,
        Order::Top,
        visitor.voter_hash(),
        visitor.mine_ids(),
    )
    .await?;
    let follow = outcome.just_asked.map(|id| {
        visitor
            .mine
            .iter()
            .find(|mine| mine.id == id)
            .map(|mine| follow_url(state, &mine.follow_token))
    });
    let view = EventEmbedView {
        questions: &questions,
        csrf: &csrf.0,
        public_base: &state.public_base,
        typed: outcome.typed,
        problem: outcome.problem.as_deref(),
        just_asked: follow.as_ref().map(Option::as_deref),
    };
    Ok(html(status, event_embed(&view)))
}

#[derive(Deserialize)]
struct EventQuery {
    asked: Option<i64>,
}

async fn event(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    query: web::Query<EventQuery>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let outcome = Outcome {
        just_asked: query.asked,
        ..Outcome::default()
    };
    render_event(&req, &state, &csrf, &slug, StatusCode::OK, outcome).await
}

fn back_to(location: &str, cookies: Vec<Cookie<'static>>) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, location));
    for cookie in cookies {
        response.cookie(cookie);
    }
    response.finish()
}

#[derive(Deserialize)]
struct AskData {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf: String,
    /// The honeypot: people never see it, so only bots fill it in.
    #[serde(default)]
    website: String,
}

/// Refusals that are the asker's to fix or wait out: the frame comes back with the text and why.
fn told_to_the_asker(error: AppError) -> Result<(StatusCode, String), AppError> {
    match error {
        AppError::Invalid(invalid) => Ok((StatusCode::UNPROCESSABLE_ENTITY, invalid.message)),
        error @ (AppError::RateLimited { .. }
        | AppError::Conflict { .. }
        | AppError::Forbidden { .. }
        | AppError::StorageDown { .. }) => Ok((error.status(), error.public_message())),
        other => Err(other),
    }
}

async fn ask(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    form: web::Form<AskData>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let home = format!("/embed/e/{slug}");
    if !form.website.is_empty() {
        return Ok(back_to(&home, Vec::new()));
    }
    let refused = |problem: String| Outcome {
        typed: &form.body,
        problem: Some(problem),
        just_asked: None,
    };
    if !csrf::verify(&req, &state, &form.csrf) {
        let problem = "This form had expired, so nothing was sent. Your question is still here: \
                       please send it again.";
        let outcome = refused(problem.into());
        return render_event(
            &req,
            &state,
            &csrf_token,
            &slug,
            StatusCode::FORBIDDEN,
            outcome,
        )
        .await;
    }
    let mut visitor = Visitor::from_request(&req, &state);
    match participation::ask_question(&state, &mut visitor, &slug, &form.body, None, None).await {
        Ok((asked, cookies)) => Ok(back_to(
            &format!("{home}?asked={}", asked.question_id),
            cookies,
        )),
        Err(error) => {
            let (status, problem) = told_to_the_asker(error)?;
            let outcome = refused(problem);
            render_event(&req, &state, &csrf_token, &slug, status, outcome).await
        }
    }
}

#[derive(Deserialize)]
struct VoteData {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
}

async fn vote(
    req: HttpRequest,
    state: Data,
    path: web::Path<(String, i64)>,
    form: web::Form<VoteData>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let (slug, question_id) = path.into_inner();
    let problem = if !csrf::verify(&req, &state, &form.csrf) {
        AppError::Forbidden {
            code: "csrf",
            message: "This page had expired, so your vote was not counted. Vote again.".into(),
        }
    } else {
        let action = match form.action.as_str() {
            "withdraw" => VoteAction::Withdraw,
            _ => VoteAction::Upvote,
        };
        let visitor = Visitor::voter_only(&req, &state);
        match participation::cast_vote(&state, &visitor, question_id, action).await {
            Ok(outcome) => {
                let location = format!("/embed/e/{slug}#q-{}", outcome.question_id);
                return Ok(back_to(&location, Vec::new()));
            }
            // Without a voter cookie here, the full page in a tab of its own is the way to vote.
            Err(AppError::Forbidden {
                code: "no_voter", ..
            }) => AppError::Forbidden {
                code: "no_voter",
                message: "This browser keeps no cookies for this frame, so your vote could not \
                          be counted here. Open the event in a new tab to vote."
                    .into(),
            },
            Err(error) => error,
        }
    };
    let (status, problem) = told_to_the_asker(problem)?;
    let outcome = Outcome {
        problem: Some(problem),
        ..Outcome::default()
    };
    render_event(&req, &state, &csrf_token, &slug, status, outcome).await
}
