//! The application's operations, used alike by the HTML pages and the JSON API.

pub mod admin;
pub mod appraisal;
pub mod appraisal_resident;
pub mod appraisal_results;
pub mod audit;
pub mod box_token;
pub mod boxes;
pub mod group_accounts;
pub mod health;
pub mod held;
pub mod issues;
pub mod ledger;
pub mod notices;
pub mod resident;
pub mod reviewing;
pub mod staff;
pub mod statistics;
pub mod stats;
pub mod subjects;
pub mod suggestions;
pub mod targets;

use crate::db::DbError;
use crate::domain::problem::{self, Problem};

/// A file to download.
pub struct Download {
    /// Its file name.
    pub name: String,
    /// Its media type.
    pub content_type: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

impl Download {
    /// An Excel workbook.
    pub fn xlsx(name: String, bytes: Vec<u8>) -> Download {
        Download {
            name,
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes,
        }
    }

    /// A CSV file in UTF-8.
    pub fn csv(name: String, bytes: Vec<u8>) -> Download {
        Download {
            name,
            content_type: "text/csv; charset=utf-8",
            bytes,
        }
    }
}

/// Runs CPU-bound work (text comparison, spreadsheets) off the async workers.
pub async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Problem> {
    actix_web::web::block(work).await.map_err(|_| {
        tracing::error!("blocking worker failed");
        problem::INTERNAL
    })
}

/// Turns a database failure into what a person is told; real faults are logged, without personal data.
pub fn db_problem(error: DbError, not_found: Problem) -> Problem {
    match error {
        DbError::NotFound => not_found,
        DbError::Refused(p) => p,
        DbError::Pool(e) => {
            tracing::warn!(error = %e, "database pool exhausted");
            problem::UNAVAILABLE
        }
        // Nothing was written (the transaction rolled back); the person may try again later.
        DbError::StorageFull(message) => {
            tracing::error!(error = %message, "database storage full: refusing writes");
            problem::STORAGE_FULL
        }
        other => {
            tracing::error!(error = %other, "database failure");
            problem::INTERNAL
        }
    }
}

/// What a villager is told about a photo that was refused.
pub fn photo_problem(error: crate::photos::PhotoError) -> Problem {
    match error {
        crate::photos::PhotoError::TooLarge => problem::PHOTO_TOO_LARGE,
        crate::photos::PhotoError::TooManyPixels(_) => problem::PHOTO_TOO_MANY_PIXELS,
        crate::photos::PhotoError::Unreadable(_) => problem::PHOTO_UNREADABLE,
        crate::photos::PhotoError::Task => {
            tracing::error!("photo worker failed");
            problem::INTERNAL
        }
    }
}

/// Logs a hashing failure and reports it as an internal error.
pub fn hash_problem(error: crate::crypto::HashError) -> Problem {
    tracing::error!(error = %error, "hashing failure");
    problem::INTERNAL
}
