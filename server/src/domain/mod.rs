//! Domain rules in plain functions: codes, validation, days, routing. No HTTP, no SQL.

pub mod appraisal;
pub mod appraisal_form;
pub mod appraisal_results;
pub mod audit;
pub mod burst;
pub mod client_addr;
pub mod codes;
pub mod day;
pub mod disclosure;
pub mod due;
pub mod import;
pub mod issue;
pub mod notice;
pub mod opinion;
pub mod org;
pub mod problem;
pub mod queue;
pub mod release;
pub mod roles;
pub mod routing;
pub mod search;
pub mod statistics;
pub mod subjects;
