//! Bulk import of units and people from CSV (UTF-8 or GBK, as spreadsheets save it): every
//! row is checked against the admin's area first, and the plan is all-or-nothing.

use std::collections::{HashMap, HashSet};

use vocabulary::i18n::Lang;
use vocabulary::org::{LeaderRank, RowError, UnitCategory, UnitKind};

use super::org;
use super::problem::{self, Problem};

/// Largest file accepted, in bytes.
pub const MAX_IMPORT_BYTES: usize = 1024 * 1024;
/// Most data rows accepted.
pub const MAX_IMPORT_ROWS: usize = 5000;

/// Longest part of a cell quoted back in a row error, in characters.
const MAX_QUOTED_CHARS: usize = 40;

/// The file's text: UTF-8 (with or without a byte-order mark), otherwise GBK (GB 18030).
/// Anything else, or text holding NUL characters (a workbook, a picture), is not CSV.
pub fn decode(bytes: &[u8]) -> Result<String, Problem> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(problem::IMPORT_TOO_LARGE);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        return Err(problem::IMPORT_NOT_CSV);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    if had_errors {
        return Err(problem::IMPORT_NOT_CSV);
    }
    Ok(text.into_owned())
}

/// An error about the whole file, reported on its first line like a missing column.
pub fn file_error(p: &Problem, lang: Lang) -> RowError {
    row_error(1, p, "", lang)
}

/// A unit already in the admin's area.
#[derive(Clone, Debug)]
pub struct KnownUnit {
    /// Its id.
    pub id: String,
    /// Its parent's id (`None` for the area's top).
    pub parent_id: Option<String>,
    /// Its name.
    pub name: String,
    /// Its level.
    pub kind: UnitKind,
}

/// A unit to create.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedUnit {
    /// Its new id.
    pub id: String,
    /// Its parent's id.
    pub parent_id: String,
    /// Its name.
    pub name: String,
    /// Its level.
    pub kind: UnitKind,
    /// Its category.
    pub category: Option<UnitCategory>,
    /// A leading group to create for it, by name.
    pub group: Option<String>,
}

/// A person to create.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedPerson {
    /// Their unit's id.
    pub unit_id: String,
    /// Their name.
    pub name: String,
    /// Their post.
    pub post: String,
    /// Their leader rank for 附件1, if given.
    pub leader_rank: Option<LeaderRank>,
}

/// The admin's area as a name index: `/`-separated paths below the top resolve to units.
pub struct Area {
    root: String,
    units: HashMap<String, KnownUnit>,
    by_parent_and_name: HashMap<(String, String), String>,
}

impl Area {
    /// An index of `units`, the first of which is the area's top.
    pub fn new(units: Vec<KnownUnit>) -> Option<Area> {
        let root = units.first()?.id.clone();
        let mut area = Area {
            root,
            units: HashMap::new(),
            by_parent_and_name: HashMap::new(),
        };
        for unit in units {
            area.add(unit);
        }
        Some(area)
    }

    fn add(&mut self, unit: KnownUnit) {
        if let Some(parent) = &unit.parent_id {
            self.by_parent_and_name
                .insert((parent.clone(), unit.name.clone()), unit.id.clone());
        }
        self.units.insert(unit.id.clone(), unit);
    }

    /// The unit a path names: empty or the top's name is the top; otherwise names from the
    /// top down, with or without the top's own name first.
    pub fn resolve(&self, path: &str) -> Option<&KnownUnit> {
        let root = self.units.get(&self.root)?;
        let mut parts: Vec<&str> = path
            .split(['/', '／'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        if parts.first() == Some(&root.name.as_str()) {
            parts.remove(0);
        }
        let mut at = root;
        for part in parts {
            let id = self
                .by_parent_and_name
                .get(&(at.id.clone(), part.to_string()))?;
            at = self.units.get(id)?;
        }
        Some(at)
    }
}

/// Column names accepted for each field, Chinese first.
const PARENT: [&str; 3] = ["上级", "上级单位", "parent"];
const NAME: [&str; 4] = ["名称", "单位名称", "姓名", "name"];
const KIND: [&str; 2] = ["层级", "kind"];
const CATEGORY: [&str; 3] = ["类别", "单位类别", "category"];
const GROUP: [&str; 2] = ["领导小组", "group"];
const UNIT: [&str; 3] = ["单位", "所在单位", "unit"];
const POST: [&str; 2] = ["职务", "post"];
const RANK: [&str; 3] = ["领导职务类别", "领导类别", "leader_rank"];

/// A CSV file read into its header index and data rows (with their line numbers).
struct Table {
    columns: HashMap<String, usize>,
    rows: Vec<(u32, csv::StringRecord)>,
}

impl Table {
    /// Reads the header and the non-empty rows; refuses unreadable lines and too many rows.
    fn read(text: &str, lang: Lang) -> Result<Table, Vec<RowError>> {
        let unreadable = |line| vec![row_error(line, &problem::CSV_UNREADABLE, "", lang)];
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let columns = match reader.headers() {
            Ok(h) => h
                .iter()
                .enumerate()
                .map(|(i, name)| (name.trim().to_lowercase(), i))
                .collect(),
            Err(_) => return Err(unreadable(1)),
        };
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = u32::try_from(i + 2).unwrap_or(u32::MAX);
            match record {
                Ok(r) if r.iter().all(str::is_empty) => {}
                Ok(r) => rows.push((line, r)),
                Err(_) => return Err(unreadable(line)),
            }
        }
        if rows.len() > MAX_IMPORT_ROWS {
            return Err(vec![row_error(1, &problem::IMPORT_TOO_LARGE, "", lang)]);
        }
        Ok(Table { columns, rows })
    }

    fn index(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.columns.get(*n).copied())
    }
}

/// A row error from a problem, with the offending value (its start, when it is long).
fn row_error(line: u32, p: &Problem, value: &str, lang: Lang) -> RowError {
    let message = if value.is_empty() {
        p.message(lang).to_string()
    } else if value.chars().count() > MAX_QUOTED_CHARS {
        let start: String = value.chars().take(MAX_QUOTED_CHARS).collect();
        format!("{}(“{start}…”)", p.message(lang))
    } else {
        format!("{}(“{value}”)", p.message(lang))
    };
    RowError { line, message }
}

/// A row error for a missing column.
fn missing_column(name: &str, lang: Lang) -> RowError {
    RowError {
        line: 1,
        message: lang
            .t()
            .problems
            .import_missing_column
            .replace("{name}", name),
    }
}

/// Plans the units of a file with columns 上级, 名称 and optionally 层级, 类别, 领导小组; a
/// row may name a unit created by an earlier row as its parent.
pub fn plan_units(
    text: &str,
    area: &mut Area,
    mut new_id: impl FnMut() -> String,
    lang: Lang,
) -> Result<Vec<PlannedUnit>, Vec<RowError>> {
    let table = Table::read(text, lang)?;
    let (Some(parent_col), Some(name_col)) = (table.index(&PARENT), table.index(&NAME)) else {
        let missing = if table.index(&PARENT).is_none() {
            "上级"
        } else {
            "名称"
        };
        return Err(vec![missing_column(missing, lang)]);
    };
    let (kind_col, category_col, group_col) = (
        table.index(&KIND),
        table.index(&CATEGORY),
        table.index(&GROUP),
    );
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    for (line, row) in &table.rows {
        let field = |col: Option<usize>| col.and_then(|c| row.get(c)).unwrap_or("");
        let parent_path = field(Some(parent_col));
        let name = field(Some(name_col));
        let result = plan_unit_row(
            area,
            parent_path,
            name,
            field(kind_col),
            field(category_col),
            field(group_col),
        );
        match result {
            Ok((parent, name, kind, category, group)) => {
                let id = new_id();
                area.add(KnownUnit {
                    id: id.clone(),
                    parent_id: Some(parent.clone()),
                    name: name.clone(),
                    kind,
                });
                planned.push(PlannedUnit {
                    id,
                    parent_id: parent,
                    name,
                    kind,
                    category,
                    group,
                });
            }
            Err((p, value)) => errors.push(row_error(*line, &p, &value, lang)),
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(errors)
    }
}

type UnitRow = (
    String,
    String,
    UnitKind,
    Option<UnitCategory>,
    Option<String>,
);

fn plan_unit_row(
    area: &Area,
    parent_path: &str,
    name: &str,
    kind: &str,
    category: &str,
    group: &str,
) -> Result<UnitRow, (Problem, String)> {
    let with = |p: Problem, v: &str| (p, v.to_string());
    let parent = area
        .resolve(parent_path)
        .ok_or_else(|| with(problem::PARENT_NOT_FOUND, parent_path))?;
    let name = org::unit_name(name).map_err(|p| with(p, name))?;
    let kind = org::child_kind(parent.kind, kind).map_err(|p| with(p, kind))?;
    let category = org::category(Some(category)).map_err(|p| with(p, category))?;
    if area
        .by_parent_and_name
        .contains_key(&(parent.id.clone(), name.clone()))
    {
        return Err(with(problem::UNIT_EXISTS, &name));
    }
    let group = if group.trim().is_empty() {
        None
    } else {
        Some(org::group_name(group).map_err(|p| with(p, group))?)
    };
    Ok((parent.id.clone(), name, kind, category, group))
}

/// Plans the people of a file with columns 单位, 姓名 and optionally 职务 and 领导职务类别 (a
/// rank of 附件1, by its Chinese label or stable name); `existing` holds
/// the (unit id, name, post) of people already stored, which are not added twice.
pub fn plan_people(
    text: &str,
    area: &Area,
    existing: &HashSet<(String, String, String)>,
    lang: Lang,
) -> Result<Vec<PlannedPerson>, Vec<RowError>> {
    let table = Table::read(text, lang)?;
    let (Some(unit_col), Some(name_col)) = (table.index(&UNIT), table.index(&NAME)) else {
        let missing = if table.index(&UNIT).is_none() {
            "单位"
        } else {
            "姓名"
        };
        return Err(vec![missing_column(missing, lang)]);
    };
    let post_col = table.index(&POST);
    let rank_col = table.index(&RANK);
    let mut seen = existing.clone();
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    for (line, row) in &table.rows {
        let field = |col: Option<usize>| col.and_then(|c| row.get(c)).unwrap_or("");
        let (unit_path, name, post) = (
            field(Some(unit_col)),
            field(Some(name_col)),
            field(post_col),
        );
        let result = (|| {
            let unit = area
                .resolve(unit_path)
                .ok_or((problem::UNIT_NOT_FOUND, unit_path))?;
            let name = org::person_name(name).map_err(|p| (p, name))?;
            let post = org::post(post).map_err(|p| (p, post))?;
            let rank = field(rank_col);
            let leader_rank = match rank.trim() {
                "" => None,
                given => {
                    Some(LeaderRank::parse(given).ok_or((problem::LEADER_RANK_INVALID, rank))?)
                }
            };
            let key = (unit.id.clone(), name.clone(), post.clone());
            if !seen.insert(key) {
                return Err((problem::PERSON_EXISTS, row.get(name_col).unwrap_or("")));
            }
            Ok(PlannedPerson {
                unit_id: unit.id.clone(),
                name,
                post,
                leader_rank,
            })
        })();
        match result {
            Ok(p) => planned.push(p),
            Err((p, value)) => errors.push(row_error(*line, &p, value, lang)),
        }
    }
    if errors.is_empty() {
        Ok(planned)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area() -> Area {
        let unit = |id: &str, parent: Option<&str>, name: &str, kind| KnownUnit {
            id: id.into(),
            parent_id: parent.map(str::to_string),
            name: name.into(),
            kind,
        };
        Area::new(vec![
            unit("t", Some("county"), "青山镇", UnitKind::Township),
            unit("v1", Some("t"), "张家村", UnitKind::Village),
        ])
        .expect("area")
    }

    fn ids() -> impl FnMut() -> String {
        let mut n = 0;
        move || {
            n += 1;
            format!("new{n}")
        }
    }

    #[test]
    fn units_may_hang_under_units_of_earlier_rows() {
        let mut a = area();
        let text = "上级,名称,层级,类别,领导小组\n青山镇,王家村,,农村,\n青山镇/王家村,王家村党支部,支部,,\n,李家湾村,village,rural,李家湾村领导小组\n";
        let plan = plan_units(text, &mut a, ids(), Lang::Zh).expect("valid");
        assert_eq!(plan.len(), 3);
        assert_eq!(plan[0].parent_id, "t");
        assert_eq!(plan[0].category, Some(UnitCategory::Rural));
        assert_eq!(plan[1].parent_id, "new1");
        assert_eq!(plan[1].kind, UnitKind::Branch);
        assert_eq!(plan[2].group.as_deref(), Some("李家湾村领导小组"));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let mut a = area();
        let text = "上级,名称,类别\n王家村,某组,\n青山镇,张家村,\n青山镇,新村,工厂\n青山镇,,\n青山镇,好村,农村\n";
        let errors = plan_units(text, &mut a, ids(), Lang::Zh).expect_err("invalid");
        let lines: Vec<u32> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3, 4, 5]);
        assert!(errors[0].message.contains("王家村"), "{:?}", errors[0]);
        assert!(errors[1].message.contains("同名"), "{:?}", errors[1]);
        assert!(errors[2].message.contains("工厂"), "{:?}", errors[2]);
    }

    #[test]
    fn people_are_checked_against_the_area_and_each_other() {
        let a = area();
        let existing = HashSet::from([(
            "v1".to_string(),
            "王建国".to_string(),
            "村党支部书记".to_string(),
        )]);
        let text = "单位,姓名,职务\n张家村,李明,村委会主任\n张家村,王建国,村党支部书记\n石桥村,赵六,\n张家村,李明,村委会主任\n";
        let errors = plan_people(text, &a, &existing, Lang::Zh).expect_err("invalid");
        let lines: Vec<u32> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5]);
        let ok = plan_people(
            "unit,name,post\n青山镇/张家村,李明,主任\n",
            &a,
            &existing,
            Lang::En,
        )
        .expect("valid");
        assert_eq!(ok[0].unit_id, "v1");
        assert_eq!(ok[0].leader_rank, None);
        let ranked = plan_people(
            "单位,姓名,职务,领导职务类别\n张家村,陈红,村党支部书记,其它基层党组织书记\n",
            &a,
            &HashSet::new(),
            Lang::Zh,
        )
        .expect("valid");
        assert_eq!(ranked[0].leader_rank, Some(LeaderRank::GrassrootsSecretary));
        let errors = plan_people(
            "单位,姓名,领导职务类别\n张家村,陈红,村长\n",
            &a,
            &HashSet::new(),
            Lang::Zh,
        )
        .expect_err("unknown rank");
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn gbk_files_are_read() {
        let (bytes, _, _) = encoding_rs::GBK.encode("单位,姓名\n张家村,李明\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes).expect("gbk"), "单位,姓名\n张家村,李明\n");
        assert_eq!(decode(b"\xEF\xBB\xBFname\n").expect("bom"), "name\n");
    }

    #[test]
    fn workbooks_pictures_and_other_binary_files_are_not_csv() {
        for bytes in [
            &b"PK\x03\x04\x14\x00\x06\x00"[..],
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            b"\x89PNG\r\n\x1a\n\x00\x00",
            b"\xFF\xFE\xD5S\r\x00",
            b"name\x00,unit\n",
        ] {
            assert_eq!(decode(bytes), Err(problem::IMPORT_NOT_CSV), "{bytes:?}");
        }
        let error = file_error(&problem::IMPORT_NOT_CSV, Lang::Zh);
        assert_eq!(error.line, 1);
        assert!(error.message.contains("CSV"), "{error:?}");
        let too_large = vec![b'a'; MAX_IMPORT_BYTES + 1];
        assert_eq!(decode(&too_large), Err(problem::IMPORT_TOO_LARGE));
    }

    #[test]
    fn too_many_rows_and_long_cells_are_told_briefly() {
        let mut a = area();
        let mut text = String::from("上级,名称\n");
        for i in 0..=MAX_IMPORT_ROWS {
            text.push_str(&format!("青山镇,村{i}\n"));
        }
        let errors = plan_units(&text, &mut a, ids(), Lang::Zh).expect_err("too many");
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            problem::IMPORT_TOO_LARGE.message(Lang::Zh)
        );
        let long = "长".repeat(10_000);
        let errors = plan_units(
            &format!("上级,名称\n{long},某村\n"),
            &mut a,
            ids(),
            Lang::Zh,
        )
        .expect_err("no such parent");
        assert!(errors[0].message.chars().count() < 100, "{errors:?}");
        assert!(errors[0].message.contains("长长长…"), "{errors:?}");
    }

    #[test]
    fn a_missing_column_is_named() {
        let mut a = area();
        let errors = plan_units("名称\n王家村\n", &mut a, ids(), Lang::Zh).expect_err("no parent");
        assert!(errors[0].message.contains("上级"));
    }

    mod fuzz {
        //! Arbitrary bytes and CSV-ish text never panic the import, and whatever is wrong comes
        //! back as row errors a person can read, never as a fault.
        use super::*;
        use proptest::prelude::*;

        /// Column names the import knows, some it does not, and odd ones.
        const HEADERS: [&str; 16] = [
            "上级",
            "名称",
            "层级",
            "类别",
            "领导小组",
            "单位",
            "姓名",
            "职务",
            "领导职务类别",
            "parent",
            "name",
            "unit",
            "NAME",
            " 上级 ",
            "",
            "\"名称\"",
        ];
        /// Cells that reach every branch: known paths and names, levels, categories, ranks.
        const CELLS: [&str; 22] = [
            "",
            "青山镇",
            "张家村",
            "青山镇/张家村",
            "青山镇／张家村",
            "/",
            "／",
            "王家村",
            "王家村",
            "village",
            "branch",
            "支部",
            "农村",
            "工厂",
            "李明",
            "村委会主任",
            "其它基层党组织书记",
            "=1+1",
            "\"",
            "a\"b",
            " ",
            "\u{3000}",
        ];

        /// One cell: known words mostly, sometimes anything.
        fn cell() -> impl Strategy<Value = String> {
            prop_oneof![
                4 => proptest::sample::select(&CELLS[..]).prop_map(str::to_string),
                1 => "\\PC{0,12}",
                1 => any::<String>(),
            ]
        }

        /// A CSV-ish file: a header row and data rows of ragged length, joined with a
        /// separator and line ends that may or may not be what CSV expects.
        fn csvish() -> impl Strategy<Value = String> {
            let header = proptest::collection::vec(
                proptest::sample::select(&HEADERS[..]).prop_map(str::to_string),
                0..7,
            );
            let rows = proptest::collection::vec(proptest::collection::vec(cell(), 0..7), 0..12);
            let sep = proptest::sample::select(&[",", ",", ",", ";", "\t", "\",\""][..]);
            let end = proptest::sample::select(&["\n", "\r\n", "\r", "\n\n", "\""][..]);
            (header, rows, sep, end).prop_map(|(header, rows, sep, end)| {
                let mut text = header.join(sep);
                for row in rows {
                    text.push_str(end);
                    text.push_str(&row.join(sep));
                }
                text
            })
        }

        /// Plans both kinds from `text`; checks what comes back is a plan or readable errors.
        fn check(text: &str) -> Result<(), TestCaseError> {
            let lines = u32::try_from(text.split(['\n', '\r']).count() + 1).unwrap_or(u32::MAX);
            let readable = |errors: &[RowError]| -> Result<(), TestCaseError> {
                prop_assert!(!errors.is_empty());
                for e in errors {
                    prop_assert!(e.line >= 1 && e.line <= lines, "{:?}", e);
                    prop_assert!(!e.message.trim().is_empty());
                    prop_assert!(e.message.chars().count() < 200, "{:?}", e);
                }
                Ok(())
            };
            let mut a = area();
            match plan_units(text, &mut a, ids(), Lang::Zh) {
                Ok(plan) => {
                    for unit in &plan {
                        prop_assert_eq!(org::unit_name(&unit.name), Ok(unit.name.clone()));
                        prop_assert!(a.units.contains_key(&unit.parent_id));
                    }
                }
                Err(errors) => readable(&errors)?,
            }
            match plan_people(text, &area(), &HashSet::new(), Lang::En) {
                Ok(plan) => {
                    for person in &plan {
                        prop_assert_eq!(org::person_name(&person.name), Ok(person.name.clone()));
                        prop_assert_eq!(org::post(&person.post), Ok(person.post.clone()));
                    }
                }
                Err(errors) => readable(&errors)?,
            }
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn arbitrary_bytes_are_text_or_a_clear_refusal(
                bytes in proptest::collection::vec(any::<u8>(), 0..2048)
            ) {
                match decode(&bytes) {
                    Ok(text) => check(&text)?,
                    Err(p) => prop_assert!(
                        p == problem::IMPORT_NOT_CSV || p == problem::IMPORT_TOO_LARGE,
                        "{}", p.code
                    ),
                }
            }

            #[test]
            fn csv_ish_text_plans_or_reports_rows(text in csvish()) {
                check(&text)?;
                let (gbk, _, _) = encoding_rs::GBK.encode(&text);
                let decoded = decode(&gbk);
                prop_assert!(decoded.is_ok() || text.contains('\0'), "{:?}", decoded);
            }
        }
    }
}
