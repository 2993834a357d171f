//! The list envelope (§2.1) and the error envelope (§3).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;

/// One page of a list endpoint. The end of a list is an empty `result`, not an empty token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct ListPage<T> {
    #[serde(default = "Vec::new", deserialize_with = "lenient::or_default")]
    pub result: Vec<T>,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub next_page_token: String,
}

impl<T> ListPage<T> {
    pub fn is_end(&self) -> bool {
        self.result.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Canonical status word (`NOT_FOUND`, …), fixed per HTTP code.
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub status: String,
    /// Machine-readable cause (`CONFERENCE_NOT_FOUND`, `RATE_LIMIT_EXCEEDED`, …).
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub reason: String,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub message: String,
    #[serde(default, deserialize_with = "lenient::or_default")]
    pub request_id: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub details: Vec<Value>,
}

/// The canonical status word the platform pairs with an HTTP status code.
pub fn status_word(http_status: u16) -> &'static str {
    match http_status {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        402 => "PAYMENT_REQUIRED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "FAILED_PRECONDITION",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        _ => "INTERNAL",
    }
}

/// Login answers (§1.4). Debug output never shows the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub username: String,
    pub token: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("username", &self.username)
            .field("token", &"<redacted>")
            .finish()
    }
}
