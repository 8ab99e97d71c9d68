//! A [`Day`] is a real calendar day written `YYYY-MM-DD`: the only time reviewers and villagers
//! see. A stored or sent day that is not one is an error, never a guess.
//!
//! A day is never made from text without its check:
//!
//! ```compile_fail
//! use vocabulary::model::Day;
//! let day: Day = "2026-02-30".into();
//! ```

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

    /// The first day a `Day` can be, 1 January of year 1.
    pub fn earliest() -> Day {
        Day("0001-01-01".to_string())
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

/// A day in the API's document: a string in the `date` format.
#[cfg(feature = "server")]
mod documented {
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
    use utoipa::{PartialSchema, ToSchema};

    use super::Day;

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

/// A day in a text column, on every backend; a stored text that is no day fails the read.
#[cfg(feature = "server")]
mod stored {
    use diesel::backend::Backend;
    use diesel::deserialize::{self, FromSql};
    use diesel::serialize::{self, Output, ToSql};
    use diesel::sql_types::Text;

    use super::Day;

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
}
