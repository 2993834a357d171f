//! Platform refusals as REST envelopes, and the permission gate of supervisor endpoints.

use uuid::Uuid;

use crate::emulator::api_error::ApiError;
use crate::emulator::identity::Identity;
use crate::emulator::platform::{PlatformError, ResourceType};

impl From<PlatformError> for ApiError {
    fn from(e: PlatformError) -> Self {
        match e {
            PlatformError::NotFound(r) => match r {
                ResourceType::Conference => {
                    ApiError::not_found("CONFERENCE_NOT_FOUND", "conference")
                }
                ResourceType::Conferencecall => {
                    ApiError::not_found("CONFERENCECALL_NOT_FOUND", "conferencecall")
                }
                ResourceType::Call => ApiError::not_found("CALL_NOT_FOUND", "call"),
                ResourceType::Agent | ResourceType::Customer => {
                    ApiError::not_found("RESOURCE_NOT_FOUND", "resource")
                }
            },
            PlatformError::PermissionDenied(_) => ApiError::permission_denied(),
            PlatformError::InvalidArgument(_) => ApiError::invalid_argument(),
            PlatformError::Internal(_) => ApiError::internal(),
        }
    }
}

/// Admin/manager (or access key) of its customer: the customer to act for.
pub(super) fn supervisor(identity: &Identity) -> Result<Uuid, ApiError> {
    if identity.is_supervisor() {
        Ok(identity.customer_id())
    } else {
        Err(ApiError::permission_denied())
    }
}
