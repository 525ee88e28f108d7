//! `HEAD` answers like `GET` (uptime monitors and feed readers send it). The route table lets
//! `HEAD` reach every `GET` handler; the server already leaves the body out, but a streamed body
//! (the live updates) would still be polled forever, so it is dropped here.

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::Error;

pub async fn end_streams_for_head(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let is_head = req.method() == Method::HEAD;
    let response = next.call(req).await?;
    if is_head && matches!(response.response().body().size(), BodySize::Stream) {
        return Ok(response.map_body(|_, _| BoxBody::new(())));
    }
    Ok(response)
}
