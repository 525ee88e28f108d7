//! `POST/GET/DELETE /api/v1/webhooks` and `GET /api/v1/webhook-deliveries`, for admins.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::outreach::webhooks::{self, DeliveryLogLine, NewWebhookInput, Webhook};
use crate::domain::{Invalid, WebhookFormat, WebhookKind, WebhookUrl};
use crate::error::AppError;
use crate::routes::api_types::utc;
use crate::web::extract::json_object::JsonObject;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

/// How many deliveries the log shows.
pub const LOGGED_DELIVERIES: i64 = 100;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post("/api/v1/webhooks", Access::Admin, web::to(create_webhook)),
        RouteSpec::get("/api/v1/webhooks", Access::Admin, web::to(list_webhooks)),
        RouteSpec::get(
            "/api/v1/webhook-deliveries",
            Access::Admin,
            web::to(list_deliveries),
        ),
        RouteSpec::delete(
            "/api/v1/webhooks/{id}",
            Access::Admin,
            web::to(delete_webhook),
        ),
    ]
}

#[derive(Deserialize, ToSchema)]
pub struct CreateWebhookRequest {
    /// The receiver: an http(s) address.
    #[schema(max_length = 2000)]
    pub url: String,
    pub format: WebhookFormat,
    /// What it hears of.
    #[schema(min_items = 1)]
    pub events: Vec<WebhookKind>,
    /// An event's slug, for its happenings only; absent for the whole site.
    #[serde(default)]
    pub event: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookJson {
    pub id: i64,
    pub url: String,
    pub format: WebhookFormat,
    pub events: Vec<WebhookKind>,
    pub event: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Signs each generic delivery; shown once, when the webhook is made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl WebhookJson {
    fn new(webhook: Webhook, secret: Option<String>) -> Self {
        Self {
            id: webhook.id,
            url: webhook.url,
            format: webhook.format,
            events: webhook.kinds,
            event: webhook.event_slug,
            created_at: utc(webhook.created_at),
            secret,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryJson {
    pub webhook_id: i64,
    pub event: String,
    pub question: Option<String>,
    /// pending, delivered or failed (given up).
    pub state: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<DeliveryLogLine> for DeliveryJson {
    fn from(line: DeliveryLogLine) -> Self {
        Self {
            webhook_id: line.webhook_id,
            event: line.kind,
            question: line.question,
            state: line.state,
            attempts: line.attempts,
            last_status: line.last_status,
            last_error: line.last_error,
            created_at: utc(line.created_at),
            delivered_at: line.delivered_at.map(utc),
        }
    }
}

impl CreateWebhookRequest {
    fn parse(&self) -> Result<NewWebhookInput, Invalid> {
        let mut kinds = self.events.clone();
        kinds.dedup();
        Ok(NewWebhookInput {
            url: WebhookUrl::parse(&self.url)?,
            format: self.format,
            kinds,
            event_slug: self
                .event
                .as_deref()
                .map(str::trim)
                .filter(|slug| !slug.is_empty())
                .map(str::to_owned),
        })
    }
}

/// Adds a webhook; the answer carries its signing secret, shown this once.
#[utoipa::path(
    post, tag = "outreach", path = "/api/v1/webhooks",
    request_body = CreateWebhookRequest,
    security(("bearer" = [])),
    responses((status = 201, body = WebhookJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn create_webhook(
    req: HttpRequest,
    state: Data,
    body: JsonObject<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let input = body.parse().map_err(AppError::from)?;
    let (webhook, secret) =
        webhooks::create(&state.db, input, state.allow_private_webhooks).await?;
    Ok(HttpResponse::Created().json(WebhookJson::new(webhook, Some(secret))))
}

/// Every webhook, newest first (without secrets).
#[utoipa::path(
    get, tag = "outreach", path = "/api/v1/webhooks",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<WebhookJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub async fn list_webhooks(state: Data) -> Result<HttpResponse, ApiError> {
    let hooks: Vec<WebhookJson> = webhooks::list(&state.db)
        .await?
        .into_iter()
        .map(|webhook| WebhookJson::new(webhook, None))
        .collect();
    Ok(HttpResponse::Ok().json(hooks))
}

/// The latest deliveries, newest first: what each receiver was sent and answered.
#[utoipa::path(
    get, tag = "outreach", path = "/api/v1/webhook-deliveries",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<DeliveryJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub async fn list_deliveries(state: Data) -> Result<HttpResponse, ApiError> {
    let log: Vec<DeliveryJson> = webhooks::delivery_log(&state.db, LOGGED_DELIVERIES)
        .await?
        .into_iter()
        .map(DeliveryJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(log))
}

/// Removes a webhook with its queued deliveries.
#[utoipa::path(
    delete, tag = "outreach", path = "/api/v1/webhooks/{id}",
    params(("id" = i64, Path, description = "The webhook's id")),
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub async fn delete_webhook(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    webhooks::delete(&state.db, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
