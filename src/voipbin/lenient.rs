//! Decoding helpers for the platform's loose key-presence rules: an absent key, `null` and
//! the empty value all mean "empty", and the nil UUID means "none".

use serde::{Deserialize, Deserializer};
use uuid::Uuid;

/// A UUID field: absent, `null` and `""` decode as the nil UUID (the platform's "none").
pub(super) fn uuid<'de, D: Deserializer<'de>>(d: D) -> Result<Uuid, D::Error> {
    let raw: Option<std::borrow::Cow<'de, str>> = Option::deserialize(d)?;
    match raw.as_deref() {
        None | Some("") => Ok(Uuid::nil()),
        Some(text) => Uuid::parse_str(text).map_err(serde::de::Error::custom),
    }
}

/// A string, list or map field that may be `null`: `null` decodes as the empty value.
pub(super) fn or_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// An enum-valued field: absent, `null` and `""` decode as `None`.
pub(super) fn enum_opt<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    let raw: Option<String> = Option::deserialize(d)?;
    Ok(raw.filter(|s| !s.is_empty()).map(T::from))
}

pub(super) fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// Declares a platform enum: known lower-case wire strings plus `Other(String)`, so an
/// unknown value from a newer platform decodes instead of failing.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this version of bridgetop does not know.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $($wire => Self::$variant,)+
                    _ => Self::Other(s),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from(s.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::from)
            }
        }
    };
}

pub(crate) use wire_enum;
