//! The appraisal burst monitor's arithmetic: answers to one poster round are counted in coarse
//! windows, and an answer arriving while the recent rate is above the limit is held (待核).
//! Only two windows' counts are ever needed, so nothing finer than a window is kept.

/// At most `answers` answers per `window_secs` seconds before answers are held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BurstRate {
    /// Answers allowed per window.
    pub answers: u32,
    /// The window's length in seconds.
    pub window_secs: i64,
}

impl Default for BurstRate {
    /// 30 answers per 10 minutes: a village hall answering together stays under it.
    fn default() -> Self {
        BurstRate {
            answers: 30,
            window_secs: 600,
        }
    }
}

impl BurstRate {
    /// Parses `COUNT/MINUTES` (e.g. `30/10`); both at least 1, minutes at most a day.
    pub fn parse(text: &str) -> Result<BurstRate, String> {
        let (count, minutes) = text
            .trim()
            .split_once('/')
            .ok_or_else(|| format!("expected COUNT/MINUTES such as 30/10, got {text:?}"))?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| format!("{count:?} is not a count"))?;
        let minutes: i64 = minutes
            .trim()
            .parse()
            .map_err(|_| format!("{minutes:?} is not a number of minutes"))?;
        if count == 0 || !(1..=24 * 60).contains(&minutes) {
            return Err("the count must be at least 1 and the minutes between 1 and 1440".into());
        }
        Ok(BurstRate {
            answers: count,
            window_secs: minutes * 60,
        })
    }

    /// The window that `unix_secs` falls in.
    pub fn window(&self, unix_secs: i64) -> i64 {
        unix_secs.div_euclid(self.window_secs)
    }

    /// Whether an answer is held, given the answers counted in the previous and the current
    /// window (this one included) at `unix_secs`. The previous window counts for the part of it
    /// still inside the last `window_secs`, so a burst across a window boundary is caught too.
    pub fn holds(&self, unix_secs: i64, previous: i64, current: i64) -> bool {
        let into = unix_secs.rem_euclid(self.window_secs);
        let carried = previous * (self.window_secs - into);
        // current + previous·(remaining share) > answers, kept in integers.
        current * self.window_secs + carried > i64::from(self.answers) * self.window_secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            BurstRate::parse("30/10"),
            Ok(BurstRate {
                answers: 30,
                window_secs: 600
            })
        );
        for bad in ["", "30", "0/10", "30/0", "x/10", "30/1441", "-1/10"] {
            assert!(BurstRate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn holds_only_above_the_rate() {
        let rate = BurstRate::default();
        let start = 600 * 1000;
        assert!(!rate.holds(start, 0, 30));
        assert!(rate.holds(start, 0, 31));
        // Half-way through, half of a full previous window still counts.
        assert!(!rate.holds(start + 300, 30, 15));
        assert!(rate.holds(start + 300, 30, 16));
        // Near the end of the window the previous one hardly counts.
        assert!(!rate.holds(start + 599, 30, 29));
    }
}
