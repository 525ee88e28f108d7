//! `/mod/searches`: FAQ searches that found nothing, and turning one into a question.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app;
use crate::domain::QuestionBody;
use crate::error::AppError;
use crate::views::faq::search_misses::{search_misses_page, MissDraft};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, html, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod/searches", Access::Moderator, web::to(list)),
        RouteSpec::post("/mod/searches/{id}/ask", Access::Moderator, web::to(ask)),
    ]
}

async fn render(
    state: &AppState,
    status: StatusCode,
    draft: Option<&MissDraft<'_>>,
    csrf: &CsrfToken,
) -> Result<HttpResponse, AppError> {
    let misses = app::faq::search_misses::grouped(&state.db, &state.meaning()).await?;
    let events: Vec<(String, String)> = app::events::listing::list_all_events(&state.db)
        .await?
        .into_iter()
        .filter(|summary| summary.event.status.accepts_carry_over())
        .map(|summary| (summary.event.slug, summary.event.title))
        .collect();
    Ok(html(
        status,
        search_misses_page(&misses, &events, draft, &csrf.0, app::now()),
    ))
}

async fn list(
    state: Data,
    csrf: CsrfToken,
    _me: CurrentModerator,
) -> Result<HttpResponse, PageError> {
    Ok(render(&state, StatusCode::OK, None, &csrf).await?)
}

#[derive(Deserialize)]
struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    event: String,
    /// Searches grouped with this one, comma-separated ids: they leave the list with it.
    #[serde(default)]
    also: String,
}

async fn ask(
    req: HttpRequest,
    state: Data,
    csrf_token: CsrfToken,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<AskForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let outcome = match QuestionBody::parse(&form.body) {
        Ok(body) => {
            let also = form
                .also
                .split(',')
                .filter_map(|id| id.trim().parse().ok())
                .take(app::faq::search_misses::LISTED as usize)
                .collect();
            app::faq::search_misses::ask_at_event(
                &state.db,
                &state.bus,
                me.0.id,
                *id,
                also,
                &form.event,
                body,
            )
            .await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/mod/e/{}", form.event.trim()))),
        Err(AppError::Invalid(invalid)) => {
            let draft = MissDraft {
                miss_id: *id,
                body: &form.body,
                message: &invalid.message,
            };
            Ok(render(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(&draft),
                &csrf_token,
            )
            .await?)
        }
        Err(other) => Err(other.into()),
    }
}
