//! The participant's polls page and its forms, for browsers without JavaScript: answering and
//! up-voting end in a redirect back to the poll; a refused answer comes back with the reason and
//! what was typed.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::events::listing;
use crate::app::polls::answering::{self, AnswerInput};
use crate::app::polls::reading::{self, Viewer};
use crate::error::AppError;
use crate::routes::asking::participation::ballot_of;
use crate::routes::asking::visitor::Visitor;
use crate::views::polls::page::{polls_page, PollsPage, Refused};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/e/{slug}/polls", Access::Public, web::to(polls)),
        RouteSpec::post(
            "/e/{slug}/polls/{id}/answer",
            Access::Public,
            web::to(answer),
        ),
        RouteSpec::post(
            "/e/{slug}/polls/{id}/answers/{answer_id}/upvote",
            Access::Public,
            web::to(upvote),
        ),
    ]
}

#[derive(serde::Deserialize)]
struct PollsQuery {
    #[serde(default)]
    answered: Option<i64>,
}

async fn polls(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    query: web::Query<PollsQuery>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    render(&req, &state, &slug, &csrf_token, None, query.answered).await
}

async fn render(
    req: &HttpRequest,
    state: &AppState,
    slug: &str,
    csrf_token: &CsrfToken,
    refused: Option<(StatusCode, Refused<'_>)>,
    answered: Option<i64>,
) -> Result<HttpResponse, PageError> {
    let event = listing::find_public_event(&state.db, slug).await?;
    let voter = Visitor::voter_only(req, state).voter_hash();
    let polls = reading::of_event(&state.polls, event.id, Viewer::Public { voter }).await?;
    let page_url = format!("{}/e/{}/polls", state.public_base, event.slug);
    let (status, refused) = match refused {
        Some((status, refused)) => (status, Some(refused)),
        None => (StatusCode::OK, None),
    };
    Ok(html(
        status,
        polls_page(&PollsPage {
            event: &event,
            polls: &polls,
            csrf: &csrf_token.0,
            refused,
            answered,
            now: state.clock.now(),
            page_url: &page_url,
        }),
    ))
}

/// An answer as a form sends it: `choices` and `words` repeat, a ranking comes as `place_{i}`.
fn parse_form(body: &[u8]) -> (String, AnswerInput) {
    let mut csrf = String::new();
    let mut input = AnswerInput::default();
    let mut places: Vec<(i64, i64)> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "csrf" => csrf = value,
            "choices" => input
                .choices
                .get_or_insert_with(Vec::new)
                .push(value.trim().parse().unwrap_or(-1)),
            "other" => input.other = Some(value),
            "rating" => input.rating = Some(value.trim().parse().unwrap_or(0)),
            "words" if !value.trim().is_empty() => {
                input.words.get_or_insert_with(Vec::new).push(value)
            }
            "words" => {
                input.words.get_or_insert_with(Vec::new);
            }
            "text" => input.text = Some(value),
            other => {
                if let Some(option) = other.strip_prefix("place_") {
                    if let (Ok(option), Ok(place)) = (option.parse(), value.trim().parse()) {
                        places.push((place, option));
                    }
                }
            }
        }
    }
    if !places.is_empty() {
        // Options by the place given; two options given one place make a ranking the poll
        // refuses ("each once"), as it should.
        places.sort();
        let mut order: Vec<i64> = places.iter().map(|(_, option)| *option).collect();
        let mut given: Vec<i64> = places.iter().map(|(place, _)| *place).collect();
        given.dedup();
        if given.len() != places.len() {
            order.push(order[0]);
        }
        input.ranking = Some(order);
    }
    (csrf, input)
}

async fn answer(
    req: HttpRequest,
    state: Data,
    path: web::Path<(String, i64)>,
    body: web::Bytes,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let (slug, poll_id) = path.into_inner();
    let (csrf, input) = parse_form(&body);
    let outcome = if csrf::verify(&req, &state, &csrf) {
        let visitor = Visitor::voter_only(&req, &state);
        match ballot_of(&state, &visitor, "answer") {
            Ok(ballot) => {
                answering::answer(
                    &state.db,
                    &state.bus,
                    poll_id,
                    ballot,
                    input.clone(),
                    state.burst_rule,
                )
                .await
            }
            Err(error) => Err(error),
        }
    } else {
        Err(AppError::Forbidden {
            code: "csrf",
            message: "This page had expired, so your answer was not sent. It is still here: \
                      please send it again."
                .into(),
        })
    };
    match outcome {
        Ok(_) => {
            state.metrics.poll_answers.inc();
            Ok(HttpResponse::SeeOther()
                .insert_header((
                    header::LOCATION,
                    format!("/e/{slug}/polls?answered={poll_id}#poll-{poll_id}"),
                ))
                .finish())
        }
        Err(
            error @ (AppError::Invalid(_)
            | AppError::Forbidden { .. }
            | AppError::Conflict { .. }
            | AppError::RateLimited { .. }
            | AppError::StorageDown { .. }),
        ) => {
            let message = match &error {
                AppError::Invalid(invalid) => invalid.message.clone(),
                other => other.public_message(),
            };
            let refused = Refused {
                poll_id,
                message: &message,
                typed: &input,
            };
            render(
                &req,
                &state,
                &slug,
                &csrf_token,
                Some((error.status(), refused)),
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

async fn upvote(
    req: HttpRequest,
    state: Data,
    path: web::Path<(String, i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (slug, poll_id, answer_id) = path.into_inner();
    let (csrf, _) = parse_form(&body);
    if !csrf::verify(&req, &state, &csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message: "This page had expired, so your vote was not counted. Please go back, \
                      reload, and vote again."
                .into(),
        }
        .into());
    }
    let visitor = Visitor::voter_only(&req, &state);
    let ballot = ballot_of(&state, &visitor, "vote")?;
    answering::upvote_text(&state.db, &state.bus, poll_id, answer_id, ballot).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/e/{slug}/polls#poll-answer-{answer_id}"),
        ))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_read_repeated_fields_and_places() {
        let (csrf, input) = parse_form(b"csrf=abc&choices=0&choices=2&words=Docs&words=&words=API");
        assert_eq!(csrf, "abc");
        assert_eq!(input.choices, Some(vec![0, 2]));
        assert_eq!(input.words, Some(vec!["Docs".to_owned(), "API".to_owned()]));
        let (_, ranked) = parse_form(b"place_0=2&place_1=1&place_2=3");
        assert_eq!(ranked.ranking, Some(vec![1, 0, 2]));
        let (_, twice) = parse_form(b"place_0=1&place_1=1&place_2=3");
        assert_eq!(
            twice.ranking.map(|order| order.len()),
            Some(4),
            "refused later"
        );
        let (_, junk) = parse_form(b"choices=x&rating=%00");
        assert_eq!((junk.choices, junk.rating), (Some(vec![-1]), Some(0)));
    }
}
