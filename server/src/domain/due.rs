//! When a released opinion should be resolved: a number of days per category.

use vocabulary::model::Category;

/// Days to resolve an opinion, by category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuePolicy {
    /// Days for categories without their own number.
    pub default_days: u32,
    /// Categories with their own number of days.
    pub per_category: Vec<(Category, u32)>,
}

impl Default for DuePolicy {
    fn default() -> Self {
        DuePolicy {
            default_days: 15,
            per_category: Vec::new(),
        }
    }
}

impl DuePolicy {
    /// Days allowed for a category.
    pub fn days_for(&self, category: Category) -> u32 {
        self.per_category
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(self.default_days, |(_, d)| *d)
    }
}

/// Parses `15` or `15,discipline=7,conduct=10`.
pub fn parse_due(text: &str) -> Result<DuePolicy, String> {
    let mut policy = DuePolicy::default();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let days = |v: &str| -> Result<u32, String> {
            match v.trim().parse::<u32>() {
                Ok(d) if (1..=365).contains(&d) => Ok(d),
                _ => Err(format!("{part}: days must be 1 to 365")),
            }
        };
        match part.split_once('=') {
            None => policy.default_days = days(part)?,
            Some((name, value)) => {
                let category = Category::parse(name.trim())
                    .ok_or_else(|| format!("{part}: unknown category {name}"))?;
                policy.per_category.push((category, days(value)?));
            }
        }
    }
    Ok(policy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_come_from_the_category_or_the_default() {
        let policy = parse_due("20, discipline=7").expect("policy");
        assert_eq!(policy.days_for(Category::Discipline), 7);
        assert_eq!(policy.days_for(Category::Suggestion), 20);
        assert_eq!(parse_due("").expect("empty").days_for(Category::Other), 15);
        assert!(parse_due("0").is_err());
        assert!(parse_due("weather=3").is_err());
    }
}
