//! Types shared by the server and the browser: the vocabulary of opinions, what a villager sends
//! and gets back, what the leading group reads and sends, and the audit trail. Each is one file;
//! everything is also reachable as `model::Name`.

pub mod audit;
pub mod day;
pub mod ids;
pub mod opinion;
pub mod resident;
pub mod staff;
pub mod stored;

pub use audit::*;
pub use day::*;
pub use ids::*;
pub use opinion::*;
pub use resident::*;
pub use staff::*;
pub use stored::*;
