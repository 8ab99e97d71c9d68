//! What an opinion submission carries: the form fields, urlencoded (no photos) or multipart
//! (with up to three photos), for the plain form and the API alike.

use actix_governor::Governor;
use actix_multipart::MultipartError;
use actix_multipart::form::bytes::Bytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::{MultipartForm, MultipartFormConfig};
use actix_web::guard::{self, GuardContext};
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{FromRequest, Handler, HttpRequest, Resource, Responder, ResponseError, web};
use frontend::model::{Contact, NewOpinion};
use serde::Deserialize;

use super::errors::Failure;
use super::lang_of;
use super::limits::Limit;
use crate::domain::problem;
use crate::photos::{MAX_PHOTO_BYTES, MAX_PHOTOS};

/// The fields of the box page's form.
#[derive(Debug, Default, Deserialize)]
pub struct OpinionForm {
    /// Category name.
    #[serde(default)]
    pub category: String,
    /// The opinion.
    #[serde(default)]
    pub text: String,
    /// Present once the villager confirmed names or addresses that may identify them.
    pub confirmed: Option<String>,
    /// `named` for 实名; anything else is anonymous and the contact fields are discarded.
    #[serde(default)]
    pub identity: String,
    /// Name for 实名.
    #[serde(default)]
    pub contact_name: String,
    /// Phone for 实名.
    #[serde(default)]
    pub contact_phone: String,
    /// Whom it is about: `person:ID`, `unit:ID` or empty.
    #[serde(default)]
    pub about: String,
    /// Present for 越级反映.
    pub escalate: Option<String>,
    /// The page's (or the phone's) key for this opinion, so that sending it again is harmless.
    #[serde(default)]
    pub submission_key: String,
}

impl OpinionForm {
    /// The opinion as the API would receive it; contact fields count only for 实名.
    pub fn to_new_opinion(&self) -> NewOpinion {
        NewOpinion {
            category: self.category.clone(),
            text: self.text.clone(),
            contact: (self.identity == "named").then(|| Contact {
                name: self.contact_name.clone(),
                phone: self.contact_phone.clone(),
            }),
            about: Some(self.about.trim().to_string()).filter(|a| !a.is_empty()),
            escalate: self.escalate.is_some(),
            submission_key: Some(self.submission_key.trim().to_string()).filter(|k| !k.is_empty()),
        }
    }
}

/// The same form sent as `multipart/form-data`, with photos.
#[derive(MultipartForm)]
pub struct OpinionUpload {
    category: Option<Text<String>>,
    text: Option<Text<String>>,
    confirmed: Option<Text<String>>,
    identity: Option<Text<String>>,
    contact_name: Option<Text<String>>,
    contact_phone: Option<Text<String>>,
    about: Option<Text<String>>,
    escalate: Option<Text<String>>,
    submission_key: Option<Text<String>>,
    /// Up to three files; a file input left empty sends a nameless empty part, dropped here.
    /// File names (which may hold the time a photo was taken) are never read.
    photo: Vec<Bytes>,
}

impl OpinionUpload {
    /// The form fields and the photos' bytes.
    pub fn into_parts(self) -> (OpinionForm, Vec<Vec<u8>>) {
        let text = |field: Option<Text<String>>| field.map(Text::into_inner).unwrap_or_default();
        let form = OpinionForm {
            category: text(self.category),
            text: text(self.text),
            confirmed: self.confirmed.map(Text::into_inner),
            identity: text(self.identity),
            contact_name: text(self.contact_name),
            contact_phone: text(self.contact_phone),
            about: text(self.about),
            escalate: self.escalate.map(Text::into_inner),
            submission_key: text(self.submission_key),
        };
        let photos = self
            .photo
            .into_iter()
            .filter(|p| !p.data.is_empty())
            .map(|p| p.data.to_vec())
            .collect();
        (form, photos)
    }
}

/// Adds a submission's two POST routes to `resource`, behind the same rate limit:
/// `multipart/form-data` (with photos) goes to `upload`, any other body to `plain`.
pub fn with_submission_routes<U, UArgs, P, PArgs>(
    resource: Resource,
    limit: &Limit,
    upload: U,
    plain: P,
) -> Resource
where
    U: Handler<UArgs>,
    UArgs: FromRequest + 'static,
    U::Output: Responder + 'static,
    P: Handler<PArgs>,
    PArgs: FromRequest + 'static,
    P::Output: Responder + 'static,
{
    resource
        .route(
            web::post()
                .guard(guard::fn_guard(is_multipart))
                .to(upload)
                .wrap(Governor::new(limit)),
        )
        .route(web::post().to(plain).wrap(Governor::new(limit)))
}

/// Whether a request is `multipart/form-data`.
fn is_multipart(ctx: &GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"))
}

/// Size limits of a multipart submission (photos are held in memory, never in temp files),
/// with errors in the client's language: JSON under `/api`, a page elsewhere.
pub fn multipart_config() -> MultipartFormConfig {
    let limit = MAX_PHOTOS * MAX_PHOTO_BYTES + 64 * 1024;
    MultipartFormConfig::default()
        .total_limit(limit)
        .memory_limit(limit)
        .error_handler(multipart_error)
}

fn multipart_error(err: MultipartError, req: &HttpRequest) -> actix_web::Error {
    let lang = lang_of(req);
    let problem = match err {
        MultipartError::Payload(actix_web::error::PayloadError::Overflow) => {
            problem::PHOTO_TOO_LARGE
        }
        _ => problem::BAD_FORM,
    };
    let failure = if req.path().starts_with("/api/") {
        Failure::json(problem, lang)
    } else {
        Failure::page(problem, lang)
    };
    actix_web::error::InternalError::from_response(err, failure.error_response()).into()
}
