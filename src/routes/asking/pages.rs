//! The HTML pages and their forms. Every form POST checks CSRF and ends in a redirect; a refused
//! form comes back with what was typed and the reason next to the field.

use actix_web::cookie::Cookie;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::{self, asking::ballot::VoteAction};
use crate::error::AppError;
use crate::routes::asking::participation;
use crate::routes::asking::visitor::Visitor;
use crate::routes::events::page::{render_for_one_reader, EventView};
use crate::views;
use crate::views::asking::ask_form::AskForm;
use crate::views::asking::follow::FollowMail;
use crate::views::events::event::{ListTab, JUST_ASKED_ANCHOR};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/", Access::Public, web::to(home)),
        RouteSpec::post("/e/{slug}/ask", Access::Public, web::to(ask)),
        RouteSpec::post("/e/{slug}/q/{id}/vote", Access::Public, web::to(vote)),
        RouteSpec::get("/follow/{token}", Access::Public, web::to(follow)),
    ]
}

fn see_other(location: &str, cookies: Vec<Cookie<'static>>) -> HttpResponse {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, location));
    for cookie in cookies {
        response.cookie(cookie);
    }
    response.finish()
}

async fn home(state: Data) -> Result<HttpResponse, PageError> {
    let events = app::events::listing::list_public_events(&state.db).await?;
    Ok(html(
        StatusCode::OK,
        views::events::home::home(&events, app::now(), &state.public_base),
    ))
}

#[derive(Deserialize)]
struct AskFormData {
    #[serde(default)]
    body: String,
    #[serde(default)]
    author_name: String,
    #[serde(default)]
    notify_email: String,
    #[serde(default)]
    csrf: String,
    /// The honeypot: people never see it, so only bots fill it in.
    #[serde(default)]
    website: String,
    /// Set once the asker has seen similar questions and sends theirs anyway.
    #[serde(default)]
    anyway: String,
    /// The documentation sections the asker was shown (`12,15`), counted as asked anyway.
    #[serde(default)]
    docs_shown: String,
}

async fn ask(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    form: web::Form<AskFormData>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let mut visitor = Visitor::from_request(&req, &state);
    if !form.website.is_empty() {
        return Ok(see_other(&format!("/e/{slug}"), Vec::new()));
    }
    match submit_question(&req, &state, &mut visitor, &slug, &form).await? {
        Submission::Accepted { location, cookies } => Ok(see_other(&location, cookies)),
        Submission::Refused { status, reason } => {
            // The form comes back with everything the asker typed and the reason.
            let typed = AskForm {
                body: form.body,
                author_name: form.author_name,
                notify_email: form.notify_email,
                ..reason
            };
            let view = EventView {
                slug: &slug,
                sort: None,
                label: None,
                form: typed,
                just_asked_id: None,
                status,
            };
            render_for_one_reader(&state, &visitor, &csrf_token, view).await
        }
    }
}

enum Submission {
    Accepted {
        location: String,
        cookies: Vec<Cookie<'static>>,
    },
    /// `reason` carries the message for the form; the typed text is added back by the caller.
    Refused { status: StatusCode, reason: AskForm },
}

/// Checks and records a question from the form.
async fn submit_question(
    req: &HttpRequest,
    state: &AppState,
    visitor: &mut Visitor,
    slug: &str,
    form: &AskFormData,
) -> Result<Submission, PageError> {
    let form_error = |status, message: String| {
        Ok(Submission::Refused {
            status,
            reason: AskForm {
                form_error: Some(message),
                ..AskForm::default()
            },
        })
    };
    if !csrf::verify(req, state, &form.csrf) {
        return form_error(
            StatusCode::FORBIDDEN,
            "This form had expired, so nothing was sent. Your question is still here: please send it again.".into(),
        );
    }
    if form.anyway.is_empty() && crate::domain::QuestionBody::parse(&form.body).is_ok() {
        // Before a new question goes in, the asker sees the ones like it (an error here only
        // means no suggestions).
        match app::asking::similar::for_asker(
            &state.db,
            &state.search,
            &state.docs_index,
            &state.meaning(),
            slug,
            &form.body,
        )
        .await
        {
            Ok(found) if !found.is_empty() => {
                return Ok(Submission::Refused {
                    status: StatusCode::OK,
                    reason: AskForm {
                        similar: found.questions,
                        docs: found.docs,
                        ..AskForm::default()
                    },
                })
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "could not look for similar questions"),
        }
    }
    let author_name = Some(form.author_name.as_str());
    let notify_email = Some(form.notify_email.as_str());
    let asked =
        participation::ask_question(state, visitor, slug, &form.body, author_name, notify_email);
    let (asked, cookies) = match asked.await {
        Ok(accepted) => accepted,
        Err(AppError::Invalid(invalid)) => {
            return Ok(Submission::Refused {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                reason: AskForm {
                    field_error: Some((invalid.field, invalid.message)),
                    ..AskForm::default()
                },
            })
        }
        Err(
            error @ (AppError::RateLimited { .. }
            | AppError::Conflict { .. }
            | AppError::StorageDown { .. }),
        ) => return form_error(error.status(), error.public_message()),
        Err(other) => return Err(other.into()),
    };
    let shown = app::docs::uses::parse_shown(&form.docs_shown);
    if let Err(error) = app::docs::uses::asked_anyway(&state.db, asked.question_id, shown).await {
        tracing::warn!(%error, "could not count documentation shown before a question");
    }
    // The notice with the follow link sits beside the new question; the page opens there.
    let location = format!(
        "/e/{slug}?sort=new&asked={id}#{JUST_ASKED_ANCHOR}",
        id = asked.question_id
    );
    Ok(Submission::Accepted { location, cookies })
}

#[derive(Deserialize)]
struct VoteFormData {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    sort: String,
}

async fn vote(
    req: HttpRequest,
    state: Data,
    path: web::Path<(String, i64)>,
    form: web::Form<VoteFormData>,
) -> Result<HttpResponse, PageError> {
    let (slug, question_id) = path.into_inner();
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message: "This page had expired, so your vote was not counted. Please go back, reload, and vote again.".into(),
        }
        .into());
    }
    let action = match form.action.as_str() {
        "withdraw" => VoteAction::Withdraw,
        _ => VoteAction::Upvote,
    };
    let visitor = Visitor::voter_only(&req, &state);
    let outcome = participation::cast_vote(&state, &visitor, question_id, action).await?;
    let tab = ListTab::from_query(Some(&form.sort)).unwrap_or(ListTab::Top);
    let location = format!("/e/{slug}?sort={}#q-{}", tab.key(), outcome.question_id);
    Ok(see_other(&location, Vec::new()))
}

async fn follow(
    state: Data,
    token: web::Path<String>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    render_follow(&state, &token, &csrf_token, StatusCode::OK, "", None).await
}

/// The follow page, with the part about mail as typed (and what was wrong) when mail is sent.
pub(crate) async fn render_follow(
    state: &AppState,
    token: &str,
    csrf_token: &CsrfToken,
    status: StatusCode,
    typed_email: &str,
    email_error: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let followed = app::asking::follow::follow(&state.db, token).await?;
    let subscribed = if state.offers_mail && app::outreach::mail::awaits_news(&followed) {
        Some(app::outreach::mail::follower_subscribed(&state.db, followed.question.id).await?)
    } else {
        None
    };
    let mail = subscribed.map(|subscribed| FollowMail {
        subscribed,
        typed: typed_email,
        error: email_error,
        csrf: &csrf_token.0,
    });
    let mut response = html(
        status,
        views::asking::follow::follow_page(&followed, token, mail.as_ref(), app::now()),
    );
    // A follow link is a secret: keep it out of shared caches and search engines.
    response.headers_mut().insert(
        header::HeaderName::from_static("x-robots-tag"),
        header::HeaderValue::from_static("noindex"),
    );
    Ok(response)
}
