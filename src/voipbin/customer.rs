//! The caller's own customer (`GET /v1.0/customer`).

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::lenient::{self, wire_enum};
use super::time::{self, Timestamp};

wire_enum!(CustomerStatus { Initial = "initial", Active = "active", Frozen = "frozen", Deleted = "deleted" });

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Customer {
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub name: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub detail: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub email: String,
    #[serde(
        default,
        deserialize_with = "lenient::or_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub phone_number: String,
    #[serde(default, deserialize_with = "lenient::uuid")]
    pub billing_account_id: Uuid,
    #[serde(
        default,
        deserialize_with = "lenient::enum_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<CustomerStatus>,
    #[serde(default, with = "time::optional")]
    pub tm_create: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_update: Option<Timestamp>,
    #[serde(default, with = "time::optional")]
    pub tm_delete: Option<Timestamp>,
}
