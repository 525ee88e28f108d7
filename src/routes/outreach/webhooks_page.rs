//! `/mod/admin/webhooks`: admins add and remove webhooks and read the delivery log.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::{self, outreach::webhooks};
use crate::domain::{WebhookFormat, WebhookKind, WebhookUrl};
use crate::error::AppError;
use crate::routes::outreach::webhooks_api::LOGGED_DELIVERIES;
use crate::views::outreach::webhooks::{webhooks_page, WebhookForm, WebhooksView};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, html, see_other, CsrfOnly};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

const PAGE: &str = "/mod/admin/webhooks";
/// The session key under which a new webhook's secret waits for the page that shows it once.
const NEW_SECRET_KEY: &str = "new_webhook_secret";

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(PAGE, Access::Admin, web::to(page)),
        RouteSpec::post(PAGE, Access::Admin, web::to(add)),
        RouteSpec::post(
            "/mod/admin/webhooks/{id}/delete",
            Access::Admin,
            web::to(remove),
        ),
    ]
}

async fn render(
    state: &AppState,
    csrf: &CsrfToken,
    form: WebhookForm<'_>,
    new_secret: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let hooks = webhooks::list(&state.db).await?;
    let log = webhooks::delivery_log(&state.db, LOGGED_DELIVERIES).await?;
    let events: Vec<(String, String)> = app::events::listing::list_all_events(&state.db)
        .await?
        .into_iter()
        .map(|summary| (summary.event.slug, summary.event.title))
        .collect();
    Ok(html(
        status,
        webhooks_page(&WebhooksView {
            webhooks: &hooks,
            log: &log,
            events: &events,
            form,
            new_secret,
            csrf: &csrf.0,
            now: app::now(),
        }),
    ))
}

async fn page(state: Data, session: Session, csrf: CsrfToken) -> Result<HttpResponse, PageError> {
    let new_secret = session
        .remove_as::<String>(NEW_SECRET_KEY)
        .and_then(Result::ok);
    render(
        &state,
        &csrf,
        WebhookForm::default(),
        new_secret.as_deref(),
        StatusCode::OK,
    )
    .await
}

/// The add form: each kind is a checkbox of its own name.
#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    format: String,
    #[serde(default)]
    event: String,
    #[serde(default, rename = "question.asked")]
    asked: String,
    #[serde(default, rename = "question.approved")]
    approved: String,
    #[serde(default, rename = "question.answered")]
    answered: String,
    #[serde(default, rename = "faq.published")]
    published: String,
    #[serde(default, rename = "poll.closed")]
    poll_closed: String,
    #[serde(default, rename = "digest.weekly")]
    digest_weekly: String,
    #[serde(default, rename = "digest.monthly")]
    digest_monthly: String,
}

impl AddForm {
    fn kinds(&self) -> Vec<WebhookKind> {
        [
            (&self.asked, WebhookKind::QuestionAsked),
            (&self.approved, WebhookKind::QuestionApproved),
            (&self.answered, WebhookKind::QuestionAnswered),
            (&self.published, WebhookKind::FaqPublished),
            (&self.poll_closed, WebhookKind::PollClosed),
            (&self.digest_weekly, WebhookKind::DigestWeekly),
            (&self.digest_monthly, WebhookKind::DigestMonthly),
        ]
        .into_iter()
        .filter(|(ticked, _)| !ticked.is_empty())
        .map(|(_, kind)| kind)
        .collect()
    }

    fn parse(&self) -> Result<webhooks::NewWebhookInput, crate::domain::Invalid> {
        Ok(webhooks::NewWebhookInput {
            url: WebhookUrl::parse(&self.url)?,
            format: self.format.parse()?,
            kinds: self.kinds(),
            event_slug: Some(self.event.trim().to_owned()).filter(|slug| !slug.is_empty()),
        })
    }
}

async fn add(
    req: HttpRequest,
    state: Data,
    session: Session,
    csrf_token: CsrfToken,
    form: web::Form<AddForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let created = match form.parse() {
        Ok(input) => webhooks::create(&state.db, input, state.allow_private_webhooks).await,
        Err(invalid) => Err(invalid.into()),
    };
    match created {
        Ok((_, secret)) => {
            session
                .insert(NEW_SECRET_KEY, secret)
                .map_err(|error| AppError::internal("showing a webhook's secret", error))?;
            Ok(see_other(PAGE))
        }
        Err(AppError::Invalid(invalid)) => {
            let typed = WebhookForm {
                url: &form.url,
                format: form.format.parse::<WebhookFormat>().ok(),
                kinds: Some(form.kinds()),
                event: &form.event,
                error: Some((invalid.field, &invalid.message)),
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
        Err(other) => Err(other.into()),
    }
}

async fn remove(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    webhooks::delete(&state.db, *id).await?;
    Ok(see_other(PAGE))
}
