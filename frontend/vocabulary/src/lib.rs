//! 码上说's words, declared once and shared by the server and the browser: the closed sets
//! (opinion states, categories, unit kinds, rating levels, …) with their stored names and labels,
//! ids and days as types, what each API call sends and answers, the organisation tree, the
//! appraisal questionnaires, issues, notices and statistics tables, every page's address, and
//! the text catalogue in each language. The server's build (feature `server`) adds the diesel
//! mappings and the OpenAPI schemas.

pub mod appraisal;
pub mod i18n;
pub mod issues;
pub mod model;
pub mod notices;
pub mod org;
pub mod paths;
pub mod screening;
pub mod statistics;
