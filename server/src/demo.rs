//! Demo data: a county with its leading group and a discipline group that receives every
//! 违反组织原则 opinion, a township with its leading group, three villages with their cadres and
//! a box each, and four accounts (township reviewer, county reviewer, county admin, auditor) whose
//! passwords are drawn afresh on every run.

use std::path::PathBuf;
use vocabulary::model::{AccountId, Category, PersonId, UnitId};

use serde::Serialize;
use vocabulary::org::{LeaderRank, UnitCategory, UnitKind};

use crate::db::boxes::OpinionBox;
use crate::db::people::Person;
use crate::db::routing::RoutingRule;
use crate::db::staff::Staff;
use crate::db::units::{LeadingGroup, Unit};
use crate::db::{DbConnection, DbError, new_id};
use crate::domain::codes::{new_box_code, new_password};
use crate::domain::day::today;
use crate::domain::roles::Role;
use crate::qr;
use crate::service::boxes::box_url;
use crate::state::AppState;

const COUNTY: &str = "安城县";
const COUNTY_GROUP: &str = "安城县创先争优活动领导小组";
const DISCIPLINE_UNIT: &str = "安城县纪委监委";
const DISCIPLINE_GROUP: &str = "安城县纪检监察工作组";
const TOWNSHIP: &str = "青山镇";
const GROUP: &str = "青山镇创先争优活动领导小组";
/// Each village with its branch secretary and committee head.
const VILLAGES: [(&str, &str, &str); 3] = [
    ("张家村", "张德明", "李秀英"),
    ("李家湾村", "李国强", "王春梅"),
    ("石桥村", "石志刚", "陈玉兰"),
];
/// The demo reviewer's sign-in name (a member of the township's leading group).
pub const REVIEWER: &str = "qingshan";
/// The demo county reviewer's sign-in name (receives escalated opinions).
pub const COUNTY_REVIEWER: &str = "anxian";
/// The demo admin's sign-in name (maintains the county's organisation).
pub const ADMIN: &str = "anxian-admin";
/// The demo auditor's sign-in name.
pub const AUDITOR: &str = "anxian-audit";

/// What `mashangshuo demo` prints.
#[derive(Debug, Serialize)]
pub struct DemoOutput {
    /// The township reviewer's credentials.
    pub reviewer: Credentials,
    /// The county reviewer's credentials.
    pub county_reviewer: Credentials,
    /// The admin's credentials (units, people, accounts, routing, boxes).
    pub admin: Credentials,
    /// The auditor's credentials (reads the audit trail only).
    pub auditor: Credentials,
    /// Every demo box.
    pub boxes: Vec<DemoBox>,
}

/// A username and its fresh password.
#[derive(Debug, Serialize)]
pub struct Credentials {
    /// Sign-in name.
    pub username: String,
    /// The generated password (only its hash is stored).
    pub password: String,
}

/// A demo box: name, public URL and the QR image written for it.
#[derive(Debug, Serialize)]
pub struct DemoBox {
    /// Box name.
    pub name: String,
    /// Public URL (what the QR encodes).
    pub url: String,
    /// Path of the PNG QR code.
    pub qr_png: String,
}

/// Failures while seeding.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The database refused.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Hashing the password failed.
    #[error(transparent)]
    Hash(#[from] crate::crypto::HashError),
    /// Drawing a QR code failed.
    #[error(transparent)]
    Qr(#[from] qr::QrError),
    /// Writing a QR image failed.
    #[error("cannot write {0}: {1}")]
    Io(PathBuf, std::io::Error),
    /// The database holds the demo of an older version, without some of today's accounts.
    #[error(
        "the database holds the demo of an older version (account {0} is missing); \
         move the data folder aside and run `mashangshuo demo` again"
    )]
    Outdated(&'static str),
}

/// Seeds the demo only into a database without any unit; returns what to print, if it did.
pub async fn seed_if_empty(state: &AppState) -> Result<Option<DemoOutput>, DemoError> {
    if state.db(Unit::count).await? > 0 {
        return Ok(None);
    }
    run(state).await.map(Some)
}

/// Seeds the demo when absent, gives its accounts new passwords, writes the QR images.
pub async fn run(state: &AppState) -> Result<DemoOutput, DemoError> {
    let mut fresh = Vec::new();
    for username in [REVIEWER, COUNTY_REVIEWER, ADMIN, AUDITOR] {
        let password = new_password();
        let hash = state.hasher.hash_password(&password).await?;
        fresh.push((username, password, hash));
    }
    let hashes: Vec<(&'static str, String)> =
        fresh.iter().map(|(u, _, h)| (*u, h.clone())).collect();
    let boxes = state
        .db(move |conn| {
            conn.write_transaction(|conn| {
                if Unit::root_named(conn, COUNTY)?.is_none() {
                    insert_demo(conn)?;
                }
                for (username, hash) in &hashes {
                    let Some(account) = Staff::by_username(conn, username)? else {
                        return Ok(Err(DemoError::Outdated(username)));
                    };
                    Staff::set_password(conn, &account.id, hash)?;
                }
                OpinionBox::all(conn).map(Ok)
            })
        })
        .await??;
    let qr_dir = state.config.data_dir.join("qr");
    std::fs::create_dir_all(&qr_dir).map_err(|e| DemoError::Io(qr_dir.clone(), e))?;
    let mut listed = Vec::new();
    for b in boxes {
        let url = box_url(&state.config.public_url, &b.code);
        let path = qr_dir.join(format!("{}.png", b.code));
        std::fs::write(&path, qr::png(&url, 1200)?).map_err(|e| DemoError::Io(path.clone(), e))?;
        listed.push(DemoBox {
            name: b.name,
            url,
            qr_png: path.display().to_string(),
        });
    }
    let mut credentials = fresh
        .into_iter()
        .map(|(username, password, _)| Credentials {
            username: username.to_string(),
            password,
        });
    let mut next = || credentials.next().ok_or(DemoError::Db(DbError::NotFound));
    Ok(DemoOutput {
        reviewer: next()?,
        county_reviewer: next()?,
        admin: next()?,
        auditor: next()?,
        boxes: listed,
    })
}

fn insert_demo(conn: &mut DbConnection) -> Result<(), DbError> {
    let county = add_unit(conn, None, COUNTY, UnitKind::County, None)?;
    let county_head = add_person(
        conn,
        &county,
        ("陈志远", "县委副书记"),
        Some(LeaderRank::CountyCommittee),
    )?;
    let county_group = add_group(conn, &county, COUNTY_GROUP, Some(&county_head))?;
    // The county reviewer is a person of the directory too, so recusal follows them.
    let county_reviewer = add_person(conn, &county, ("孙立新", "县委办督查员"), None)?;
    let discipline = add_unit(
        conn,
        Some(&county),
        DISCIPLINE_UNIT,
        UnitKind::Township,
        Some(UnitCategory::Government),
    )?;
    let discipline_head = add_person(
        conn,
        &discipline,
        ("周立平", "县纪委副书记"),
        Some(LeaderRank::CountyCommittee),
    )?;
    let discipline_group = add_group(conn, &discipline, DISCIPLINE_GROUP, Some(&discipline_head))?;
    RoutingRule::save(
        conn,
        &RoutingRule {
            unit_id: county.clone().into(),
            category: Category::Discipline,
            leading_group_id: discipline_group.into(),
        },
    )?;
    let township = add_unit(conn, Some(&county), TOWNSHIP, UnitKind::Township, None)?;
    let township_head = add_person(
        conn,
        &township,
        ("刘国栋", "镇党委书记"),
        Some(LeaderRank::TownshipSecretary),
    )?;
    let reviewer_person = add_person(
        conn,
        &township,
        ("赵敏", "镇纪委书记"),
        Some(LeaderRank::TownshipCommittee),
    )?;
    let group = add_group(conn, &township, GROUP, Some(&township_head))?;
    for (name, secretary, director) in VILLAGES {
        let village = add_unit(
            conn,
            Some(&township),
            name,
            UnitKind::Village,
            Some(UnitCategory::Rural),
        )?;
        add_person(
            conn,
            &village,
            (secretary, "村党支部书记"),
            Some(LeaderRank::GrassrootsSecretary),
        )?;
        add_person(conn, &village, (director, "村委会主任"), None)?;
        OpinionBox::insert(
            conn,
            &OpinionBox {
                id: new_id().into(),
                code: new_box_code(),
                unit_id: village.into(),
                name: format!("{name}意见箱"),
            },
        )?;
    }
    let accounts = [
        (
            REVIEWER,
            "青山镇领导小组审阅人",
            Role::Member,
            &group,
            Some(reviewer_person),
        ),
        (
            COUNTY_REVIEWER,
            "安城县领导小组审阅人",
            Role::Member,
            &county_group,
            Some(county_reviewer),
        ),
        (ADMIN, "安城县系统管理员", Role::Admin, &county_group, None),
        (AUDITOR, "安城县审计员", Role::Auditor, &county_group, None),
    ];
    for (username, display, role, group, person) in accounts {
        let id = AccountId::from(new_id());
        Staff::insert(
            conn,
            &Staff {
                id: id.clone(),
                username: username.to_string(),
                display_name: display.to_string(),
                // Replaced with the fresh password's hash in the same transaction.
                password_hash: String::new(),
                leading_group_id: Some(group.clone().into()),
                active: true,
                role,
                person_id: person.map(PersonId::from),
            },
        )?;
        if role == Role::Member {
            // Each demo group's first member: nobody else could vouch for them.
            Staff::confirm(conn, &id, None, &today())?;
        }
    }
    Ok(())
}

fn add_unit(
    conn: &mut DbConnection,
    parent: Option<&str>,
    name: &str,
    kind: UnitKind,
    category: Option<UnitCategory>,
) -> Result<String, DbError> {
    let unit = Unit {
        id: new_id().into(),
        parent_id: parent.map(UnitId::from),
        name: name.to_string(),
        kind,
        category,
    };
    Unit::insert(conn, &unit)?;
    Ok(unit.id.to_string())
}

fn add_person(
    conn: &mut DbConnection,
    unit: &str,
    (name, post): (&str, &str),
    rank: Option<LeaderRank>,
) -> Result<String, DbError> {
    let person = Person {
        id: new_id().into(),
        unit_id: unit.to_string().into(),
        name: name.to_string(),
        post: post.to_string(),
        active: true,
        leader_rank: rank,
    };
    Person::insert(conn, &person)?;
    Ok(person.id.to_string())
}

fn add_group(
    conn: &mut DbConnection,
    unit: &str,
    name: &str,
    head: Option<&str>,
) -> Result<String, DbError> {
    let group = LeadingGroup {
        id: new_id().into(),
        unit_id: unit.to_string().into(),
        name: name.to_string(),
        head_person_id: head.map(PersonId::from),
    };
    LeadingGroup::insert(conn, &group)?;
    Ok(group.id.to_string())
}
