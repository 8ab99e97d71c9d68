//! Mass appraisal (群众评议), shared by server and pages: the four-level scale, the
//! questionnaires (附件4 for party organisations, 附件5 for party members), rounds and their
//! results. Each is one file; everything is also reachable as `appraisal::Name`.

pub mod questionnaire;
pub mod results;
pub mod round;
pub mod scale;

pub use questionnaire::*;
pub use results::*;
pub use round::*;
pub use scale::*;
