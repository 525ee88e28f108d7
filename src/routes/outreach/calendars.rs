//! Events for calendars: `/e/{slug}.ics` (one event, "Add to calendar") and `/events.ics` (the
//! upcoming ones, to subscribe to).

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::app;
use crate::error::AppError;
use crate::views::outreach::calendar::{event_calendar, events_calendar, CalendarSite};
use crate::web::responses::errors::PageError;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/events.ics", Access::Public, web::to(upcoming)),
        RouteSpec::get("/e/{slug}.ics", Access::Public, web::to(event)),
        // The address event pages linked to before `/e/{slug}.ics`.
        RouteSpec::get("/e/{slug}/calendar.ics", Access::Public, web::to(event)),
    ]
}

fn host_of(public_base: &str) -> String {
    url::Url::parse(public_base)
        .ok()
        .and_then(|base| base.host_str().map(str::to_owned))
        .unwrap_or_else(|| "faqtory".into())
}

fn calendar_response(body: String, filename: Option<&str>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response.content_type("text/calendar; charset=utf-8");
    if let Some(filename) = filename {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}.ics\""),
        ));
    }
    response.body(body)
}

async fn event(state: Data, slug: web::Path<String>) -> Result<HttpResponse, PageError> {
    let event = app::events::listing::find_public_event(&state.db, &slug).await?;
    let host = host_of(&state.public_base);
    let site = CalendarSite {
        public_base: &state.public_base,
        host: &host,
    };
    let calendar = event_calendar(&event, &site).ok_or(AppError::NotFound {
        what: "calendar entry for an event without a start time",
    })?;
    Ok(calendar_response(calendar, Some(&event.slug)))
}

/// Served inline: calendar apps subscribe to this address rather than download it.
async fn upcoming(state: Data) -> Result<HttpResponse, PageError> {
    let events = app::events::listing::upcoming(&state.db, app::now()).await?;
    let host = host_of(&state.public_base);
    let site = CalendarSite {
        public_base: &state.public_base,
        host: &host,
    };
    Ok(calendar_response(events_calendar(&events, &site), None))
}
