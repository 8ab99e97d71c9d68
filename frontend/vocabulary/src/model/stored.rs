//! How the closed sets are stored: each by its stable name in a text column, on either backend
//! (server builds only). A stored name that does not parse is a deserialisation error naming the
//! set and the value, never a guess.

/// A closed set stored by its stable name.
pub trait StoredName: Sized + Copy + 'static {
    /// What the set is called in an error, e.g. "opinion state".
    const SET: &'static str;
    /// The stable name written to the database.
    fn stored(self) -> &'static str;
    /// The value a stored name stands for, matched exactly.
    fn from_stored(name: &str) -> Option<Self>;
}

/// The error a name that is not in its set becomes when read from the database.
pub fn unknown_name<T: StoredName>(name: &str) -> Box<dyn std::error::Error + Send + Sync> {
    format!("unknown {} {name:?} in the database", T::SET).into()
}

/// Implements diesel's `ToSql`/`FromSql` over `Text` for each listed `StoredName` type, on every
/// backend that stores text (SQLite, PostgreSQL and the server's `MultiBackend`). The types
/// derive `diesel::expression::AsExpression` and `diesel::deserialize::FromSqlRow` with `sql_type = Text` themselves.
#[macro_export]
macro_rules! text_column {
    ($($set:ty),+ $(,)?) => {$(
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $set
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                let name: &'static str = $crate::model::StoredName::stored(*self);
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql(name, out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $set
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let name = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                <$set as $crate::model::StoredName>::from_stored(&name)
                    .ok_or_else(|| $crate::model::unknown_name::<$set>(&name))
            }
        }
    )+};
}

/// `StoredName` for each listed closed set, by its `as_str` and its `ALL`.
#[macro_export]
macro_rules! stored_name {
    ($($set:ty => $what:literal),+ $(,)?) => {$(
        impl $crate::model::StoredName for $set {
            const SET: &'static str = $what;
            fn stored(self) -> &'static str {
                self.as_str()
            }
            fn from_stored(name: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|v| v.as_str() == name)
            }
        }
    )+};
}

/// `StoredName` and the text-column mapping for closed sets defined outside this crate (the
/// server's own: staff role, subject source, …); the types derive `diesel::expression::AsExpression` and
/// `diesel::deserialize::FromSqlRow` with `sql_type = Text`.
#[macro_export]
macro_rules! stored_by_name {
    ($($set:ty => $what:literal),+ $(,)?) => {
        $crate::stored_name!($($set => $what),+);
        $crate::text_column!($($set),+);
    };
}

/// The shared sets: stored by name everywhere, mapped to text columns in server builds.
macro_rules! stored_names {
    ($($set:ty => $what:literal),+ $(,)?) => {
        stored_name!($($set => $what),+);
        #[cfg(feature = "server")]
        text_column!($($set),+);
    };
}

stored_names! {
    crate::model::OpinionState => "opinion state",
    crate::model::Category => "opinion category",
    crate::model::Escalation => "escalation",
    crate::org::UnitKind => "unit kind",
    crate::org::UnitCategory => "unit category",
    crate::org::LeaderRank => "leader rank",
    crate::appraisal::Rating => "rating",
    crate::appraisal::RoundMode => "round mode",
    crate::appraisal::Subject => "appraisal subject",
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appraisal::{Rating, RoundMode, Subject};
    use crate::model::{Category, Escalation, OpinionState};
    use crate::org::{LeaderRank, UnitCategory, UnitKind};

    fn round_trips<T: StoredName + PartialEq + std::fmt::Debug>(all: &[T]) {
        for value in all {
            assert_eq!(T::from_stored(value.stored()), Some(*value));
        }
        let mut names: Vec<_> = all.iter().map(|v| v.stored()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "two {} share a stored name", T::SET);
        assert_eq!(T::from_stored(""), None);
        assert_eq!(T::from_stored("CLOSED"), None);
        assert!(unknown_name::<T>("x").to_string().contains(T::SET));
    }

    #[test]
    fn every_stored_name_reads_back_as_itself_and_nothing_else_is_accepted() {
        round_trips(&OpinionState::ALL);
        round_trips(&Category::ALL);
        round_trips(&Escalation::ALL);
        round_trips(&UnitKind::ALL);
        round_trips(&UnitCategory::ALL);
        round_trips(&LeaderRank::ALL);
        round_trips(&Rating::ALL);
        round_trips(&RoundMode::ALL);
        round_trips(&Subject::ALL);
    }

    #[test]
    fn a_unit_kind_is_stored_by_its_name_never_by_its_label() {
        let label = UnitKind::Village.label(crate::i18n::Lang::Zh);
        assert_eq!(UnitKind::parse(label), Some(UnitKind::Village));
        assert_eq!(UnitKind::from_stored(label), None);
    }
}
