//! Ids as their own types: an opinion's id is an [`OpinionId`], a person's a [`PersonId`], and
//! one cannot be passed where the other is asked for. Each is text underneath (JSON strings,
//! text columns).
//!
//! Ids in the right order compile:
//!
//! ```
//! use vocabulary::model::{OpinionId, PersonId};
//! fn recuse(opinion: &OpinionId, person: &PersonId) -> String {
//!     format!("{opinion} {person}")
//! }
//! let (opinion, person) = (OpinionId::from("o1"), PersonId::from("p1"));
//! assert_eq!(recuse(&opinion, &person), "o1 p1");
//! ```
//!
//! Swapped, they do not:
//!
//! ```compile_fail
//! use vocabulary::model::{OpinionId, PersonId};
//! fn recuse(opinion: &OpinionId, person: &PersonId) -> String {
//!     format!("{opinion} {person}")
//! }
//! let (opinion, person) = (OpinionId::from("o1"), PersonId::from("p1"));
//! recuse(&person, &opinion);
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What an id names; only its type matters, so that ids of different things differ in type.
pub trait IdKind: 'static {
    /// The thing named, for messages ("opinion").
    const WHAT: &'static str;
    /// The id's name in the API's document ("OpinionId").
    const SCHEMA: &'static str;
}

/// The things that have ids.
pub mod kind {
    use super::IdKind;

    /// Declares each kind: an empty enum, named in messages and in the API's document.
    macro_rules! kinds {
        ($($kind:ident => $what:literal, $schema:literal;)+) => {$(
            #[doc = concat!("The marker type of `", $schema, "`.")]
            #[derive(Debug)]
            pub enum $kind {}

            impl IdKind for $kind {
                const WHAT: &'static str = $what;
                const SCHEMA: &'static str = $schema;
            }
        )+};
    }

    kinds! {
        Opinion => "opinion", "OpinionId";
        Person => "person", "PersonId";
        Account => "staff account", "AccountId";
        Unit => "unit", "UnitId";
        Group => "leading group", "GroupId";
        Box => "box", "BoxId";
        Issue => "issue", "IssueId";
        Change => "subject change", "ChangeId";
        Measure => "measure", "MeasureId";
        Round => "appraisal round", "RoundId";
        Notice => "notice", "NoticeId";
    }
}

/// An id of a `K`: text, compared and hashed as text, but never mistaken for another kind's.
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub struct Id<K: IdKind> {
    value: String,
    kind: PhantomData<fn() -> K>,
}

/// An opinion's id.
pub type OpinionId = Id<kind::Opinion>;
/// A person's id (the people whom opinions can be about).
pub type PersonId = Id<kind::Person>;
/// A staff account's id.
pub type AccountId = Id<kind::Account>;
/// A unit's id (township, village, office).
pub type UnitId = Id<kind::Unit>;
/// A leading group's id.
pub type GroupId = Id<kind::Group>;
/// A box's id (not its public code).
pub type BoxId = Id<kind::Box>;
/// An issue's id (归纳整理).
pub type IssueId = Id<kind::Issue>;
/// A proposed change to whom an opinion is about.
pub type ChangeId = Id<kind::Change>;
/// A rectification measure's id.
pub type MeasureId = Id<kind::Measure>;
/// An appraisal round's id.
pub type RoundId = Id<kind::Round>;
/// A notice's id.
pub type NoticeId = Id<kind::Notice>;

impl<K: IdKind> Id<K> {
    /// The id with this text.
    pub fn new(value: impl Into<String>) -> Self {
        Id {
            value: value.into(),
            kind: PhantomData,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

impl<K: IdKind> Deref for Id<K> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.value
    }
}

impl<K: IdKind> AsRef<str> for Id<K> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<K: IdKind> Clone for Id<K> {
    fn clone(&self) -> Self {
        Id::new(self.value.clone())
    }
}

impl<K: IdKind> PartialEq for Id<K> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<K: IdKind> Eq for Id<K> {}

impl<K: IdKind> PartialEq<str> for Id<K> {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}

impl<K: IdKind> PartialEq<&str> for Id<K> {
    fn eq(&self, other: &&str) -> bool {
        self.value == *other
    }
}

impl<K: IdKind> PartialEq<String> for Id<K> {
    fn eq(&self, other: &String) -> bool {
        &self.value == other
    }
}

impl<K: IdKind> PartialEq<Id<K>> for String {
    fn eq(&self, other: &Id<K>) -> bool {
        self == &other.value
    }
}

impl<K: IdKind> PartialEq<Id<K>> for &str {
    fn eq(&self, other: &Id<K>) -> bool {
        *self == other.value
    }
}

impl<K: IdKind> PartialOrd for Id<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<K: IdKind> Ord for Id<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value.cmp(&other.value)
    }
}

impl<K: IdKind> std::hash::Hash for Id<K> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

/// A map keyed by ids can be read with the id's text (hashed and compared as that text).
impl<K: IdKind> std::borrow::Borrow<str> for Id<K> {
    fn borrow(&self) -> &str {
        &self.value
    }
}

impl<K: IdKind> fmt::Debug for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?})", K::WHAT, self.value)
    }
}

impl<K: IdKind> fmt::Display for Id<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<K: IdKind> From<String> for Id<K> {
    fn from(value: String) -> Self {
        Id::new(value)
    }
}

impl<K: IdKind> From<&str> for Id<K> {
    fn from(value: &str) -> Self {
        Id::new(value)
    }
}

impl<K: IdKind> From<Id<K>> for String {
    fn from(id: Id<K>) -> String {
        id.value
    }
}

impl<K: IdKind> Serialize for Id<K> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, K: IdKind> Deserialize<'de> for Id<K> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Id::new)
    }
}

/// The ids in the API's document: strings, each named for what it is.
#[cfg(feature = "server")]
mod documented {
    use std::borrow::Cow;

    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
    use utoipa::{PartialSchema, ToSchema};

    use super::{Id, IdKind};

    impl<K: IdKind> PartialSchema for Id<K> {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(format!("The id of a {}.", K::WHAT)))
                .into()
        }
    }

    impl<K: IdKind> ToSchema for Id<K> {
        fn name() -> Cow<'static, str> {
            Cow::Borrowed(K::SCHEMA)
        }
    }
}

#[cfg(feature = "server")]
mod stored {
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql};
    use diesel::serialize::{self, Output, ToSql};
    use diesel::sql_types::Text;

    use super::{Id, IdKind};

    impl<K: IdKind, DB> ToSql<Text, DB> for Id<K>
    where
        DB: Backend,
        str: ToSql<Text, DB>,
    {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
            <str as ToSql<Text, DB>>::to_sql(&self.value, out)
        }
    }

    impl<K: IdKind, DB> FromSql<Text, DB> for Id<K>
    where
        DB: Backend,
        String: FromSql<Text, DB>,
    {
        fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
            <String as FromSql<Text, DB>>::from_sql(bytes).map(Id::new)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_text_outside_and_their_kind_inside() {
        let id = OpinionId::new("a1");
        assert_eq!(serde_json::to_string(&id).ok().as_deref(), Some("\"a1\""));
        assert_eq!(format!("{id:?}"), "opinion(\"a1\")");
        assert_eq!(id, "a1");
        let back: PersonId = serde_json::from_str("\"p9\"").expect("an id");
        assert_eq!(back.as_str(), "p9");
    }
}
