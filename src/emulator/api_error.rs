//! The platform's error envelope as an axum response (PROTOCOL.md §3).

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::voipbin::{status_word, ErrorBody, ErrorEnvelope};

/// A platform error. `request_id` is filled in by the request-id middleware when empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub http: StatusCode,
    pub reason: &'static str,
    pub message: String,
    pub details: Vec<serde_json::Value>,
    /// Seconds for `Retry-After` (429 only).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(http: StatusCode, reason: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            http,
            reason,
            message: message.into(),
            details: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_details(mut self, details: Vec<serde_json::Value>) -> Self {
        self.details = details;
        self
    }

    pub fn authentication_required() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "AUTHENTICATION_REQUIRED",
            "Authentication is required.",
        )
    }

    pub fn invalid_credentials() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
            "The provided credentials are invalid or expired.",
        )
    }

    pub fn permission_denied() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "You do not have permission to perform this action.",
        )
    }

    pub fn not_found(reason: &'static str, what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            reason,
            format!("The {what} was not found."),
        )
    }

    pub fn route_not_found() -> Self {
        Self::not_found("ROUTE_NOT_FOUND", "route")
    }

    pub fn invalid_id() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_ID",
            "The id in the path is not a valid UUID.",
        )
    }

    pub fn invalid_json_body() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_JSON_BODY",
            "The request body is not valid JSON.",
        )
    }

    pub fn invalid_argument() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_ARGUMENT",
            "The request contains invalid data.",
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "An internal error occurred.",
        )
    }

    pub fn rate_limited(limited_by: &str, retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMIT_EXCEEDED",
            "Too many requests. Please retry later.",
        )
        .with_details(vec![serde_json::json!({ "limited_by": limited_by })]);
        e.retry_after = Some(retry_after.max(1));
        e
    }

    pub fn envelope(&self, request_id: &str) -> ErrorEnvelope {
        ErrorEnvelope {
            error: ErrorBody {
                status: status_word(self.http.as_u16()).to_owned(),
                reason: self.reason.to_owned(),
                message: self.message.clone(),
                request_id: request_id.to_owned(),
                details: self.details.clone(),
            },
        }
    }
}

/// Carried in response extensions so the request-id middleware can stamp the envelope.
#[derive(Debug, Clone)]
pub struct PendingError(pub ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The body is written by the request-id middleware, which knows the request id;
        // without that middleware the envelope goes out with an empty id.
        let mut response = (self.http, axum::Json(self.envelope(""))).into_response();
        if let Some(secs) = self.retry_after {
            if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert("retry-after", v);
            }
        }
        response.extensions_mut().insert(PendingError(self));
        response
    }
}
