//! The statistics tables 附件1–3: counting an area's leaders, party organisations and members,
//! the leader reviews (领导点评) of the year's two passes and the year's mass appraisals, and
//! laying the counts out as the official forms.

use std::collections::HashSet;

use vocabulary::i18n::Lang;
use vocabulary::org::{LeaderRank, UnitCategory};
use vocabulary::statistics::{RollupLine, StatBlock, StatRow, StatTable};

/// What a leader review (领导点评) is of: a party organisation (a unit) or a member (a person);
/// stored by its stable name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Reviewed {
    /// A party organisation.
    Unit,
    /// A party member.
    Person,
}

impl Reviewed {
    /// Both kinds.
    pub const ALL: [Reviewed; 2] = [Reviewed::Unit, Reviewed::Person];

    /// The stable name stored with the review.
    pub fn as_str(self) -> &'static str {
        match self {
            Reviewed::Unit => "unit",
            Reviewed::Person => "person",
        }
    }
}

vocabulary::stored_by_name!(Reviewed => "review subject kind");

/// What the tables count, for one area and one year.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// Party organisations: units with a category.
    pub organisations: Vec<(String, UnitCategory)>,
    /// Active people: id, their unit's category, their leader rank.
    pub people: Vec<(String, Option<UnitCategory>, Option<LeaderRank>)>,
    /// The year's leader reviews: pass (1 or 2), reviewer id, subject (unit or person) id.
    pub reviews: Vec<(u8, String, String)>,
    /// Units and people appraised in the year's rounds.
    pub appraised: HashSet<String>,
}

/// The figures of one column: how many, how many in each review pass, how many appraised.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// How many there are.
    pub total: u32,
    /// How many reviewed (organisations, members) or reviewing (leaders), per pass.
    pub passes: [u32; 2],
    /// How many appraised by the masses.
    pub appraised: u32,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.total += other.total;
        self.passes[0] += other.passes[0];
        self.passes[1] += other.passes[1];
        self.appraised += other.appraised;
    }
}

/// The counts of an area: per leader rank, per organisation category, per member category.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// By [`LeaderRank::ALL`].
    pub leaders: [Counts; 14],
    /// By [`UnitCategory::ALL`].
    pub organisations: [Counts; 12],
    /// By [`UnitCategory::ALL`].
    pub members: [Counts; 12],
}

fn category_index(c: UnitCategory) -> usize {
    UnitCategory::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

fn rank_index(r: LeaderRank) -> usize {
    LeaderRank::ALL.iter().position(|x| *x == r).unwrap_or(0)
}

/// Counts everyone once per column and pass, however many reviews name them.
pub fn tally(facts: &Facts) -> Tally {
    let reviewed: HashSet<(u8, &str)> = facts
        .reviews
        .iter()
        .map(|(pass, _, subject)| (*pass, subject.as_str()))
        .collect();
    let reviewing: HashSet<(u8, &str)> = facts
        .reviews
        .iter()
        .map(|(pass, reviewer, _)| (*pass, reviewer.as_str()))
        .collect();
    let count = |counts: &mut Counts, id: &str, passes: &HashSet<(u8, &str)>| {
        counts.total += 1;
        for pass in [1u8, 2] {
            if passes.contains(&(pass, id)) {
                counts.passes[usize::from(pass - 1)] += 1;
            }
        }
    };
    let mut t = Tally::default();
    for (id, category) in &facts.organisations {
        let counts = &mut t.organisations[category_index(*category)];
        count(counts, id, &reviewed);
        counts.appraised += u32::from(facts.appraised.contains(id));
    }
    for (id, category, rank) in &facts.people {
        if let Some(category) = category {
            let counts = &mut t.members[category_index(*category)];
            count(counts, id, &reviewed);
            counts.appraised += u32::from(facts.appraised.contains(id));
        }
        if let Some(rank) = rank {
            count(&mut t.leaders[rank_index(*rank)], id, &reviewing);
        }
    }
    t
}

/// The totals of a tally as one roll-up line.
pub fn rollup_line(name: &str, t: &Tally) -> RollupLine {
    let sum = |columns: &[Counts]| {
        let mut all = Counts::default();
        columns.iter().for_each(|c| all.add(c));
        all
    };
    let (leaders, organisations, members) =
        (sum(&t.leaders), sum(&t.organisations), sum(&t.members));
    RollupLine {
        name: name.to_string(),
        leaders: leaders.total,
        leaders_reviewing: leaders.passes,
        organisations: organisations.total,
        organisations_reviewed: organisations.passes,
        organisations_appraised: organisations.appraised,
        members: members.total,
        members_reviewed: members.passes,
        members_appraised: members.appraised,
    }
}

/// The rows of a block: a total row, the two passes, and the appraisal row if there is one.
fn rows(lang: Lang, columns: &[Counts], labels: (&str, &str, Option<&str>)) -> Vec<StatRow> {
    let t = lang.t();
    let (total, passes, appraised) = labels;
    let mut rows = vec![StatRow {
        label: total.to_string(),
        sub: None,
        values: columns.iter().map(|c| c.total).collect(),
    }];
    for (n, sub) in [t.statistics.st_first, t.statistics.st_second]
        .into_iter()
        .enumerate()
    {
        rows.push(StatRow {
            label: passes.to_string(),
            sub: Some(sub.to_string()),
            values: columns.iter().map(|c| c.passes[n]).collect(),
        });
    }
    if let Some(label) = appraised {
        rows.push(StatRow {
            label: label.to_string(),
            sub: None,
            values: columns.iter().map(|c| c.appraised).collect(),
        });
    }
    rows
}

/// The three forms, in the official layout: 附件1 in two blocks of seven ranks (secretaries,
/// then leading bodies), 附件2 and 附件3 in two blocks of six categories.
pub fn tables(t: &Tally, lang: Lang) -> Vec<StatTable> {
    let texts = lang.t();
    let leader_block = |ranks: &[LeaderRank], columns: &[Counts]| StatBlock {
        categories: ranks.iter().map(|r| r.label(lang).to_string()).collect(),
        rows: rows(
            lang,
            columns,
            (
                texts.statistics.st_total_people,
                texts.statistics.st_reviewing,
                None,
            ),
        ),
    };
    let category_blocks = |columns: &[Counts; 12], labels: (&str, &str, Option<&str>)| {
        [0..6, 6..12]
            .into_iter()
            .map(|range| StatBlock {
                categories: UnitCategory::ALL[range.clone()]
                    .iter()
                    .map(|c| c.label(lang).to_string())
                    .collect(),
                rows: rows(lang, &columns[range], labels),
            })
            .collect()
    };
    vec![
        StatTable {
            key: "leaders".into(),
            number: "附件1".into(),
            title: texts.statistics.st_title_leaders.into(),
            blocks: vec![
                leader_block(&LeaderRank::ALL[..7], &t.leaders[..7]),
                leader_block(&LeaderRank::ALL[7..], &t.leaders[7..]),
            ],
            notes: vec![
                texts.statistics.st_note_1.into(),
                texts.statistics.st_note_2.into(),
                texts.statistics.st_note_3.into(),
            ],
        },
        StatTable {
            key: "organisations".into(),
            number: "附件2".into(),
            title: texts.statistics.st_title_organisations.into(),
            blocks: category_blocks(
                &t.organisations,
                (
                    texts.statistics.st_organisations,
                    texts.statistics.st_org_reviewed,
                    Some(texts.statistics.st_org_appraised),
                ),
            ),
            notes: Vec::new(),
        },
        StatTable {
            key: "members".into(),
            number: "附件3".into(),
            title: texts.statistics.st_title_members.into(),
            blocks: category_blocks(
                &t.members,
                (
                    texts.statistics.st_members,
                    texts.statistics.st_mem_reviewed,
                    Some(texts.statistics.st_mem_appraised),
                ),
            ),
            notes: Vec::new(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        text.to_string()
    }

    /// Two villages (rural), a school; four people; reviews in both passes, some repeated.
    fn facts() -> Facts {
        Facts {
            organisations: vec![
                (s("v1"), UnitCategory::Rural),
                (s("v2"), UnitCategory::Rural),
                (s("sch"), UnitCategory::School),
            ],
            people: vec![
                (
                    s("sec"),
                    Some(UnitCategory::Rural),
                    Some(LeaderRank::GrassrootsSecretary),
                ),
                (s("m1"), Some(UnitCategory::Rural), None),
                (s("teacher"), Some(UnitCategory::School), None),
                (s("mayor"), None, Some(LeaderRank::TownshipSecretary)),
            ],
            reviews: vec![
                (1, s("mayor"), s("v1")),
                (1, s("mayor"), s("v2")),
                (1, s("sec"), s("m1")),
                (1, s("sec"), s("m1")),
                (2, s("mayor"), s("v1")),
                (2, s("mayor"), s("sec")),
            ],
            appraised: HashSet::from([s("v1"), s("m1"), s("teacher")]),
        }
    }

    #[test]
    fn everyone_counts_once_per_column_and_pass() {
        let t = tally(&facts());
        let rural = category_index(UnitCategory::Rural);
        let school = category_index(UnitCategory::School);
        assert_eq!(
            t.organisations[rural],
            Counts {
                total: 2,
                passes: [2, 1],
                appraised: 1
            }
        );
        assert_eq!(
            t.organisations[school],
            Counts {
                total: 1,
                passes: [0, 0],
                appraised: 0
            }
        );
        // Members: the secretary and m1 (rural), the teacher (school); the mayor's unit has no
        // category, so the mayor is a leader but no member of the tables.
        assert_eq!(
            t.members[rural],
            Counts {
                total: 2,
                passes: [1, 1],
                appraised: 1
            }
        );
        assert_eq!(t.members[school].appraised, 1);
        let mayor = rank_index(LeaderRank::TownshipSecretary);
        let secretary = rank_index(LeaderRank::GrassrootsSecretary);
        assert_eq!(t.leaders[mayor].passes, [1, 1]);
        assert_eq!(t.leaders[secretary].passes, [1, 0]);
        assert_eq!(t.leaders[secretary].total, 1);
        let line = rollup_line("青山镇", &t);
        assert_eq!((line.leaders, line.organisations, line.members), (2, 3, 3));
        assert_eq!(line.organisations_reviewed, [2, 1]);
        assert_eq!(line.members_appraised, 2);
    }

    #[test]
    fn the_forms_have_the_official_blocks_and_rows() {
        let tables = tables(&tally(&facts()), Lang::Zh);
        let keys: Vec<&str> = tables.iter().map(|t| t.number.as_str()).collect();
        assert_eq!(keys, ["附件1", "附件2", "附件3"]);
        let leaders = &tables[0];
        assert_eq!(leaders.blocks.len(), 2);
        assert_eq!(leaders.blocks[0].categories[5], "乡镇、街道党工委书记");
        assert_eq!(leaders.blocks[1].categories[0], "市州委常委");
        let labels: Vec<(&str, Option<&str>)> = leaders.blocks[0]
            .rows
            .iter()
            .map(|r| (r.label.as_str(), r.sub.as_deref()))
            .collect();
        assert_eq!(
            labels,
            [
                ("总人数", None),
                ("参加点评人数", Some("第一次")),
                ("参加点评人数", Some("第二次"))
            ]
        );
        assert_eq!(leaders.notes.len(), 3);
        let organisations = &tables[1];
        assert_eq!(organisations.blocks[0].categories[0], "农村");
        assert_eq!(organisations.blocks[1].categories[0], "基层医疗卫生单位");
        assert_eq!(organisations.blocks[0].rows[0].values[0], 2);
        assert_eq!(
            organisations.blocks[0].rows[3].label,
            "已开展群众评议党组织数"
        );
        assert_eq!(tables[2].blocks[0].rows[3].label, "已被群众评议党员数");
    }
}
