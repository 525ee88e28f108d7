//! `/mod/admin/docs`: admins add, refresh, schedule and remove documentation sources. A refresh
//! asked for here runs in the background; the page follows it through the source's lease.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::docs::refresh::refresh_source;
use crate::app::docs::schedule;
use crate::app::docs::sources::{self, inside, NewSource};
use crate::db::docs::{JSONL, MARKDOWN, SITEMAP};
use crate::domain::Invalid;
use crate::error::AppError;
use crate::views::docs::sources::{sources_page, SourceForm, SourcesView};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, html, see_other, CsrfOnly};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

const PAGE: &str = "/mod/admin/docs";

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(PAGE, Access::Admin, web::to(page)),
        RouteSpec::post(PAGE, Access::Admin, web::to(add)),
        RouteSpec::post(
            "/mod/admin/docs/{name}/refresh",
            Access::Admin,
            web::to(refresh),
        ),
        RouteSpec::post(
            "/mod/admin/docs/{name}/schedule",
            Access::Admin,
            web::to(set_schedule),
        ),
        RouteSpec::post(
            "/mod/admin/docs/{name}/delete",
            Access::Admin,
            web::to(remove),
        ),
    ]
}

async fn render(
    state: &AppState,
    csrf: &CsrfToken,
    form: SourceForm<'_>,
    refused: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let listed = sources::list(&state.db).await?;
    let docs_dir = state.docs_dir.display().to_string();
    Ok(html(
        status,
        sources_page(&SourcesView {
            sources: &listed,
            form,
            docs_dir: &docs_dir,
            refused,
            csrf: &csrf.0,
            now: crate::app::now(),
        }),
    ))
}

async fn page(state: Data, csrf: CsrfToken) -> Result<HttpResponse, PageError> {
    render(&state, &csrf, SourceForm::default(), None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    base_url: String,
}

async fn add(
    req: HttpRequest,
    state: Data,
    csrf_token: CsrfToken,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let added = add_source(&state, &form).await;
    match added {
        Ok(()) => Ok(see_other(PAGE)),
        Err(AppError::Invalid(invalid)) => {
            // The readers name the field they refused in their own terms: the form has one box
            // for the place, whatever its kind.
            let field = match invalid.field {
                "name" | "base_url" => invalid.field,
                _ => "location",
            };
            let typed = SourceForm {
                name: &form.name,
                kind: &form.kind,
                location: &form.location,
                base_url: &form.base_url,
                error: Some((field, &invalid.message)),
            };
            render(
                &state,
                &csrf_token,
                typed,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict { message, .. }) => {
            let typed = SourceForm {
                name: &form.name,
                kind: &form.kind,
                location: &form.location,
                base_url: &form.base_url,
                error: Some(("name", &message)),
            };
            render(&state, &csrf_token, typed, None, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn add_source(state: &AppState, form: &AddForm) -> Result<(), AppError> {
    let location = form.location.trim();
    let on_disk = match form.kind.as_str() {
        JSONL | MARKDOWN => inside(&state.docs_dir, "location", location)?,
        _ => std::path::PathBuf::new(),
    };
    let source = match form.kind.as_str() {
        JSONL => NewSource::Jsonl { path: &on_disk },
        MARKDOWN => NewSource::Markdown {
            dir: &on_disk,
            base_url: &form.base_url,
        },
        SITEMAP => NewSource::Sitemap { url: location },
        _ => {
            return Err(AppError::Invalid(Invalid::new(
                "form",
                "Choose what kind of source it is: a JSONL file, a Markdown folder or a site.",
            )))
        }
    };
    sources::add(
        &state.db,
        &form.name,
        source,
        state.allow_private_webhooks,
        |_| {},
    )
    .await?;
    Ok(())
}

async fn refresh(
    req: HttpRequest,
    state: Data,
    name: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    // Known before answering: an unknown source is a 404 here, not a warning in the log.
    let source = sources::find(&state.db, &name).await?;
    let state = state.into_inner();
    actix_web::rt::spawn(async move {
        match refresh_source(&state.db, &source.name, state.allow_private_webhooks).await {
            Ok(report) => tracing::info!(source = %source.name, %report, "documentation refreshed"),
            // Said on the page, from the source's last report or its lease.
            Err(error) => {
                tracing::info!(source = %source.name, %error, "documentation refresh did not run")
            }
        }
    });
    Ok(see_other(&format!("{PAGE}#source-{name}")))
}

#[derive(Deserialize)]
struct ScheduleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    every: String,
}

async fn set_schedule(
    req: HttpRequest,
    state: Data,
    csrf_token: CsrfToken,
    name: web::Path<String>,
    form: web::Form<ScheduleForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let every = match form.every.trim() {
        "" => Ok(None),
        minutes => minutes.parse::<i64>().map(Some),
    };
    let set = match every {
        Ok(every) => schedule::set(&state.db, &name, every).await,
        Err(_) => Err(AppError::Invalid(Invalid::new(
            "refresh_every_minutes",
            "Choose how often to refresh it from the list.",
        ))),
    };
    match set {
        Ok(()) => Ok(see_other(&format!("{PAGE}#source-{name}"))),
        Err(AppError::Invalid(invalid)) => {
            render(
                &state,
                &csrf_token,
                SourceForm::default(),
                Some(&invalid.message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

async fn remove(
    req: HttpRequest,
    state: Data,
    name: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    sources::remove(&state.db, &name).await?;
    Ok(see_other(PAGE))
}
