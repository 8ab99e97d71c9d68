//! When waiting opinions are released to reviewers: in batches, so the minute an opinion
//! arrived cannot be read from when it appeared in the queue.

use vocabulary::model::{ReleaseInfo, ReleaseRule};

use super::day::{LOCAL_OFFSET_SECS, day_of_unix};

/// How a deployment batches opinions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleasePolicy {
    /// Release a group's waiting opinions once at least this many wait (count mode).
    pub batch_size: u32,
    /// The longest an opinion waits in count mode, in seconds.
    pub max_wait_secs: i64,
    /// Fixed local times of day (minutes after midnight, sorted); when set, opinions are
    /// released only at these times, however many wait.
    pub times: Vec<u16>,
}

impl Default for ReleasePolicy {
    fn default() -> Self {
        ReleasePolicy {
            batch_size: 3,
            max_wait_secs: 24 * 3600,
            times: Vec::new(),
        }
    }
}

const HOUR: i64 = 3600;
const DAY: i64 = 24 * HOUR;

impl ReleasePolicy {
    /// The latest release of an opinion arriving at `now` when no other opinion of its group
    /// waits. In count mode the deadline is rounded down to the hour, so even while waiting
    /// nothing finer than the hour is stored.
    pub fn deadline_after(&self, now: i64) -> i64 {
        if self.times.is_empty() {
            let deadline = now + self.max_wait_secs;
            return deadline - deadline.rem_euclid(HOUR);
        }
        let local = now + LOCAL_OFFSET_SECS;
        let midnight = local - local.rem_euclid(DAY);
        let next = self
            .times
            .iter()
            .map(|m| midnight + i64::from(*m) * 60)
            .find(|t| *t > local)
            .unwrap_or_else(|| midnight + DAY + i64::from(self.times[0]) * 60);
        next - LOCAL_OFFSET_SECS
    }

    /// The deadline a new opinion joins: the one its group's waiting opinions already share,
    /// unless that has passed (the batch is about to go), in which case a fresh one.
    pub fn deadline_joining(&self, shared: Option<i64>, now: i64) -> i64 {
        match shared {
            Some(deadline) if deadline > now => deadline,
            _ => self.deadline_after(now),
        }
    }

    /// Whether a group whose `waiting` opinions share `deadline` is released at `now`.
    pub fn is_due(&self, waiting: u32, deadline: i64, now: i64) -> bool {
        now >= deadline || (self.times.is_empty() && waiting >= self.batch_size)
    }

    /// What the villager is told about an opinion waiting until `deadline`.
    pub fn info(&self, deadline: i64) -> ReleaseInfo {
        ReleaseInfo {
            by_day: day_of_unix(deadline),
            rule: if self.times.is_empty() {
                ReleaseRule::Count {
                    batch_size: self.batch_size,
                    max_wait_hours: u32::try_from(self.max_wait_secs / HOUR).unwrap_or(u32::MAX),
                }
            } else {
                ReleaseRule::Times {
                    times: self
                        .times
                        .iter()
                        .map(|m| format!("{:02}:{:02}", m / 60, m % 60))
                        .collect(),
                }
            },
        }
    }
}

/// Parses `HH:MM[,HH:MM…]` (local time) into sorted minutes after midnight.
pub fn parse_times(text: &str) -> Result<Vec<u16>, String> {
    let mut times = text
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| {
            let (h, m) = t
                .split_once(':')
                .ok_or_else(|| format!("{t}: expected HH:MM"))?;
            let h: u16 = h.parse().map_err(|_| format!("{t}: bad hour"))?;
            let m: u16 = m.parse().map_err(|_| format!("{t}: bad minute"))?;
            if h > 23 || m > 59 {
                return Err(format!("{t}: not a time of day"));
            }
            Ok(h * 60 + m)
        })
        .collect::<Result<Vec<_>, _>>()?;
    times.sort_unstable();
    times.dedup();
    Ok(times)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn at(t: time::OffsetDateTime) -> i64 {
        t.unix_timestamp()
    }

    #[test]
    fn count_mode_waits_at_most_the_maximum_rounded_down_to_the_hour() {
        let policy = ReleasePolicy::default();
        let now = at(datetime!(2026-11-22 03:17:42 UTC));
        assert_eq!(
            policy.deadline_after(now),
            at(datetime!(2026-11-23 03:00 UTC))
        );
        assert!(policy.deadline_after(now) - now <= policy.max_wait_secs);
    }

    #[test]
    fn count_mode_releases_a_full_batch_or_at_the_deadline() {
        let policy = ReleasePolicy::default();
        let deadline = 10_000;
        assert!(!policy.is_due(1, deadline, deadline - 1));
        assert!(!policy.is_due(2, deadline, deadline - 1));
        assert!(policy.is_due(3, deadline, deadline - 1));
        assert!(policy.is_due(1, deadline, deadline));
    }

    #[test]
    fn new_opinions_join_the_waiting_batch_until_its_deadline_passes() {
        let policy = ReleasePolicy::default();
        let now = at(datetime!(2026-11-22 03:17 UTC));
        let shared = now + 600;
        assert_eq!(policy.deadline_joining(Some(shared), now), shared);
        assert_eq!(
            policy.deadline_joining(Some(now - 1), now),
            policy.deadline_after(now)
        );
        assert_eq!(
            policy.deadline_joining(None, now),
            policy.deadline_after(now)
        );
    }

    #[test]
    fn fixed_times_are_local_and_wrap_to_the_next_day() {
        let policy = ReleasePolicy {
            times: parse_times("17:30, 09:00").expect("times"),
            ..ReleasePolicy::default()
        };
        assert_eq!(policy.times, vec![540, 1050]);
        // 08:00 local (00:00 UTC) → 09:00 local the same day.
        let morning = at(datetime!(2026-11-22 00:00 UTC));
        assert_eq!(
            policy.deadline_after(morning),
            at(datetime!(2026-11-22 01:00 UTC))
        );
        // 20:00 local → 09:00 local the next day.
        let evening = at(datetime!(2026-11-22 12:00 UTC));
        assert_eq!(
            policy.deadline_after(evening),
            at(datetime!(2026-11-23 01:00 UTC))
        );
        // In fixed-time mode a full batch still waits for the time.
        assert!(!policy.is_due(50, at(datetime!(2026-11-23 01:00 UTC)), evening));
    }

    #[test]
    fn the_villager_is_told_the_local_day() {
        let policy = ReleasePolicy::default();
        let info = policy.info(at(datetime!(2026-11-22 16:00 UTC)));
        assert_eq!(info.by_day, "2026-11-23");
        assert_eq!(
            info.rule,
            ReleaseRule::Count {
                batch_size: 3,
                max_wait_hours: 24
            }
        );
    }

    #[test]
    fn bad_times_are_rejected() {
        assert!(parse_times("25:00").is_err());
        assert!(parse_times("9").is_err());
        assert!(parse_times("09:60").is_err());
        assert_eq!(parse_times("").expect("empty"), Vec::<u16>::new());
    }
}
