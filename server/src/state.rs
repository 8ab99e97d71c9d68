//! Application state shared by every handler.

use std::sync::Arc;

use frontend::components::Assets;

use crate::config::Config;
use crate::crypto::HashPool;
use crate::db::{DbConnection, DbError, DbPool};
use crate::names::NameFinder;
use crate::photos::PhotoPool;

/// What handlers need: the pool, the hashing pool, the configuration and the WASM bundle names.
#[derive(Clone)]
pub struct AppState {
    /// Database connections.
    pub pool: DbPool,
    /// Bounded Argon2id hashing.
    pub hasher: HashPool,
    /// Bounded photo re-encoding.
    pub photos: PhotoPool,
    /// Personal-name detection for the warning before sending.
    pub names: NameFinder,
    /// The deployment's configuration.
    pub config: Arc<Config>,
    /// The hydration bundle, when it was built (`None` serves pages without scripts).
    pub assets: Option<Assets>,
    /// The hour's snapshot of the counts `/metrics` shows.
    pub metrics: crate::service::health::MetricsCache,
    /// One permit per pooled connection: a query waits here, not on a blocking thread of its
    /// own, so a burst of requests never holds more threads (and their memory) than there
    /// are connections to serve them.
    pub db_slots: Arc<tokio::sync::Semaphore>,
    /// A quarter of those (at least one) for receipt look-ups' first check, so guessed codes
    /// queue among themselves and leave the other connections to villagers' submissions.
    pub lookup_slots: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Runs `job` with a pooled connection on a blocking thread.
    pub async fn db<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
    ) -> Result<T, DbError> {
        let _slot = self
            .db_slots
            .acquire()
            .await
            .map_err(|_| DbError::Blocking)?;
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            job(&mut conn)
        })
        .await
        .map_err(|_| DbError::Blocking)?
    }
}
