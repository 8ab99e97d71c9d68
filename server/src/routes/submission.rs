//! What an opinion submission carries: the form fields, urlencoded (no photos) or multipart
//! (with up to three photos), for the plain form and the API alike. Multipart bodies are read
//! as a stream by [`read_opinion_upload`], which stops at the first limit crossed.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use actix_governor::Governor;
use actix_multipart::{Field, Multipart, MultipartError};
use actix_web::error::PayloadError;
use actix_web::guard::{self, GuardContext};
use actix_web::http::header::{CONTENT_TYPE, HeaderMap};
use actix_web::web::Bytes;
use actix_web::{FromRequest, Handler, Resource, Responder, web};
use futures_util::future::poll_fn;
use futures_util::stream::LocalBoxStream;
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use vocabulary::model::{Contact, NewOpinion};

use super::limits::Limit;
use crate::domain::problem::{self, Problem};
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
    /// The token the box page handed out.
    #[serde(default)]
    pub box_token: String,
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
            box_token: Some(self.box_token.trim().to_string()).filter(|k| !k.is_empty()),
        }
    }
}

/// A multipart submission may carry at most this many parts (a box form has about a dozen).
pub const MAX_PARTS: usize = 32;
/// A text field of a multipart submission is cut off here (the urlencoded form's limit).
pub const MAX_TEXT_FIELD_BYTES: usize = 32 * 1024;
/// The whole multipart body: three photos at their limit and the text fields.
pub const MAX_UPLOAD_BYTES: usize = MAX_PHOTOS * MAX_PHOTO_BYTES + 64 * 1024;

/// Why a multipart submission was not read to its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    /// A photo part beyond [`MAX_PHOTOS`].
    #[error("more than {MAX_PHOTOS} photos")]
    TooManyPhotos,
    /// A photo over [`MAX_PHOTO_BYTES`].
    #[error("a photo is over {MAX_PHOTO_BYTES} bytes")]
    PhotoTooLarge,
    /// The body over [`MAX_UPLOAD_BYTES`] or a text field over [`MAX_TEXT_FIELD_BYTES`].
    #[error("the body or a text field is too large")]
    TooLarge,
    /// Not `multipart/form-data`, cut short, or more than [`MAX_PARTS`] parts.
    #[error("malformed multipart body")]
    Malformed,
}

impl UploadError {
    /// What the villager is told.
    pub fn problem(self) -> Problem {
        match self {
            UploadError::TooManyPhotos => problem::PHOTO_TOO_MANY,
            UploadError::PhotoTooLarge => problem::PHOTO_TOO_LARGE,
            UploadError::TooLarge => problem::BODY_TOO_LARGE,
            UploadError::Malformed => problem::BAD_FORM,
        }
    }
}

/// A multipart submission that was refused, with the fields read before reading stopped, so
/// the form can be shown again as it was typed. Nothing of it has been stored.
#[derive(Debug)]
pub struct UploadRefused {
    /// Why reading stopped.
    pub error: UploadError,
    /// The text fields that arrived before (browsers send them before the file input).
    pub form: OpinionForm,
    /// Whether a photo had been started, so the page asks for the photos again.
    pub had_photos: bool,
}

/// The text fields of the box form, in a multipart body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextField {
    Category,
    Text,
    Confirmed,
    Identity,
    ContactName,
    ContactPhone,
    About,
    Escalate,
    SubmissionKey,
    BoxToken,
}

/// The names of the box form's text fields in a multipart body, in [`TextField`] order.
pub const TEXT_FIELD_NAMES: [&str; 10] = [
    "category",
    "text",
    "confirmed",
    "identity",
    "contact_name",
    "contact_phone",
    "about",
    "escalate",
    "submission_key",
    "box_token",
];

impl TextField {
    /// Every field, in the order of [`TEXT_FIELD_NAMES`].
    const ALL: [TextField; 10] = [
        TextField::Category,
        TextField::Text,
        TextField::Confirmed,
        TextField::Identity,
        TextField::ContactName,
        TextField::ContactPhone,
        TextField::About,
        TextField::Escalate,
        TextField::SubmissionKey,
        TextField::BoxToken,
    ];

    fn named(name: &str) -> Option<Self> {
        let at = TEXT_FIELD_NAMES.iter().position(|n| *n == name)?;
        Some(Self::ALL[at])
    }

    /// Puts `value` into `form` unless this field was already given (the first one counts).
    fn fill(self, form: &mut OpinionForm, seen: &mut u16, value: String) {
        let bit = 1u16 << (self as u16);
        if *seen & bit != 0 {
            return;
        }
        *seen |= bit;
        match self {
            TextField::Category => form.category = value,
            TextField::Text => form.text = value,
            TextField::Confirmed => form.confirmed = Some(value),
            TextField::Identity => form.identity = value,
            TextField::ContactName => form.contact_name = value,
            TextField::ContactPhone => form.contact_phone = value,
            TextField::About => form.about = value,
            TextField::Escalate => form.escalate = Some(value),
            TextField::SubmissionKey => form.submission_key = value,
            TextField::BoxToken => form.box_token = value,
        }
    }
}

/// Reads a box form sent as `multipart/form-data` as it streams in: the text fields in their
/// order, up to [`MAX_PHOTOS`] photos of at most [`MAX_PHOTO_BYTES`] each (empty file inputs are
/// dropped; file names and declared types are never read), and no more than
/// [`MAX_UPLOAD_BYTES`] in all. At the first limit crossed nothing more is kept: the rest of the
/// body, up to [`MAX_UPLOAD_BYTES`], is read and thrown away so that a phone still sending gets
/// the answer rather than a reset connection, and the refusal carries what was typed.
/// `headers` supply the content type and boundary.
pub async fn read_opinion_upload<S>(
    headers: &HeaderMap,
    payload: S,
) -> Result<(OpinionForm, Vec<Vec<u8>>), UploadRefused>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + 'static,
{
    let metered = Metered::new(payload);
    let ended = metered.ended.clone();
    let mut reader = Reader {
        multipart: Multipart::new(headers, metered),
        ended,
    };
    let mut form = OpinionForm::default();
    let mut had_photos = false;
    match reader.read_parts(&mut form, &mut had_photos).await {
        Ok(photos) => Ok((form, photos)),
        Err(stop) => {
            if stop.intact {
                reader.drain().await;
            }
            Err(UploadRefused {
                error: stop.error,
                form,
                had_photos,
            })
        }
    }
}

/// Why reading parts stopped, and whether the stream can still be read past it.
struct Stop {
    error: UploadError,
    /// A limit of ours, not an error of the stream.
    intact: bool,
}

impl Stop {
    fn limit(error: UploadError) -> Self {
        Stop {
            error,
            intact: true,
        }
    }

    fn stream(error: &MultipartError, in_photo: bool) -> Self {
        Stop {
            error: stream_error(error, in_photo),
            intact: false,
        }
    }
}

/// The request body as the multipart parser sees it: one chunk per poll, so the parser never
/// reads ahead of what it needs (a limit is then met where it is crossed), failing with
/// `Overflow` past [`MAX_UPLOAD_BYTES`], and noting when the body has ended.
struct Metered {
    inner: LocalBoxStream<'static, Result<Bytes, PayloadError>>,
    left: usize,
    paused: bool,
    ended: Rc<Cell<bool>>,
}

impl Metered {
    fn new<S>(payload: S) -> Self
    where
        S: Stream<Item = Result<Bytes, PayloadError>> + 'static,
    {
        Metered {
            inner: payload.boxed_local(),
            left: MAX_UPLOAD_BYTES,
            paused: false,
            ended: Rc::new(Cell::new(false)),
        }
    }
}

impl Stream for Metered {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.paused {
            // Let the parser use this chunk before the next one is taken.
            self.paused = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        match self.inner.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) if chunk.len() > self.left => {
                self.left = 0;
                Poll::Ready(Some(Err(PayloadError::Overflow)))
            }
            Poll::Ready(Some(Ok(chunk))) => {
                self.left -= chunk.len();
                self.paused = true;
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) => {
                self.ended.set(true);
                Poll::Ready(None)
            }
            other => other,
        }
    }
}

/// The multipart parser over a [`Metered`] body.
struct Reader {
    multipart: Multipart,
    ended: Rc<Cell<bool>>,
}

impl Reader {
    /// Reads every part into `form` and the photos, or stops at the first limit or error.
    async fn read_parts(
        &mut self,
        form: &mut OpinionForm,
        had_photos: &mut bool,
    ) -> Result<Vec<Vec<u8>>, Stop> {
        let mut photos: Vec<Vec<u8>> = Vec::new();
        let mut seen = 0u16;
        let mut parts = 0;
        while let Some(field) = next_of(&mut self.multipart, &self.ended).await {
            let mut field = field.map_err(|e| Stop::stream(&e, false))?;
            parts += 1;
            if parts > MAX_PARTS {
                return Err(Stop::limit(UploadError::Malformed));
            }
            let name = field.name().unwrap_or_default().to_string();
            if name == "photo" {
                let photo = read_photo(&mut field, &self.ended, photos.len(), had_photos).await?;
                photos.extend(photo);
            } else if let Some(text) = TextField::named(&name) {
                let (value, stop) = read_text(&mut field, &self.ended).await;
                text.fill(form, &mut seen, value);
                if let Some(stop) = stop {
                    return Err(stop);
                }
            } else {
                while let Some(chunk) = next_of(&mut field, &self.ended).await {
                    chunk.map_err(|e| Stop::stream(&e, false))?;
                }
            }
        }
        Ok(photos)
    }

    /// Reads and discards what is left of the body, up to the body cap; stops at any error.
    async fn drain(&mut self) {
        while let Some(Ok(mut field)) = next_of(&mut self.multipart, &self.ended).await {
            while let Some(chunk) = next_of(&mut field, &self.ended).await {
                if chunk.is_err() {
                    return;
                }
            }
        }
    }
}

/// The next item of the parser or of a part. actix-multipart waits for more data, without
/// asking for it, on some bodies cut short (ending in `\r` or part of a boundary): once the
/// body has ended, waiting counts as an incomplete body instead of hanging the request.
async fn next_of<T, S>(stream: &mut S, ended: &Cell<bool>) -> Option<Result<T, MultipartError>>
where
    S: Stream<Item = Result<T, MultipartError>> + Unpin,
{
    poll_fn(|cx| match stream.poll_next_unpin(cx) {
        Poll::Pending if ended.get() => Poll::Ready(Some(Err(MultipartError::Incomplete))),
        other => other,
    })
    .await
}

/// One photo part: `None` for an empty file input; stops once it is one too many or too large.
async fn read_photo(
    field: &mut Field,
    ended: &Cell<bool>,
    already: usize,
    started: &mut bool,
) -> Result<Option<Vec<u8>>, Stop> {
    let mut photo: Vec<u8> = Vec::new();
    while let Some(chunk) = next_of(field, ended).await {
        let chunk = chunk.map_err(|e| Stop::stream(&e, true))?;
        if chunk.is_empty() {
            continue;
        }
        *started = true;
        if already >= MAX_PHOTOS {
            return Err(Stop::limit(UploadError::TooManyPhotos));
        }
        let len = photo.len() + chunk.len();
        if len > MAX_PHOTO_BYTES {
            return Err(Stop::limit(UploadError::PhotoTooLarge));
        }
        if len > photo.capacity() {
            // Grow by doubling, but never past the limit.
            let target = len.max(photo.capacity() * 2).min(MAX_PHOTO_BYTES);
            photo.reserve_exact(target - photo.len());
        }
        photo.extend_from_slice(&chunk);
    }
    Ok((!photo.is_empty()).then_some(photo))
}

/// One text part, decoded as UTF-8 like the urlencoded form (invalid bytes become U+FFFD);
/// past [`MAX_TEXT_FIELD_BYTES`] the part is cut at a character boundary and reading stops.
async fn read_text(field: &mut Field, ended: &Cell<bool>) -> (String, Option<Stop>) {
    let mut bytes = Vec::new();
    let mut stop = None;
    while let Some(chunk) = next_of(field, ended).await {
        match chunk {
            Ok(chunk) if bytes.len() + chunk.len() > MAX_TEXT_FIELD_BYTES => {
                let room = MAX_TEXT_FIELD_BYTES - bytes.len();
                bytes.extend_from_slice(&chunk[..room]);
                let whole = match std::str::from_utf8(&bytes) {
                    Ok(_) => bytes.len(),
                    Err(e) if e.error_len().is_none() => e.valid_up_to(),
                    Err(_) => bytes.len(),
                };
                bytes.truncate(whole);
                stop = Some(Stop::limit(UploadError::TooLarge));
                break;
            }
            Ok(chunk) => bytes.extend_from_slice(&chunk),
            Err(e) => {
                stop = Some(Stop::stream(&e, false));
                break;
            }
        }
    }
    (String::from_utf8_lossy(&bytes).into_owned(), stop)
}

/// A multipart stream error: over the body cap (inside a photo, the photo is too large) or not
/// a well-formed body.
fn stream_error(error: &MultipartError, in_photo: bool) -> UploadError {
    match error {
        MultipartError::Payload(PayloadError::Overflow) if in_photo => UploadError::PhotoTooLarge,
        MultipartError::Payload(PayloadError::Overflow) => UploadError::TooLarge,
        _ => UploadError::Malformed,
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::rc::Rc;

    use actix_web::http::header::HeaderValue;

    use super::*;

    const BOUNDARY: &str = "----form-boundary-7MA4YWxk";

    /// A part: field name, file name (for file inputs), content.
    type Part<'a> = (&'a str, Option<&'a str>, Vec<u8>);

    fn body(parts: &[Part<'_>]) -> Vec<u8> {
        let mut out = Vec::new();
        for (name, file, content) in parts {
            out.extend(format!("--{BOUNDARY}\r\n").as_bytes());
            match file {
                Some(file) => out.extend(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                         Content-Type: image/jpeg\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => out.extend(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            out.extend(content);
            out.extend(b"\r\n");
        }
        out.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
        out
    }

    fn headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("multipart/form-data; boundary={BOUNDARY}");
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(&value).expect("header"));
        headers
    }

    /// Reads `body` sent in 64 KiB chunks; also returns how many bytes were taken from it.
    async fn read(body: Vec<u8>) -> (Result<(OpinionForm, Vec<Vec<u8>>), UploadRefused>, usize) {
        let taken = Rc::new(Cell::new(0));
        let counter = taken.clone();
        let chunks: Vec<Result<Bytes, PayloadError>> = body
            .chunks(64 * 1024)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let stream = futures_util::stream::iter(chunks).inspect(move |c| {
            if let Ok(c) = c {
                counter.set(counter.get() + c.len());
            }
        });
        let result = read_opinion_upload(&headers(), stream).await;
        (result, taken.get())
    }

    fn text(name: &str, value: &str) -> Part<'static> {
        let name: &'static str = Box::leak(name.to_string().into_boxed_str());
        (name, None, value.as_bytes().to_vec())
    }

    fn typed() -> Vec<Part<'static>> {
        vec![
            text("category", "suggestion"),
            text("text", "路灯坏了"),
            text("identity", "named"),
            text("contact_name", "王小明"),
        ]
    }

    fn photo(len: usize) -> Part<'static> {
        ("photo", Some("IMG_0001.jpg"), vec![0xD8; len])
    }

    fn refusal(result: Result<(OpinionForm, Vec<Vec<u8>>), UploadRefused>) -> UploadRefused {
        match result {
            Err(refused) => refused,
            Ok((form, photos)) => panic!("accepted {form:?} with {} photos", photos.len()),
        }
    }

    #[actix_web::test]
    async fn fields_come_in_order_and_empty_file_inputs_are_dropped() {
        let mut parts = typed();
        parts.extend([
            text("confirmed", "1"),
            text("unknown", "ignored"),
            text("text", "a second text is ignored"),
            photo(10),
            ("photo", Some(""), Vec::new()),
            text("submission_key", "k"),
        ]);
        let (result, _) = read(body(&parts)).await;
        let (form, photos) = result.expect("read");
        assert_eq!(form.category, "suggestion");
        assert_eq!(form.text, "路灯坏了");
        assert_eq!(form.confirmed.as_deref(), Some("1"));
        assert_eq!(form.contact_name, "王小明");
        assert_eq!(form.submission_key, "k");
        assert_eq!(form.escalate, None);
        assert_eq!(photos, vec![vec![0xD8; 10]]);
    }

    #[actix_web::test]
    async fn a_fourth_photo_stops_reading_keeps_the_text_and_drains_the_rest() {
        let mut parts = typed();
        parts.extend((0..5).map(|_| photo(100_000)));
        let sent = body(&parts);
        let len = sent.len();
        let (result, taken) = read(sent).await;
        let refused = refusal(result);
        assert_eq!(refused.error, UploadError::TooManyPhotos);
        assert_eq!(refused.error.problem(), problem::PHOTO_TOO_MANY);
        assert!(refused.had_photos);
        assert_eq!(refused.form.text, "路灯坏了");
        assert_eq!(refused.form.contact_name, "王小明");
        assert_eq!(
            taken, len,
            "the rest of a body within the cap is read and dropped"
        );
    }

    #[actix_web::test]
    async fn a_photo_over_the_limit_is_refused_and_the_body_is_read_no_further_than_the_cap() {
        let mut parts = typed();
        parts.push(photo(MAX_PHOTO_BYTES + 1));
        let (result, _) = read(body(&parts)).await;
        let refused = refusal(result);
        assert_eq!(refused.error, UploadError::PhotoTooLarge);
        assert_eq!(refused.error.problem(), problem::PHOTO_TOO_LARGE);
        assert_eq!(refused.form.text, "路灯坏了");

        // A 60 MB photo: refused at 8 MiB, the rest read only up to the body cap.
        let mut parts = typed();
        parts.push(photo(60_000_000));
        let (result, taken) = read(body(&parts)).await;
        assert_eq!(refusal(result).error, UploadError::PhotoTooLarge);
        assert!(taken <= MAX_UPLOAD_BYTES + 64 * 1024, "{taken}");
    }

    #[actix_web::test]
    async fn a_body_over_the_cap_is_refused_with_what_was_typed() {
        let mut parts = typed();
        parts.extend((0..3).map(|_| photo(MAX_PHOTO_BYTES)));
        let (result, _) = read(body(&parts)).await;
        let (_, photos) = result.expect("three photos at their limit fit");
        assert_eq!(photos.len(), 3);
        // Other fields count too: with them the third photo crosses the cap.
        let mut parts = typed();
        parts.push(text("padding", &"x".repeat(200_000)));
        parts.extend((0..3).map(|_| photo(MAX_PHOTO_BYTES)));
        let (result, taken) = read(body(&parts)).await;
        let refused = refusal(result);
        assert_eq!(refused.error, UploadError::PhotoTooLarge);
        assert_eq!(refused.form.text, "路灯坏了");
        assert!(taken <= MAX_UPLOAD_BYTES + 64 * 1024, "{taken}");
        // Fields that are no photo at all.
        let mut parts = typed();
        parts.extend((0..25).map(|_| text("padding", &"x".repeat(1 << 20))));
        let (result, taken) = read(body(&parts)).await;
        let refused = refusal(result);
        assert_eq!(refused.error, UploadError::TooLarge);
        assert_eq!(refused.error.problem(), problem::BODY_TOO_LARGE);
        assert_eq!(refused.form.contact_name, "王小明");
        assert!(taken <= MAX_UPLOAD_BYTES + 64 * 1024, "{taken}");
    }

    #[actix_web::test]
    async fn a_text_over_its_limit_is_cut_at_a_character() {
        let mut parts = vec![text("category", "suggestion")];
        parts.push(text("text", &"字".repeat(20_000)));
        let (result, _) = read(body(&parts)).await;
        let refused = refusal(result);
        assert_eq!(refused.error, UploadError::TooLarge);
        assert_eq!(refused.form.category, "suggestion");
        assert_eq!(refused.form.text, "字".repeat(MAX_TEXT_FIELD_BYTES / 3));
        assert!(!refused.had_photos);
    }

    #[actix_web::test]
    async fn malformed_bodies_are_refused_without_panicking() {
        let whole = body(&typed());
        // Cut inside the last part: the parts before it are kept.
        let (result, _) = read(whole[..whole.len() - 20].to_vec()).await;
        let refused = refusal(result);
        assert_eq!(refused.error, UploadError::Malformed);
        assert_eq!(refused.error.problem(), problem::BAD_FORM);
        assert_eq!(refused.form.text, "路灯坏了");
        // Too many parts.
        let many: Vec<Part<'_>> = (0..MAX_PARTS + 1).map(|_| text("x", "y")).collect();
        let (result, _) = read(body(&many)).await;
        assert_eq!(refused_error(result), UploadError::Malformed);
        // Garbage, an empty body, invalid UTF-8.
        for junk in [b"garbage".to_vec(), Vec::new()] {
            let (result, _) = read(junk).await;
            assert_eq!(refused_error(result), UploadError::Malformed);
        }
        let (result, _) = read(body(&[("text", None, vec![0xFF, 0xFE, b'a'])])).await;
        assert_eq!(result.expect("lossy").0.text, "\u{FFFD}\u{FFFD}a");
        // No boundary in the content type.
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data"),
        );
        let stream = futures_util::stream::iter(vec![Ok(Bytes::from(body(&typed())))]);
        let result = read_opinion_upload(&headers, stream).await;
        assert_eq!(refused_error(result), UploadError::Malformed);
    }

    #[actix_web::test]
    async fn a_body_cut_anywhere_is_answered() {
        let mut parts = typed();
        parts.push(photo(40));
        let whole = body(&parts);
        for cut in 0..whole.len() {
            let (result, taken) = read(whole[..cut].to_vec()).await;
            assert_eq!(taken, cut);
            if let Ok((form, photos)) = result {
                // Only the closing boundary's last bytes may be missing.
                assert!(cut + 8 >= whole.len(), "cut at {cut}");
                assert_eq!((form.text.as_str(), photos.len()), ("路灯坏了", 1));
            }
        }
    }

    fn refused_error(result: Result<(OpinionForm, Vec<Vec<u8>>), UploadRefused>) -> UploadError {
        refusal(result).error
    }
}
