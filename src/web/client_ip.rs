use actix_web::HttpRequest;

/// The address rate limits are keyed on: the TCP peer. Forwarded headers are not trusted, since
/// any client can write them.
pub fn client_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|addr| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}
