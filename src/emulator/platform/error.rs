//! Why a platform operation was refused. The REST layer maps these onto envelopes.

use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    #[error("{0} not found")]
    NotFound(ResourceType),
    /// The resource belongs to another customer (the platform answers 403, not 404).
    #[error("{0} belongs to another customer")]
    PermissionDenied(ResourceType),
    /// A backend refusal: the platform's generic "The request contains invalid data."
    #[error("invalid argument: {0}")]
    InvalidArgument(&'static str),
    /// E.g. a reused client-chosen conference id.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceType {
    Customer,
    Agent,
    Conference,
    Conferencecall,
    Call,
}

impl std::fmt::Display for ResourceType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ResourceType::Customer => "customer",
            ResourceType::Agent => "agent",
            ResourceType::Conference => "conference",
            ResourceType::Conferencecall => "conferencecall",
            ResourceType::Call => "call",
        })
    }
}

pub type PlatformResult<T> = Result<T, PlatformError>;

/// Checks that a found resource belongs to the caller's customer.
pub(crate) fn owned_by<T>(
    found: Option<T>,
    owner: impl Fn(&T) -> Uuid,
    customer_id: Uuid,
    kind: ResourceType,
) -> PlatformResult<T> {
    let found = found.ok_or(PlatformError::NotFound(kind))?;
    if owner(&found) != customer_id {
        return Err(PlatformError::PermissionDenied(kind));
    }
    Ok(found)
}
