//! Coarse time: the only clock reviewers and villagers see is the local day.

use time::{OffsetDateTime, UtcOffset};
use vocabulary::model::Day;

/// China Standard Time; townships run on it.
const LOCAL_OFFSET_HOURS: i8 = 8;
/// The same offset in seconds.
pub const LOCAL_OFFSET_SECS: i64 = LOCAL_OFFSET_HOURS as i64 * 3600;

/// Today's local date.
pub fn today() -> Day {
    day_of(OffsetDateTime::now_utc())
}

/// The local date of an instant.
pub fn day_of(instant: OffsetDateTime) -> Day {
    let offset = UtcOffset::from_hms(LOCAL_OFFSET_HOURS, 0, 0).unwrap_or(UtcOffset::UTC);
    let date = instant.to_offset(offset).date();
    // `time` makes real dates, but also of years 0 and before, which no `YYYY-MM-DD` can
    // write; an instant that far back (only a corrupt stored time) reads as the earliest day.
    Day::from_ymd(date.year(), u8::from(date.month()), date.day())
        .unwrap_or_else(|_| Day::earliest())
}

/// The local date of a Unix time.
pub fn day_of_unix(secs: i64) -> Day {
    day_of(OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH))
}

/// The local minute of a Unix time, `YYYY-MM-DD HH:MM`, for staff actions in the audit trail
/// (never for anything a resident did).
pub fn minute_of_unix(secs: i64) -> String {
    let offset = UtcOffset::from_hms(LOCAL_OFFSET_HOURS, 0, 0).unwrap_or(UtcOffset::UTC);
    let local = OffsetDateTime::from_unix_timestamp(secs)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset);
    format!(
        "{} {:02}:{:02}",
        day_of(local),
        local.hour(),
        local.minute()
    )
}

/// A real calendar day written `YYYY-MM-DD`, or `None` (`2026-02-30` is not one, nor a signed
/// or five-digit year such as `-2026-12-06`, which `time` would read).
pub fn parse_day(text: &str) -> Option<Day> {
    Day::parse(text).ok()
}

/// The day something was closed (or done) while it is: the first such day is kept until it is
/// reopened, so retention and the ledger count from it.
pub fn kept_day(closed: bool, before: Option<Day>, today: &Day) -> Option<Day> {
    closed.then(|| before.unwrap_or_else(|| today.clone()))
}

/// Unix seconds now (staff sessions and job deadlines; never stored as a resident's time).
pub fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_closing_day_changes_only_when_it_must() {
        let day = |text| Day::parse(text).expect("a day");
        let old = Some(day("2026-01-01"));
        assert_eq!(kept_day(true, old.clone(), &day("2026-03-04")), old);
        assert_eq!(
            kept_day(true, None, &day("2026-03-04")).as_deref(),
            Some("2026-03-04")
        );
        assert_eq!(kept_day(false, old, &day("2026-03-04")), None);
    }

    #[test]
    fn only_real_days_parse() {
        assert_eq!(parse_day(" 2026-11-22 ").as_deref(), Some("2026-11-22"));
        assert_eq!(parse_day("2026-02-30"), None);
        assert_eq!(parse_day("2026-1-5"), None);
        assert_eq!(parse_day("yesterday"), None);
        // Found by the fuzzer: `time` reads signed years, which are no `YYYY-MM-DD`.
        assert_eq!(parse_day("-2026-12-06"), None);
        assert_eq!(parse_day("+2026-12-06"), None);
        assert_eq!(parse_day("-001-01-01"), None);
    }

    #[test]
    fn an_instant_before_year_one_reads_as_the_earliest_day() {
        assert_eq!(day_of_unix(-62_200_000_000), "0001-01-01");
        assert_eq!(day_of(datetime!(0001-01-01 00:00 UTC)), "0001-01-01");
        assert_eq!(Day::earliest(), "0001-01-01");
    }

    #[test]
    fn the_day_turns_at_local_midnight() {
        assert_eq!(day_of(datetime!(2026-11-22 15:59 UTC)), "2026-11-22");
        assert_eq!(day_of(datetime!(2026-11-22 16:00 UTC)), "2026-11-23");
    }
}
