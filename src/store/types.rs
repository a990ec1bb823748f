//! How the store spells the shared words of [`crate::domain`]: a visibility is TEXT, a day or an id
//! BIGINT. Rows decode straight into them, so a string or a 0 never leaves the store, and a
//! day binds as itself.

use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::{Any, Database, Decode, Encode, Type};

use crate::domain::{Day, PersonId, TeamId, Visibility};

/// A value a CHECK constraint should have kept out of the table.
#[derive(Debug, thiserror::Error)]
#[error("`{0}` is not a visibility")]
struct UnknownVisibility(String);

impl Type<Any> for Visibility {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }
}

impl<'r> Decode<'r, Any> for Visibility {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<Any>>::decode(value)?;
        Visibility::parse(&text).ok_or_else(|| UnknownVisibility(text).into())
    }
}

impl Type<Any> for Day {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Day {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Day::try_from(<i64 as Decode<Any>>::decode(value)?)?)
    }
}

impl<'q> Encode<'q, Any> for Day {
    fn encode_by_ref(
        &self,
        buf: &mut <Any as Database>::ArgumentBuffer<'q>,
    ) -> Result<IsNull, BoxDynError> {
        <i64 as Encode<Any>>::encode(i64::from(*self), buf)
    }
}

/// An id column is BIGINT: the newtypes of [`crate::domain`] bind and decode as their `i64`.
macro_rules! id_column {
    ($($name:ident),*) => {$(
        impl Type<Any> for $name {
            fn type_info() -> AnyTypeInfo {
                <i64 as Type<Any>>::type_info()
            }

            fn compatible(ty: &AnyTypeInfo) -> bool {
                <i64 as Type<Any>>::compatible(ty)
            }
        }

        impl<'r> Decode<'r, Any> for $name {
            fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
                Ok($name(<i64 as Decode<Any>>::decode(value)?))
            }
        }

        impl<'q> Encode<'q, Any> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut <Any as Database>::ArgumentBuffer<'q>,
            ) -> Result<IsNull, BoxDynError> {
                <i64 as Encode<Any>>::encode(self.0, buf)
            }
        }
    )*};
}

id_column!(PersonId, TeamId);
