//! The integration tests, one binary: each module is an area, and every test starts the real
//! server (in process on port 0, or as a child process) on a fresh database — a temporary SQLite
//! file, or a throwaway PostgreSQL database when `DATABASE_URL` is a PostgreSQL URL.
//!
//! One binary links the server once, instead of once per area. Run one area with
//! `cargo test -p mashangshuo --test it recusal::`.

mod common;

mod abuse_control;
mod account_confirmation;
mod api_contract;
mod api_routes;
mod appraisal;
mod arrival_order;
mod audit;
mod authorization;
mod backup;
mod bad_input;
mod batching;
mod commands;
mod concurrent_writes;
mod exports;
mod file_modes;
mod full_disk;
mod health;
mod held;
mod hostile_exports;
mod hostile_imports;
mod hostile_input;
mod isolation;
mod issues;
mod links;
mod named;
mod notices;
mod opinion_flow;
mod organisation;
mod page_authorization;
mod phones;
mod photos;
mod privacy;
mod qr_codes;
mod queue;
mod receipt_guessing;
mod recusal;
mod redaction;
mod resending;
mod retention;
mod routing;
mod search;
mod security_headers;
mod staff_auth;
mod statistics;
mod subjects;
mod thread;
mod tree_map;
mod two_servers;
mod workflow;
