//! Whole pages, each rendered by one server route.

pub mod admin;
pub mod appraisal_form;
mod appraisal_results;
mod appraisal_staff;
mod audit;
pub mod box_page;
mod boxes;
mod group;
mod held;
mod home;
mod issues;
mod message;
mod notices;
mod opinion;
mod privacy;
mod receipt_page;
mod staff;
mod statistics;
mod status;

pub use admin::{AdminAccountsPage, AdminImportPage, AdminPeoplePage, AdminUnitsPage};
pub use appraisal_form::{AppraisalFormPage, AppraisalThanksPage};
pub use appraisal_results::ResultsPage;
pub use appraisal_staff::{
    AppraisalPage, QuestionnairePage, QuestionnairesPage, RoundPage, SlipsPage,
};
pub use audit::AuditTrailPage;
pub use box_page::BoxPage;
pub use boxes::{BoxesPage, PosterPage};
pub use group::GroupPage;
pub use held::HeldPage;
pub use home::HomePage;
pub use issues::{IssuePage, IssuesPage, LedgerPage, SimilarPage};
pub use message::MessagePage;
pub use notices::{NoticeArticle, NoticeBoardPage, NoticeEditPage, NoticesPage};
pub use opinion::OpinionPage;
pub use privacy::PrivacyPage;
pub use receipt_page::ReceiptPage;
pub use staff::{LoginPage, PasswordPage, QueuePage};
pub use statistics::{ReviewsPage, TablesPage};
pub use status::StatusPage;
