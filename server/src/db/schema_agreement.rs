//! The two migration sets must build the same schema. Both are applied to fresh databases
//! and described in one backend-neutral shape (tables, columns with their types, nullability
//! and defaults, primary keys, unique constraints, indexes, foreign keys); any difference
//! fails the test. SQLite is always checked against itself; the comparison with PostgreSQL
//! runs wherever `DATABASE_URL` names one (CI's postgres step).

use std::collections::{BTreeMap, BTreeSet};

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Nullable, Text};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::MigrationHarness;
use rand::RngExt;

use super::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

/// A column's type, as both backends spell it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum ColumnType {
    Text,
    Integer,
    BigInt,
    Boolean,
    Bytes,
    /// A type with no counterpart in this list, kept as spelled so it shows in the report.
    Unknown(String),
}

impl ColumnType {
    fn parse(spelled: &str) -> ColumnType {
        match spelled.trim().to_ascii_lowercase().as_str() {
            "text" => ColumnType::Text,
            "integer" | "int" | "int4" => ColumnType::Integer,
            "bigint" | "int8" => ColumnType::BigInt,
            "boolean" | "bool" => ColumnType::Boolean,
            "blob" | "bytea" => ColumnType::Bytes,
            other => ColumnType::Unknown(other.to_string()),
        }
    }
}

/// One column.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Column {
    kind: ColumnType,
    not_null: bool,
    /// The default, without PostgreSQL's `::type` cast and with booleans lower-cased.
    default: Option<String>,
}

/// An index made by `CREATE INDEX` (unique or not), by its name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Index {
    table: String,
    columns: Vec<String>,
    unique: bool,
    partial: bool,
}

/// One table: columns by name, primary key, unique constraints and foreign keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
    unique: BTreeSet<Vec<String>>,
    /// (columns, referenced table, referenced columns).
    foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
}

/// A whole schema in the shape both backends are compared in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, Table>,
    indexes: BTreeMap<String, Index>,
}

/// A default as written, made comparable: `'member'::text` → `'member'`, `TRUE` → `true`.
fn normalise_default(default: &str) -> String {
    let bare = match default.rfind("::") {
        Some(at) if default.starts_with('\'') || default.starts_with('(') => &default[..at],
        _ => default,
    };
    let bare = bare.trim().trim_start_matches('(').trim_end_matches(')');
    match bare.to_ascii_lowercase().as_str() {
        "true" | "false" => bare.to_ascii_lowercase(),
        _ => bare.to_string(),
    }
}

/// Comma-separated names as a list (PostgreSQL's `string_agg`).
fn names(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every difference between two schemas, one line each, `left` and `right` named by the
/// backends they came from.
fn differences(left: &Schema, right: &Schema, names: (&str, &str)) -> Vec<String> {
    let mut out = Vec::new();
    let (l, r) = names;
    for (name, table) in &left.tables {
        let Some(other) = right.tables.get(name) else {
            out.push(format!("table {name}: only in {l}"));
            continue;
        };
        for (column, spec) in &table.columns {
            match other.columns.get(column) {
                None => out.push(format!("{name}.{column}: only in {l}")),
                Some(o) if o != spec => {
                    out.push(format!("{name}.{column}: {l} {spec:?}, {r} {o:?}"));
                }
                Some(_) => {}
            }
        }
        for column in other.columns.keys() {
            if !table.columns.contains_key(column) {
                out.push(format!("{name}.{column}: only in {r}"));
            }
        }
        if table.primary_key != other.primary_key {
            out.push(format!(
                "{name} primary key: {l} {:?}, {r} {:?}",
                table.primary_key, other.primary_key
            ));
        }
        for unique in table.unique.symmetric_difference(&other.unique) {
            let side = if table.unique.contains(unique) { l } else { r };
            out.push(format!("{name} unique {unique:?}: only in {side}"));
        }
        for key in table.foreign_keys.symmetric_difference(&other.foreign_keys) {
            let side = if table.foreign_keys.contains(key) {
                l
            } else {
                r
            };
            out.push(format!("{name} foreign key {key:?}: only in {side}"));
        }
    }
    for name in right.tables.keys() {
        if !left.tables.contains_key(name) {
            out.push(format!("table {name}: only in {r}"));
        }
    }
    for (name, index) in &left.indexes {
        match right.indexes.get(name) {
            None => out.push(format!("index {name}: only in {l}")),
            Some(o) if o != index => out.push(format!("index {name}: {l} {index:?}, {r} {o:?}")),
            Some(_) => {}
        }
    }
    for name in right.indexes.keys() {
        if !left.indexes.contains_key(name) {
            out.push(format!("index {name}: only in {r}"));
        }
    }
    out
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    default_value: Option<String>,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct SqliteIndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Text)]
    origin: String,
    #[diesel(sql_type = Bool)]
    partial: bool,
}

#[derive(QueryableByName)]
struct SqliteForeignKeyRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Text)]
    from_column: String,
    #[diesel(sql_type = Text)]
    to_column: String,
}

/// Describes a migrated SQLite database.
fn describe_sqlite(conn: &mut SqliteConnection) -> QueryResult<Schema> {
    let mut schema = Schema::default();
    let tables: Vec<NameRow> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load(conn)?;
    for NameRow { name: table } in tables {
        let mut described = Table::default();
        let columns: Vec<SqliteColumnRow> = diesel::sql_query(
            "SELECT name, type AS kind, \"notnull\" AS not_null, dflt_value AS default_value, pk \
             FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind::<Text, _>(&table)
        .load(conn)?;
        let mut key: Vec<(i32, String)> = Vec::new();
        for c in columns {
            if c.pk > 0 {
                key.push((c.pk, c.name.clone()));
            }
            described.columns.insert(
                c.name,
                Column {
                    kind: ColumnType::parse(&c.kind),
                    not_null: c.not_null || c.pk > 0,
                    default: c.default_value.as_deref().map(normalise_default),
                },
            );
        }
        key.sort();
        described.primary_key = key.into_iter().map(|(_, name)| name).collect();
        let indexes: Vec<SqliteIndexRow> = diesel::sql_query(
            "SELECT name, \"unique\" AS is_unique, origin, partial FROM pragma_index_list(?)",
        )
        .bind::<Text, _>(&table)
        .load(conn)?;
        for index in indexes {
            let columns: Vec<NameRow> =
                diesel::sql_query("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                    .bind::<Text, _>(&index.name)
                    .load(conn)?;
            let columns: Vec<String> = columns.into_iter().map(|c| c.name).collect();
            match index.origin.as_str() {
                "u" => {
                    described.unique.insert(columns);
                }
                "pk" => {}
                _ => {
                    schema.indexes.insert(
                        index.name,
                        Index {
                            table: table.clone(),
                            columns,
                            unique: index.is_unique,
                            partial: index.partial,
                        },
                    );
                }
            }
        }
        let keys: Vec<SqliteForeignKeyRow> = diesel::sql_query(
            "SELECT id, \"table\" AS ref_table, \"from\" AS from_column, \"to\" AS to_column \
             FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind::<Text, _>(&table)
        .load(conn)?;
        let mut grouped: BTreeMap<i32, (Vec<String>, String, Vec<String>)> = BTreeMap::new();
        for k in keys {
            let entry = grouped
                .entry(k.id)
                .or_insert_with(|| (Vec::new(), k.ref_table.clone(), Vec::new()));
            entry.0.push(k.from_column);
            entry.2.push(k.to_column);
        }
        described.foreign_keys = grouped.into_values().collect();
        schema.tables.insert(table, described);
    }
    Ok(schema)
}

#[derive(QueryableByName)]
struct PgColumnRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
    #[diesel(sql_type = Nullable<Text>)]
    default_value: Option<String>,
}

#[derive(QueryableByName)]
struct PgIndexRow {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Bool)]
    is_unique: bool,
    #[diesel(sql_type = Bool)]
    is_primary: bool,
    #[diesel(sql_type = Bool)]
    partial: bool,
    /// Whether a constraint (`UNIQUE`, `PRIMARY KEY`) made the index.
    #[diesel(sql_type = Bool)]
    constraint: bool,
    #[diesel(sql_type = Text)]
    columns: String,
}

#[derive(QueryableByName)]
struct PgForeignKeyRow {
    #[diesel(sql_type = Text)]
    columns: String,
    #[diesel(sql_type = Text)]
    ref_table: String,
    #[diesel(sql_type = Text)]
    ref_columns: String,
}

/// Describes a migrated PostgreSQL database (its current schema).
fn describe_postgres(conn: &mut PgConnection) -> QueryResult<Schema> {
    let mut schema = Schema::default();
    let tables: Vec<NameRow> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '__diesel_schema_migrations' ORDER BY 1",
    )
    .load(conn)?;
    // The names of an index's or constraint's key columns, in key order.
    let key_names = |relation: &str, keys: &str| {
        format!(
            "(SELECT coalesce(string_agg(a.attname::text, ',' ORDER BY k.ord), '') \
             FROM unnest({keys}) WITH ORDINALITY AS k(attnum, ord) \
             JOIN pg_attribute a ON a.attrelid = {relation} AND a.attnum = k.attnum)"
        )
    };
    for NameRow { name: table } in tables {
        let mut described = Table::default();
        let columns: Vec<PgColumnRow> = diesel::sql_query(
            "SELECT column_name::text AS name, data_type::text AS kind, \
             (is_nullable = 'NO') AS not_null, column_default::text AS default_value \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
        )
        .bind::<Text, _>(&table)
        .load(conn)?;
        for c in columns {
            described.columns.insert(
                c.name,
                Column {
                    kind: ColumnType::parse(&c.kind),
                    not_null: c.not_null,
                    default: c.default_value.as_deref().map(normalise_default),
                },
            );
        }
        let indexes: Vec<PgIndexRow> = diesel::sql_query(format!(
            "SELECT ic.relname::text AS name, i.indisunique AS is_unique, \
             i.indisprimary AS is_primary, (i.indpred IS NOT NULL) AS partial, \
             EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) AS constraint, \
             {} AS columns \
             FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
             WHERE i.indrelid = $1::regclass",
            key_names("i.indrelid", "i.indkey::int2[]")
        ))
        .bind::<Text, _>(&table)
        .load(conn)?;
        for index in indexes {
            let columns = names(&index.columns);
            if index.is_primary {
                described.primary_key = columns;
            } else if index.constraint {
                described.unique.insert(columns);
            } else {
                schema.indexes.insert(
                    index.name,
                    Index {
                        table: table.clone(),
                        columns,
                        unique: index.is_unique,
                        partial: index.partial,
                    },
                );
            }
        }
        let keys: Vec<PgForeignKeyRow> = diesel::sql_query(format!(
            "SELECT {} AS columns, c.confrelid::regclass::text AS ref_table, {} AS ref_columns \
             FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype = 'f'",
            key_names("c.conrelid", "c.conkey"),
            key_names("c.confrelid", "c.confkey")
        ))
        .bind::<Text, _>(&table)
        .load(conn)?;
        described.foreign_keys = keys
            .into_iter()
            .map(|k| (names(&k.columns), k.ref_table, names(&k.ref_columns)))
            .collect();
        schema.tables.insert(table, described);
    }
    Ok(schema)
}

/// The schema the SQLite migrations build on a fresh in-memory database.
fn sqlite_schema() -> Schema {
    let mut conn = SqliteConnection::establish(":memory:").expect("in-memory SQLite");
    conn.run_pending_migrations(SQLITE_MIGRATIONS)
        .expect("SQLite migrations apply");
    describe_sqlite(&mut conn).expect("describe SQLite")
}

/// `url` with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// The schema the PostgreSQL migrations build on a fresh database next to `admin_url`'s,
/// dropped afterwards.
fn postgres_schema(admin_url: &str) -> Schema {
    let name = format!("mss_schema_{:016x}", rand::rng().random::<u64>());
    let mut admin = PgConnection::establish(admin_url).expect("connect to PostgreSQL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create a database");
    let described = {
        let mut conn =
            PgConnection::establish(&with_database(admin_url, &name)).expect("connect to it");
        conn.run_pending_migrations(POSTGRES_MIGRATIONS)
            .expect("PostgreSQL migrations apply");
        describe_postgres(&mut conn)
    };
    let dropped = diesel::sql_query(format!("DROP DATABASE {name}")).execute(&mut admin);
    let described = described.expect("describe PostgreSQL");
    dropped.expect("drop the database");
    described
}

#[test]
fn the_sqlite_schema_is_described_whole() {
    let schema = sqlite_schema();
    let opinions = &schema.tables["opinions"];
    assert_eq!(opinions.primary_key, vec!["id".to_string()]);
    assert_eq!(opinions.columns["held"].kind, ColumnType::Boolean);
    assert_eq!(opinions.columns["held"].default.as_deref(), Some("false"));
    assert!(opinions.columns["held"].not_null);
    assert!(
        opinions
            .foreign_keys
            .iter()
            .any(|(_, to, _)| to == "leading_groups")
    );
    assert!(schema.indexes.values().any(|i| i.table == "opinions"));
    assert!(schema.tables.len() > 20, "{:?}", schema.tables.keys());
}

#[test]
fn a_drifted_column_index_or_key_is_reported() {
    let schema = sqlite_schema();
    let mut drifted = schema.clone();
    let opinions = drifted.tables.get_mut("opinions").expect("opinions");
    opinions.columns.get_mut("held").expect("held").default = Some("true".into());
    opinions.columns.remove("mask_counts");
    opinions.foreign_keys.clear();
    let (name, index) = drifted.indexes.pop_first().expect("an index");
    drifted.indexes.insert(
        name.clone(),
        Index {
            unique: !index.unique,
            ..index
        },
    );
    let found = differences(&schema, &drifted, ("sqlite", "drifted"));
    assert!(
        found.iter().any(|d| d.starts_with("opinions.held:")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|d| d == "opinions.mask_counts: only in sqlite")
    );
    assert!(found.iter().any(|d| d.starts_with("opinions foreign key")));
    assert!(
        found
            .iter()
            .any(|d| d.starts_with(&format!("index {name}:")))
    );
    assert!(differences(&schema, &schema, ("sqlite", "sqlite")).is_empty());
}

#[test]
fn both_migration_sets_build_the_same_schema() {
    let sqlite = sqlite_schema();
    let Some(admin_url) = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres"))
    else {
        // Without PostgreSQL here, CI's postgres step (DATABASE_URL set) runs the comparison.
        return;
    };
    let postgres = postgres_schema(&admin_url);
    let found = differences(&sqlite, &postgres, ("SQLite", "PostgreSQL"));
    assert!(
        found.is_empty(),
        "the migration sets disagree:\n{}",
        found.join("\n")
    );
}
