//! Building and running the server: an application you can start on port 0 in tests.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};

use crate::config::Config;
use crate::crypto::{HashPool, Keys};
use crate::routes::{self, assets, limits::Limiters, resident};
use crate::security_headers::SecurityHeaders;
use crate::state::AppState;
use crate::{db, demo};

/// Failures while starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Db(#[from] db::DbError),
    /// Seeding demo data failed.
    #[error(transparent)]
    Demo(#[from] demo::DemoError),
    /// The configured secret is not the one the database was made with.
    #[error(transparent)]
    Secret(#[from] crate::ops::secret::SecretError),
    /// The address could not be bound.
    #[error("cannot listen on {0}: {1}")]
    Bind(std::net::SocketAddr, std::io::Error),
}

/// A server bound to its port, ready to run.
pub struct Application {
    port: u16,
    server: Server,
    demo: Option<demo::DemoOutput>,
    hash_threads: Vec<i32>,
    request_nice: i32,
}

impl Application {
    /// Opens and migrates the database, seeds demo data when configured, and binds the port.
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let (state, demo) = prepare(config).await?;
        crate::jobs::spawn(state.clone());
        crate::memory::spawn_trimmer();
        // Only a serving process needs jieba; build its dictionary off the start-up path.
        let names = state.names;
        actix_web::rt::spawn(async move {
            let _ = actix_web::web::block(move || names.warm_up()).await;
        });
        let listener = TcpListener::bind(state.config.bind)
            .map_err(|e| StartError::Bind(state.config.bind, e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartError::Bind(state.config.bind, e))?
            .port();
        let (hash_threads, request_nice) = (state.hasher.thread_ids(), state.config.request_nice);
        let server = run(listener, state)
            .map_err(|e| StartError::Bind(std::net::SocketAddr::from(([0, 0, 0, 0], port)), e))?;
        Ok(Application {
            port,
            server,
            demo,
            hash_threads,
            request_nice,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The demo data seeded at start-up (empty database, `MASHANGSHUO_DEMO=auto`), to print once.
    pub fn take_demo(&mut self) -> Option<demo::DemoOutput> {
        self.demo.take()
    }

    /// Lowers the priority of every thread of the process but the hashing threads to
    /// `MASHANGSHUO_REQUEST_NICE`, so under a flood of cheap requests the hashes that villagers'
    /// opinions wait for keep their share of the CPU. For a serving process only: it changes
    /// the whole process (tests leave it alone).
    pub fn lower_request_priority(&self) {
        let changed =
            crate::hash_threads::lower_other_threads(&self.hash_threads, self.request_nice);
        tracing::info!(
            nice = self.request_nice,
            threads = changed,
            hashing_threads = self.hash_threads.len(),
            "request threads' priority set"
        );
    }

    /// Serves until the server is stopped (SIGINT/SIGTERM).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tracing::info!(port = self.port, "listening");
        self.server.await
    }
}

/// The state every worker shares (pool, hashing pool, keys, bundle names), plus the demo
/// output when an empty database was seeded.
pub async fn prepare(config: Config) -> Result<(AppState, Option<demo::DemoOutput>), StartError> {
    let pool = db::connect(&config.database_url, config.pool_size)?;
    let migrate_pool = pool.clone();
    actix_web::web::block(move || db::migrate(&migrate_pool))
        .await
        .map_err(|_| db::DbError::Blocking)??;
    let (check_pool, secret) = (pool.clone(), config.secret.clone());
    actix_web::web::block(move || {
        let mut conn = check_pool.get().map_err(db::DbError::from)?;
        crate::ops::secret::verify_or_store(&mut conn, &secret)
    })
    .await
    .map_err(|_| db::DbError::Blocking)??;
    let hasher = HashPool::new(Keys::derive(&config.secret), config.hash_slots);
    let assets = assets::load_manifest(&config.site_root);
    if assets.is_none() {
        tracing::warn!(site_root = %config.site_root.display(), "no WASM bundle found; pages work without hydration");
    }
    let db_slots = Arc::new(tokio::sync::Semaphore::new(config.pool_size as usize));
    let lookup_slots = Arc::new(tokio::sync::Semaphore::new(
        (config.pool_size as usize / 4).max(1),
    ));
    let state = AppState {
        pool,
        hasher,
        photos: crate::photos::PhotoPool::new(),
        names: crate::names::NameFinder,
        config: Arc::new(config),
        assets,
        metrics: Default::default(),
        db_slots,
        lookup_slots,
    };
    let seeded = match state.config.demo {
        crate::config::DemoMode::Auto => demo::seed_if_empty(&state).await?,
        crate::config::DemoMode::Off => None,
    };
    Ok((state, seeded))
}

fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let limits = Limiters::new(state.config.trusted_proxies.clone());
    let headers = SecurityHeaders::new(state.assets.as_ref(), &state.config.public_url);
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let limits = limits.clone();
        App::new()
            .app_data(data.clone())
            .app_data(resident::form_config())
            .wrap(Compress::default())
            .wrap(from_fn(crate::memory::slice_large_bodies))
            .wrap(headers.middleware())
            .wrap(from_fn(crate::telemetry::log_request))
            .configure(move |cfg| routes::configure(cfg, &limits))
            .default_service(web::to(routes::not_found))
    })
    .h1_write_buffer_size(crate::memory::WRITE_BUFFER)
    // A page goes out in several writes; without this the last one waits for the client's
    // delayed acknowledgement (40 ms on Linux).
    .tcp_nodelay(true)
    .listen(listener)?
    .run();
    Ok(server)
}
