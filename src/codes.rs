//! serde support shared by every generated `ErrorCode`: codes serialize as their wire value
//! and deserialize from a string or a number, never failing on an unknown code.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::Serializer;

use crate::ApiErrorCode;

/// Serializes a wire code: as a number for integer APIs when it is one, else as a string.
#[doc(hidden)]
pub fn serialize_code<S: Serializer>(
    wire: &str,
    integer: bool,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match wire.parse::<u64>() {
        Ok(n) if integer => serializer.serialize_u64(n),
        _ => serializer.serialize_str(wire),
    }
}

/// Deserializes a code from a string or an integer; unknown values become `Unknown`.
#[doc(hidden)]
pub fn deserialize_code<'de, D: Deserializer<'de>, C: ApiErrorCode>(
    deserializer: D,
) -> Result<C, D::Error> {
    struct CodeVisitor<C>(PhantomData<C>);
    impl<C: ApiErrorCode> Visitor<'_> for CodeVisitor<C> {
        type Value = C;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an error code (a string or an integer)")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<C, E> {
            Ok(C::from_wire(v))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<C, E> {
            Ok(C::from_wire(&v.to_string()))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<C, E> {
            Ok(C::from_wire(&v.to_string()))
        }
    }
    deserializer.deserialize_any(CodeVisitor(PhantomData))
}
