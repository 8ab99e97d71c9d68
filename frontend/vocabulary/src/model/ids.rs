//! Ids and days as their own types: an opinion's id is an [`OpinionId`], a person's a
//! [`PersonId`], and one cannot be passed where the other is asked for. Each is text underneath
//! (JSON strings, text columns); a [`Day`] is a real calendar day written `YYYY-MM-DD`, and a
//! stored or sent day that is not one is an error, never a guess.
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
//!
//! Nor does a day made from text without its check:
//!
//! ```compile_fail
//! use vocabulary::model::Day;
//! let day: Day = "2026-02-30".into();
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

/// A calendar day, `YYYY-MM-DD`: the only time reviewers and villagers see.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(
    feature = "server",
    derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow),
    diesel(sql_type = diesel::sql_types::Text)
)]
pub struct Day(String);

/// Why a text is not a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotADay(pub String);

impl fmt::Display for NotADay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a day written YYYY-MM-DD", self.0)
    }
}

impl std::error::Error for NotADay {}

impl Day {
    /// A real calendar day written `YYYY-MM-DD` (surrounding spaces ignored), or why not:
    /// `2026-02-30` is not one, nor `2026-1-5` or a signed or five-digit year.
    pub fn parse(text: &str) -> Result<Day, NotADay> {
        let text = text.trim();
        let not = || NotADay(text.to_string());
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes.iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shaped {
            return Err(not());
        }
        let number = |range: std::ops::Range<usize>| text[range].parse::<u32>().map_err(|_| not());
        let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(not()),
        };
        if year == 0 || day == 0 || day > days {
            return Err(not());
        }
        Ok(Day(text.to_string()))
    }

    /// The day of this year, month (1–12) and day of the month, or why it is none.
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Result<Day, NotADay> {
        Day::parse(&format!("{year:04}-{month:02}-{day:02}"))
    }

    /// The day's text, `YYYY-MM-DD`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The month it falls in, `YYYY-MM`.
    pub fn month(&self) -> &str {
        &self.0[..7]
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.0[..4].parse().unwrap_or_default()
    }
}

impl fmt::Debug for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Day({})", self.0)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Day {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Day {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl Deref for Day {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Day {
    type Err = NotADay;
    fn from_str(text: &str) -> Result<Day, NotADay> {
        Day::parse(text)
    }
}

impl From<Day> for String {
    fn from(day: Day) -> String {
        day.0
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Day::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The ids and days in the API's document: strings, each named for what it is.
#[cfg(feature = "server")]
mod documented {
    use std::borrow::Cow;

    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
    use utoipa::{PartialSchema, ToSchema};

    use super::{Day, Id, IdKind};

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

    impl PartialSchema for Day {
        fn schema() -> RefOr<Schema> {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .description(Some("A calendar day, `YYYY-MM-DD`."))
                .into()
        }
    }

    impl ToSchema for Day {}
}

#[cfg(feature = "server")]
mod stored {
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql};
    use diesel::serialize::{self, Output, ToSql};
    use diesel::sql_types::Text;

    use super::{Day, Id, IdKind};

    impl<DB> ToSql<Text, DB> for Day
    where
        DB: Backend,
        str: ToSql<Text, DB>,
    {
        fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
            <str as ToSql<Text, DB>>::to_sql(&self.0, out)
        }
    }

    impl<DB> FromSql<Text, DB> for Day
    where
        DB: Backend,
        String: FromSql<Text, DB>,
    {
        fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
            let text = <String as FromSql<Text, DB>>::from_sql(bytes)?;
            Day::parse(&text).map_err(|e| format!("in the database: {e}").into())
        }
    }

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
    fn only_real_calendar_days_are_days() {
        assert_eq!(
            Day::parse(" 2026-11-22 ").map(String::from),
            Ok("2026-11-22".into())
        );
        for leap in ["2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01"] {
            assert!(Day::parse(leap).is_ok(), "{leap}");
        }
        for not in [
            "2026-02-29",
            "1900-02-29",
            "2026-02-30",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-01-00",
            "0000-01-01",
            "2026-1-5",
            "-2026-12-06",
            "+2026-12-06",
            "20261206",
            "２０２６-01-01",
            "",
        ] {
            assert_eq!(
                Day::parse(not),
                Err(NotADay(not.trim().to_string())),
                "{not}"
            );
        }
        assert_eq!(Day::parse("2026-03-09").map(|d| d.year()), Ok(2026));
    }

    #[test]
    fn a_day_that_is_not_one_is_refused_when_read_from_json() {
        let ok: Day = serde_json::from_str("\"2026-12-07\"").expect("a day");
        assert_eq!(
            serde_json::to_string(&ok).ok().as_deref(),
            Some("\"2026-12-07\"")
        );
        let err = serde_json::from_str::<Day>("\"2026-02-30\"").expect_err("no such day");
        assert!(err.to_string().contains("not a day"), "{err}");
    }

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
