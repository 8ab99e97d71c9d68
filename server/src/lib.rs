//! 码上说 server: anonymous back-to-back opinions by QR code, routed to township leading groups.

pub mod auth;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod domain;
pub mod files;
pub mod hash_threads;
pub mod jobs;
pub mod memory;
pub mod names;
pub mod ops;
pub mod photos;
pub mod qr;
pub mod render;
pub mod routes;
pub mod security_headers;
pub mod service;
pub mod sheets;
pub mod similar;
pub mod startup;
pub mod state;
pub mod telemetry;
