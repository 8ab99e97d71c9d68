//! Benchmark: the reviewer's inbox with 100,000 opinions in one leading group.
//!
//! `cargo run --release -p mashangshuo --example inbox_bench` (a temporary SQLite file), or with
//! `DATABASE_URL=postgres://…` an existing, empty PostgreSQL database. Prints timings; it asserts
//! nothing.

use std::time::{Duration, Instant};

use mashangshuo::db::boxes::OpinionBox;
use mashangshuo::db::opinions::Opinion;
use mashangshuo::db::units::{LeadingGroup, Unit};
use mashangshuo::db::visibility::Scope;
use mashangshuo::db::{self, DbConnection, DbError, new_id};
use mashangshuo::domain::queue::{PAGE_SIZE, QueueFilter};
use mashangshuo::domain::search::parse_query;
use mashangshuo::similar::{self, Profile, SUGGEST_AT};
use rand::RngExt;
use vocabulary::model::{Category, OpinionState};
use vocabulary::org::{UnitCategory, UnitKind};

const OPINIONS: usize = 100_000;
const RUNS: usize = 20;
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let url = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.db").display()));
    let pool = db::connect(&url, 2)?;
    db::migrate(&pool)?;
    let mut conn = pool.get()?;
    let started = Instant::now();
    let scope = seed(&mut conn)?;
    println!(
        "seeded {OPINIONS} opinions in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Planner statistics, as PostgreSQL's autovacuum gathers them in production. SQLite has
    // none there (nothing runs ANALYZE), so it is measured without.
    if let DbConnection::Postgresql(pg) = &mut *conn {
        use diesel::connection::SimpleConnection;
        pg.batch_execute("ANALYZE")?;
    }

    let today = mashangshuo::domain::day::today();
    let first_page = QueueFilter::default();
    let page = Opinion::queue(&mut conn, &scope, &first_page, &today, PAGE_SIZE + 1)?;
    let last = page
        .last()
        .map(|r| r.opinion.clone())
        .ok_or("empty queue")?;
    let cases: Vec<(&str, QueueFilter)> = vec![
        ("first page", first_page),
        (
            "next page (keyset)",
            QueueFilter {
                after: Some((
                    last.released_on.map(String::from).unwrap_or_default(),
                    last.id.into(),
                )),
                ..QueueFilter::default()
            },
        ),
        (
            "state = rectifying",
            QueueFilter {
                state: Some(vocabulary::model::OpinionState::Rectifying),
                ..QueueFilter::default()
            },
        ),
        (
            "overdue",
            QueueFilter {
                overdue: true,
                ..QueueFilter::default()
            },
        ),
        (
            "text, common word",
            QueueFilter {
                text: parse_query("路灯"),
                ..QueueFilter::default()
            },
        ),
        (
            "text, rare word",
            QueueFilter {
                text: parse_query("第99999条"),
                ..QueueFilter::default()
            },
        ),
    ];
    for (name, filter) in cases {
        let timing =
            time(|| Opinion::queue(&mut conn, &scope, &filter, &today, PAGE_SIZE + 1).map(|_| ()))?;
        report(name, timing);
    }
    let timing = time(|| Opinion::state_counts(&mut conn, &scope).map(|_| ()))?;
    report("counts per state", timing);

    // The suggestions page: the newest 300 unmerged opinions read, profiled and grouped (the
    // dictionaries are built once per process, before timing).
    Profile::of("预热");
    let timing = time(|| {
        let rows = Opinion::unmerged(&mut conn, &scope, 300)?;
        let profiles: Vec<Profile> = rows.iter().map(|r| Profile::of(&r.opinion.body)).collect();
        std::hint::black_box(similar::groups(&profiles, SUGGEST_AT));
        Ok(())
    })?;
    report("similar groups of 300", timing);
    Ok(())
}

/// Median and slowest of RUNS runs.
fn time(mut job: impl FnMut() -> Result<(), DbError>) -> Result<(Duration, Duration), DbError> {
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let started = Instant::now();
        job()?;
        runs.push(started.elapsed());
    }
    runs.sort();
    Ok((runs[RUNS / 2], runs[RUNS - 1]))
}

fn report(name: &str, (median, slowest): (Duration, Duration)) {
    println!(
        "{name:<24} median {:>8.2} ms   slowest {:>8.2} ms",
        median.as_secs_f64() * 1000.0,
        slowest.as_secs_f64() * 1000.0
    );
}

/// A township with a group, 20 village boxes and OPINIONS released opinions over a year.
fn seed(conn: &mut DbConnection) -> Result<Scope, DbError> {
    use diesel::Connection;
    conn.transaction(|conn| {
        let township = Unit {
            id: new_id().into(),
            parent_id: None,
            name: "基准镇".into(),
            kind: UnitKind::Township,
            category: None,
        };
        Unit::insert(conn, &township)?;
        let group = LeadingGroup {
            id: new_id().into(),
            unit_id: township.id.clone(),
            name: "基准镇领导小组".into(),
            head_person_id: None,
        };
        LeadingGroup::insert(conn, &group)?;
        let mut boxes = Vec::new();
        for i in 0..20 {
            let village = Unit {
                id: new_id().into(),
                parent_id: Some(township.id.clone()),
                name: format!("第{i}村"),
                kind: UnitKind::Village,
                category: Some(UnitCategory::Rural),
            };
            Unit::insert(conn, &village)?;
            let b = OpinionBox {
                id: new_id().into(),
                code: mashangshuo::domain::codes::new_box_code(),
                unit_id: village.id,
                name: format!("第{i}村意见箱"),
            };
            OpinionBox::insert(conn, &b)?;
            boxes.push(b.id);
        }
        let mut rng = rand::rng();
        let now = mashangshuo::domain::day::unix_now();
        for i in 0..OPINIONS {
            let released = now - rng.random_range(0..365) * 86_400;
            let day = mashangshuo::domain::day::day_of_unix(released);
            let opinion = Opinion {
                id: new_id().into(),
                box_id: boxes[i % boxes.len()].clone(),
                leading_group_id: group.id.clone(),
                category: Category::ALL[rng.random_range(0..Category::ALL.len())],
                body: format!("第{i}条意见:村里的路灯坏了很久,希望尽快修好。"),
                state: OpinionState::ALL[rng.random_range(0..OpinionState::ALL.len())],
                received_on: day.clone(),
                receipt_hash: new_id(),
                // A tag no receipt code has (tags are 32-bit, never negative).
                receipt_tag: Some(-1),
                reply: None,
                replied_on: None,
                mask_counts: "{}".into(),
                contact_name: None,
                contact_phone: None,
                released_on: Some(day),
                release_by: None,
                closed_on: None,
                due_on: Some(mashangshuo::domain::day::day_of_unix(
                    released + 15 * 86_400,
                )),
                target_person_id: None,
                target_unit_id: None,
                escalation: None,
                issue_id: None,
            };
            Opinion::insert(conn, &opinion, &[])?;
        }
        // A reviewer linked to a person, so the queries carry the target check too.
        Ok(Scope {
            group_id: group.id,
            staff_id: new_id().into(),
            person_id: Some(new_id().into()),
        })
    })
}
