//! Building blocks shared by several pages.

#[cfg(feature = "hydrate")]
mod browser;
mod opinion_form;
mod receipt;
mod screening;
mod shell;
mod thread;

pub use opinion_form::OpinionForm;
pub use receipt::ReceiptCode;
pub use screening::{ScreeningReport, needs_confirmation};
pub use shell::{Assets, Shell};
pub use thread::ThreadView;
