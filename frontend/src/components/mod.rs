//! Building blocks shared by several pages.

#[cfg(feature = "hydrate")]
mod browser;
mod opinion_form;
mod progress;
mod receipt;
mod screening;
mod shell;
mod text_area;
mod thread;

pub use opinion_form::OpinionForm;
pub use progress::{KeepProgress, RememberChange};
pub use receipt::ReceiptCode;
pub use screening::{ScreeningReport, needs_confirmation};
pub use shell::{Assets, PageScript, Shell, inline_scripts};
pub use text_area::TextArea;
pub use thread::ThreadView;
