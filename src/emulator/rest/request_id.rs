//! `X-Request-Id` on every response (PROTOCOL.md §2.2), stamped into error envelopes; and
//! the two places axum would answer differently from the platform (405, plain text).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rand::Rng;

use crate::emulator::api_error::{ApiError, PendingError};

const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A client id is echoed only if it is 1–64 of `[A-Za-z0-9_-]`.
pub fn is_safe_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// `req_` + 26 base32 characters.
pub fn new_request_id() -> String {
    let mut rng = rand::thread_rng();
    let tail: String = (0..26)
        .map(|_| CROCKFORD[rng.gen_range(0..CROCKFORD.len())] as char)
        .collect();
    format!("req_{tail}")
}

/// Outermost middleware.
pub async fn stamp(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| is_safe_request_id(v))
        .map(str::to_owned)
        .unwrap_or_else(new_request_id);
    let mut response = next.run(req).await;
    // Gin's HandleMethodNotAllowed is off: a wrong method is an unknown route.
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && response.extensions().get::<PendingError>().is_none()
    {
        response = ApiError::route_not_found().into_response();
    }
    if let Some(PendingError(error)) = response.extensions_mut().remove::<PendingError>() {
        let (mut parts, _) = response.into_parts();
        let body = serde_json::to_vec(&error.envelope(&id)).unwrap_or_default();
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        response = Response::from_parts(parts, Body::from(body));
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids() {
        assert!(is_safe_request_id("abc_DEF-123"));
        assert!(!is_safe_request_id(""));
        assert!(!is_safe_request_id("has space"));
        assert!(!is_safe_request_id(&"a".repeat(65)));
        let id = new_request_id();
        assert_eq!(id.len(), 30);
        assert!(is_safe_request_id(&id));
    }
}
