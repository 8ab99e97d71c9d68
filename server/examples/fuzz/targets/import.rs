//! `import`: the bulk import of units and people (`domain::import`): a file's bytes through
//! `decode`, then `plan_units` and `plan_people` against a small area. Workbooks (`.xlsx`, made
//! with `rust_xlsxwriter`) are among the seeds: the import reads CSV only and must say so.
//!
//! Invariants: no panic; `decode` gives the text of a UTF-8 file, or refuses with "too large" /
//! "not CSV" (and refuses anything holding NUL); a plan only holds units under a known or
//! earlier-planned parent, with valid names, not twice; people only in known units, with valid
//! names, not twice; a refusal lists at least one error, each on a line of the file, with a
//! short message.

use std::collections::HashSet;

use mashangshuo::domain::import::{
    Area, KnownUnit, MAX_IMPORT_BYTES, decode, plan_people, plan_units,
};
use mashangshuo::domain::org;
use mashangshuo::domain::problem;
use rand::RngExt;
use rand::rngs::SmallRng;
use vocabulary::i18n::Lang;
use vocabulary::org::{RowError, UnitKind};

use super::{pick, random_text};
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "import",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 64 * 1024,
        check,
    }
}

const HEADERS: &[&str] = &[
    "上级",
    "上级单位",
    "parent",
    "名称",
    "单位名称",
    "姓名",
    "name",
    "层级",
    "kind",
    "类别",
    "category",
    "领导小组",
    "group",
    "单位",
    "所在单位",
    "unit",
    "职务",
    "post",
    "领导职务类别",
    "leader_rank",
    "NAME",
    " 名称 ",
];

const CELLS: &[&str] = &[
    "青山镇",
    "张家村",
    "青山镇/张家村",
    "青山镇／张家村",
    "/",
    "",
    "王家村",
    "village",
    "村",
    "支部",
    "branch",
    "township",
    "农村",
    "rural",
    "社区",
    "王小明",
    "村主任",
    "书记",
    "主要负责人",
    "=HYPERLINK(\"http://x\")",
    "+1",
    "-1",
    "@SUM(A1)",
    "\"\"",
    "a\"b",
];

const DICTIONARY: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"\"",
    b"\"\"",
    b"\r\n",
    b"\n",
    b"\r",
    b"\xEF\xBB\xBF",
    b"\0",
    "上级".as_bytes(),
    "名称".as_bytes(),
    "姓名".as_bytes(),
    "单位".as_bytes(),
    "职务".as_bytes(),
    "层级".as_bytes(),
    "领导职务类别".as_bytes(),
    "青山镇/".as_bytes(),
    "张家村".as_bytes(),
    b"\xc7\xe0\xc9\xbd\xd5\xf2", // 青山镇 in GBK
    b"\x81\x30\x81\x30",         // a GB 18030 four-byte sequence
    b"\x80",
    b"PK\x03\x04",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        "上级,名称,层级,类别,领导小组\n青山镇,王家村,,农村,\n青山镇/王家村,王家村党支部,支部,,\n,李家湾村,village,rural,李家湾村领导小组\n",
        "单位,姓名,职务,领导职务类别\n张家村,王小明,村主任,\n青山镇,李华,书记,主要负责人\n",
        "parent,name\r\n青山镇,\"a,b\"\r\n",
        "名称\n王家村\n",
        "",
        "上级,名称\n\"unterminated\n",
    ]
    .into_iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let (gbk, _, _) = encoding_rs::GBK.encode("单位,姓名\n张家村,王小明\n");
    seeds.push(gbk.into_owned());
    seeds.push(workbook());
    seeds
}

/// An `.xlsx` file with the right columns: the wrong format with the right content.
fn workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let cells = [["上级", "名称"], ["青山镇", "王家村"]];
    for (r, row) in cells.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let _ = sheet.write_string(r as u32, c as u16, *cell);
        }
    }
    book.save_to_buffer().unwrap_or_default()
}

/// A CSV file: a header from the known column names, rows from known and random cells, with
/// various separators, quotes and line ends; sometimes more rows than allowed.
fn generate(rng: &mut SmallRng) -> Vec<u8> {
    let sep = pick(rng, &[",", ",", ";", "\t"]);
    let end = pick(rng, &["\n", "\r\n", "\r"]);
    let columns = rng.random_range(1..6);
    let mut text = String::new();
    if rng.random_ratio(1, 10) {
        text.push('\u{feff}');
    }
    let header: Vec<&str> = (0..columns).map(|_| pick(rng, HEADERS)).collect();
    text.push_str(&header.join(sep));
    text.push_str(end);
    let rows = if rng.random_ratio(1, 100) {
        mashangshuo::domain::import::MAX_IMPORT_ROWS + rng.random_range(0..3)
    } else {
        rng.random_range(0..12)
    };
    for _ in 0..rows {
        let cells: Vec<String> = (0..rng.random_range(0..columns + 2))
            .map(|_| {
                let cell = if rng.random_ratio(1, 4) {
                    random_text(rng, 12)
                } else {
                    pick(rng, CELLS).to_string()
                };
                if rng.random_ratio(1, 5) {
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    cell
                }
            })
            .collect();
        text.push_str(&cells.join(sep));
        text.push_str(end);
    }
    if rng.random_ratio(1, 8) {
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        return gbk.into_owned();
    }
    text.into_bytes()
}

/// The area the files are planned against: a township with two villages.
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
        unit("v2", Some("t"), "李家湾村", UnitKind::Village),
    ])
    .unwrap_or_else(|| unreachable!("the area has units"))
}

fn check(bytes: &[u8]) -> Verdict {
    let text = match decode(bytes) {
        Ok(text) => {
            ensure(
                bytes.len() <= MAX_IMPORT_BYTES && !bytes.contains(&0),
                || "decode accepted a file that is too large or holds NUL".into(),
            )?;
            let unmarked = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            if let Ok(utf8) = std::str::from_utf8(unmarked) {
                ensure(text == utf8, || "decode changed a UTF-8 file".into())?;
            }
            text
        }
        Err(p) => {
            ensure(
                p == problem::IMPORT_TOO_LARGE || p == problem::IMPORT_NOT_CSV,
                || format!("decode refused with {p:?}"),
            )?;
            return Ok(signature(p.code));
        }
    };
    let lines = text.matches(['\n', '\r']).count() as u32 + 2;

    let mut area = area();
    let mut n = 0;
    let units = plan_units(
        &text,
        &mut area,
        || {
            n += 1;
            format!("new{n}")
        },
        Lang::Zh,
    );
    let units_outcome = match &units {
        Ok(plan) => {
            let mut known: HashSet<String> = ["t", "v1", "v2"].map(String::from).into();
            let mut names: HashSet<(String, String)> = HashSet::from([
                ("t".to_string(), "张家村".to_string()),
                ("t".to_string(), "李家湾村".to_string()),
            ]);
            for u in plan {
                ensure(known.contains(&u.parent_id), || {
                    format!(
                        "unit {:?} planned under unknown parent {:?}",
                        u.name, u.parent_id
                    )
                })?;
                ensure(org::unit_name(&u.name).as_ref() == Ok(&u.name), || {
                    format!("unit name {:?} is not a valid name", u.name)
                })?;
                ensure(names.insert((u.parent_id.clone(), u.name.clone())), || {
                    format!("unit {:?} planned twice under one parent", u.name)
                })?;
                ensure(known.insert(u.id.clone()), || "a unit id used twice".into())?;
            }
            plan.len()
        }
        Err(errors) => {
            check_errors(errors, lines)?;
            usize::MAX
        }
    };

    let people = plan_people(&text, &self::area(), &HashSet::new(), Lang::Zh);
    let people_outcome = match &people {
        Ok(plan) => {
            let mut seen = HashSet::new();
            for p in plan {
                ensure(["t", "v1", "v2"].contains(&p.unit_id.as_str()), || {
                    format!(
                        "person {:?} planned in unknown unit {:?}",
                        p.name, p.unit_id
                    )
                })?;
                ensure(org::person_name(&p.name).as_ref() == Ok(&p.name), || {
                    format!("person name {:?} is not a valid name", p.name)
                })?;
                ensure(org::post(&p.post).as_ref() == Ok(&p.post), || {
                    format!("post {:?} is not a valid post", p.post)
                })?;
                ensure(
                    seen.insert((p.unit_id.clone(), p.name.clone(), p.post.clone())),
                    || format!("person {:?} planned twice", p.name),
                )?;
            }
            plan.len()
        }
        Err(errors) => {
            check_errors(errors, lines)?;
            usize::MAX
        }
    };
    Ok(signature((
        units_outcome.min(3),
        people_outcome.min(3),
        units.as_ref().err().map(|e| e.len().min(3)),
        people.as_ref().err().map(|e| e.len().min(3)),
    )))
}

/// A refusal lists errors, each on a line of the file, with a short non-empty message.
fn check_errors(errors: &[RowError], lines: u32) -> Result<(), String> {
    ensure(!errors.is_empty(), || "a refusal without any error".into())?;
    for e in errors {
        ensure(e.line >= 1 && e.line <= lines, || {
            format!("an error on line {} of a file of {lines} lines", e.line)
        })?;
        ensure(
            !e.message.trim().is_empty() && e.message.chars().count() <= 200,
            || format!("error message of {} chars", e.message.chars().count()),
        )?;
    }
    Ok(())
}
