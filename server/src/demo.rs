//! Demo data: a county, a township with its leading group, three villages with a box each, a
//! reviewer and an auditor whose passwords are drawn afresh on every run.

use std::path::PathBuf;

use diesel::Connection;
use rand::RngExt;
use serde::Serialize;

use crate::db::boxes::OpinionBox;
use crate::db::staff::Staff;
use crate::db::units::{LeadingGroup, Unit};
use crate::db::{DbError, new_id};
use crate::domain::codes::new_box_code;
use crate::domain::roles::Role;
use crate::qr;
use crate::service::staff::box_url;
use crate::state::AppState;

const COUNTY: &str = "安城县";
const TOWNSHIP: &str = "青山镇";
const GROUP: &str = "青山镇创先争优活动领导小组";
const VILLAGES: [&str; 3] = ["张家村", "李家湾村", "石桥村"];
/// The demo reviewer's sign-in name.
pub const REVIEWER: &str = "qingshan";
/// The demo auditor's sign-in name.
pub const AUDITOR: &str = "anxian-audit";

/// What `mashangshuo demo` prints.
#[derive(Debug, Serialize)]
pub struct DemoOutput {
    /// The reviewer's credentials.
    pub reviewer: Credentials,
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
}

/// Seeds the demo only into a database without any unit; returns what to print, if it did.
pub async fn seed_if_empty(state: &AppState) -> Result<Option<DemoOutput>, DemoError> {
    if state.db(Unit::count).await? > 0 {
        return Ok(None);
    }
    run(state).await.map(Some)
}

/// Seeds the demo when absent, gives the reviewer a new password, writes the QR images.
pub async fn run(state: &AppState) -> Result<DemoOutput, DemoError> {
    let password = new_password();
    let password_hash = state.hasher.hash_password(&password).await?;
    let auditor_password = new_password();
    let auditor_hash = state.hasher.hash_password(&auditor_password).await?;
    let boxes = state
        .db(move |conn| {
            conn.transaction(|conn| {
                if Unit::root_named(conn, COUNTY)?.is_none() {
                    insert_demo(conn)?;
                }
                let reviewer = Staff::by_username(conn, REVIEWER)?.ok_or(DbError::NotFound)?;
                Staff::set_password(conn, &reviewer.id, &password_hash)?;
                match Staff::by_username(conn, AUDITOR)? {
                    Some(auditor) => Staff::set_password(conn, &auditor.id, &auditor_hash)?,
                    None => Staff::insert(
                        conn,
                        &Staff {
                            id: new_id(),
                            username: AUDITOR.to_string(),
                            display_name: "安城县审计员".to_string(),
                            password_hash: auditor_hash,
                            leading_group_id: None,
                            active: true,
                            role: Role::Auditor.as_str().to_string(),
                        },
                    )?,
                }
                OpinionBox::all(conn)
            })
        })
        .await?;
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
    Ok(DemoOutput {
        reviewer: Credentials {
            username: REVIEWER.to_string(),
            password,
        },
        auditor: Credentials {
            username: AUDITOR.to_string(),
            password: auditor_password,
        },
        boxes: listed,
    })
}

fn insert_demo(conn: &mut crate::db::DbConnection) -> Result<(), DbError> {
    let unit = |parent: Option<&str>, name: &str, kind: &str| Unit {
        id: new_id(),
        parent_id: parent.map(str::to_string),
        name: name.to_string(),
        kind: kind.to_string(),
    };
    let county = unit(None, COUNTY, "county");
    let township = unit(Some(&county.id), TOWNSHIP, "township");
    Unit::insert(conn, &county)?;
    Unit::insert(conn, &township)?;
    let group = LeadingGroup {
        id: new_id(),
        unit_id: township.id.clone(),
        name: GROUP.to_string(),
    };
    LeadingGroup::insert(conn, &group)?;
    for name in VILLAGES {
        let village = unit(Some(&township.id), name, "village");
        Unit::insert(conn, &village)?;
        OpinionBox::insert(
            conn,
            &OpinionBox {
                id: new_id(),
                code: new_box_code(),
                unit_id: village.id.clone(),
                name: format!("{name}意见箱"),
            },
        )?;
    }
    Staff::insert(
        conn,
        &Staff {
            id: new_id(),
            username: REVIEWER.to_string(),
            display_name: "青山镇领导小组审阅人".to_string(),
            // Replaced with the fresh password's hash in the same transaction.
            password_hash: String::new(),
            leading_group_id: Some(group.id),
            active: true,
            role: Role::Member.as_str().to_string(),
        },
    )
}

/// 16 characters from an alphabet without look-alikes (about 90 bits).
fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}
