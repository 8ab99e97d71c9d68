//! `multipart`: the box form sent as `multipart/form-data`, read by
//! `routes::submission::read_opinion_upload` from a stream of chunks, as the server reads it.
//!
//! Two kinds of input. A raw input is a `Content-Type` value, a newline, then the body; it is
//! streamed in chunks whose size depends on its length. A model input (`#model` then JSON) is
//! a description of a well-formed body (boundary, preamble, parts, chunk sizes) that is built
//! and streamed, and whose reading is known in advance.
//!
//! Invariants: no panic; at most three photos, none empty or over the photo limit; a refusal
//! is a 4xx problem and only claims "too large" when something was; and a model body reads
//! exactly as the model says (the first of repeated fields, empty photos dropped, a text over
//! 32 KiB cut at a character boundary, the fields before a refusal kept), however it is
//! chunked.

use actix_web::error::PayloadError;
use actix_web::http::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use actix_web::web::Bytes;
use mashangshuo::photos::{MAX_PHOTO_BYTES, MAX_PHOTOS};
use mashangshuo::routes::submission::{
    MAX_PARTS, MAX_TEXT_FIELD_BYTES, MAX_UPLOAD_BYTES, OpinionForm, UploadError,
    read_opinion_upload,
};
use rand::RngExt;
use rand::rngs::SmallRng;
use serde::{Deserialize, Serialize};

use super::{drive, pick, random_text};
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "multipart",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 256 * 1024,
        check,
    }
}

const MODEL: &[u8] = b"#model\n";

/// The box form's text fields, as the reader knows them.
const TEXT_FIELDS: &[&str] = &mashangshuo::routes::submission::TEXT_FIELD_NAMES;

const DICTIONARY: &[&[u8]] = &[
    b"--",
    b"\r\n",
    b"\r\n\r\n",
    b"\n",
    b"boundary=",
    b"boundary=\"\"",
    b"boundary=a",
    b"boundary=--",
    b"multipart/form-data",
    b"multipart/mixed",
    b"; charset=utf-8",
    b"Content-Disposition: form-data; name=\"text\"\r\n\r\n",
    b"Content-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n",
    b"Content-Disposition: ",
    b"form-data",
    b"attachment",
    b"; name=",
    b"; name*=UTF-8''%E4%B8%AD",
    b"; filename=",
    b"; filename*=",
    b"name=\"photo\"",
    b"name=\"category\"",
    b"Content-Type: ",
    b"Content-Transfer-Encoding: base64",
    b"\"",
    b"\\",
    b"--XyZ--",
    b"--XyZ\r\n",
    b"\xff\xd8\xff",
    b"\x89PNG\r\n\x1a\n",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds = vec![
        raw(
            "multipart/form-data; boundary=XyZ",
            b"--XyZ\r\nContent-Disposition: form-data; name=\"category\"\r\n\r\nsuggestion\r\n--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n\xe8\xb7\xaf\xe7\x81\xaf\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0JFIF\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--XyZ--\r\n",
        ),
        raw(
            "multipart/form-data; boundary=\"quoted boundary\"",
            b"preamble\r\n--quoted boundary\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nx\r\n--quoted boundary--",
        ),
        raw("multipart/form-data", b"--\r\n"),
        raw("text/plain", b"category=x"),
    ];
    let mut rng = <SmallRng as rand::SeedableRng>::seed_from_u64(16);
    for _ in 0..4 {
        seeds.push(model_input(&random_model(&mut rng)));
    }
    seeds
}

fn raw(content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut input = content_type.as_bytes().to_vec();
    input.push(b'\n');
    input.extend_from_slice(body);
    input
}

// --- the model ---------------------------------------------------------------------------

/// A well-formed multipart body, described.
#[derive(Debug, Serialize, Deserialize)]
struct Model {
    boundary: String,
    #[serde(default)]
    preamble: String,
    parts: Vec<Part>,
    /// Chunk sizes of the stream, used in turn; one chunk when empty.
    #[serde(default)]
    chunks: Vec<usize>,
}

/// One part of the body.
#[derive(Debug, Serialize, Deserialize)]
struct Part {
    name: String,
    #[serde(default)]
    filename: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    body: Fill,
}

/// A part's content.
#[derive(Debug, Serialize, Deserialize)]
enum Fill {
    Text(String),
    Bytes(Vec<u8>),
    /// `len` times `byte`: big parts without big inputs.
    Repeat {
        byte: u8,
        len: usize,
    },
}

impl Fill {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Fill::Text(t) => t.as_bytes().to_vec(),
            Fill::Bytes(b) => b.clone(),
            Fill::Repeat { byte, len } => vec![*byte; (*len).min(MAX_UPLOAD_BYTES + 1)],
        }
    }
}

fn model_input(model: &Model) -> Vec<u8> {
    let mut input = MODEL.to_vec();
    input.extend(serde_json::to_vec(model).unwrap_or_default());
    input
}

fn generate(rng: &mut SmallRng) -> Vec<u8> {
    if rng.random_ratio(1, 4) {
        let boundary = boundary(rng);
        let body = build(&random_model(rng));
        let content_type = pick(
            rng,
            &[
                "multipart/form-data; boundary=",
                "multipart/form-data;boundary=",
                "multipart/mixed; boundary=",
                "multipart/form-data; charset=utf-8; boundary=",
            ],
        );
        return raw(&format!("{content_type}{boundary}"), &body);
    }
    model_input(&random_model(rng))
}

fn boundary(rng: &mut SmallRng) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
    let len = if rng.random_ratio(1, 4) {
        rng.random_range(1..5)
    } else {
        rng.random_range(5..71)
    };
    (0..len)
        .map(|_| char::from(CHARS[rng.random_range(0..CHARS.len())]))
        .collect()
}

fn random_model(rng: &mut SmallRng) -> Model {
    let mut parts = Vec::new();
    let count = if rng.random_ratio(1, 20) {
        rng.random_range(30..40)
    } else {
        rng.random_range(0..12)
    };
    let big = rng.random_ratio(1, 50);
    for _ in 0..count {
        let photo = rng.random_ratio(1, 3);
        let name = if photo {
            "photo".to_string()
        } else if rng.random_ratio(1, 8) {
            random_name(rng)
        } else {
            pick(rng, TEXT_FIELDS).to_string()
        };
        let body = if photo {
            if big && rng.random_bool(0.5) {
                let len = MAX_PHOTO_BYTES + rng.random_range(0..3usize) - 1;
                Fill::Repeat {
                    byte: rng.random(),
                    len,
                }
            } else if rng.random_ratio(1, 5) {
                Fill::Bytes(Vec::new())
            } else {
                let n = rng.random_range(1..300);
                Fill::Bytes((0..n).map(|_| rng.random()).collect())
            }
        } else if rng.random_ratio(1, 10) {
            let len = MAX_TEXT_FIELD_BYTES + rng.random_range(0..4usize) - 2;
            if rng.random_bool(0.5) {
                Fill::Repeat { byte: b'a', len }
            } else {
                // Three-byte characters, so the cut may fall inside one.
                let mut text = "路".repeat(len / 3 + 1);
                text.truncate(text.len() - rng.random_range(0..3usize) * 3);
                Fill::Text(text)
            }
        } else if rng.random_ratio(1, 6) {
            let n = rng.random_range(0..40);
            Fill::Bytes((0..n).map(|_| rng.random()).collect())
        } else {
            Fill::Text(random_text(rng, 60))
        };
        parts.push(Part {
            name,
            filename: (photo || rng.random_ratio(1, 10)).then(|| random_name(rng)),
            content_type: rng.random_bool(0.5).then(|| {
                pick(
                    rng,
                    &["image/jpeg", "text/plain", "application/octet-stream"],
                )
                .to_string()
            }),
            body,
        });
    }
    let chunks = if rng.random_bool(0.3) {
        Vec::new()
    } else {
        (0..rng.random_range(1..6))
            .map(|_| {
                if rng.random_bool(0.5) {
                    rng.random_range(1..8)
                } else {
                    rng.random_range(8..70_000)
                }
            })
            .collect()
    };
    Model {
        boundary: boundary(rng),
        preamble: if rng.random_ratio(1, 4) {
            random_text(rng, 20)
        } else {
            String::new()
        },
        parts,
        chunks,
    }
}

fn random_name(rng: &mut SmallRng) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789_.-";
    (0..rng.random_range(0..12))
        .map(|_| char::from(CHARS[rng.random_range(0..CHARS.len())]))
        .collect()
}

/// Roughly how large the body of a model is, before building it.
fn declared_size(model: &Model) -> usize {
    model
        .parts
        .iter()
        .map(|p| match &p.body {
            Fill::Repeat { len, .. } => (*len).min(MAX_UPLOAD_BYTES + 1),
            Fill::Text(t) => t.len(),
            Fill::Bytes(b) => b.len(),
        })
        .fold(model.preamble.len(), usize::saturating_add)
}

/// The body a model describes.
fn build(model: &Model) -> Vec<u8> {
    let mut body = Vec::new();
    if !model.preamble.is_empty() {
        body.extend_from_slice(model.preamble.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    for part in &model.parts {
        body.extend_from_slice(format!("--{}\r\n", model.boundary).as_bytes());
        let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", part.name);
        if let Some(f) = &part.filename {
            disposition.push_str(&format!("; filename=\"{f}\""));
        }
        body.extend_from_slice(disposition.as_bytes());
        body.extend_from_slice(b"\r\n");
        if let Some(t) = &part.content_type {
            body.extend_from_slice(format!("Content-Type: {t}\r\n").as_bytes());
        }
        body.extend_from_slice(b"\r\n");
        body.extend_from_slice(&part.body.bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{}--\r\n", model.boundary).as_bytes());
    body
}

/// Whether the model describes a body whose reading it can predict: a boundary and names that
/// need no quoting, no part or preamble that contains the boundary.
fn predictable(model: &Model) -> bool {
    let plain = |s: &str, extra: &[u8]| {
        s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b) || extra.contains(&b))
    };
    let delimiter = format!("--{}", model.boundary);
    let contains = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    // With no part, whether the closing delimiter is taken for one depends on the boundary's
    // shape (actix-multipart 0.7 looks for `BOUNDARY--` at a line start), so it is not predicted.
    !model.parts.is_empty()
        && !model.boundary.is_empty()
        && model.boundary.len() <= 70
        && plain(&model.boundary, b"")
        && !model.preamble.contains('\n')
        && !model.preamble.contains('\r')
        && !model.preamble.contains(&model.boundary)
        && model.parts.iter().all(|p| {
            plain(&p.name, b"")
                && p.filename.as_deref().is_none_or(|f| plain(f, b""))
                && p.content_type.as_deref().is_none_or(|t| plain(t, b"/"))
                && !contains(
                    &[b"\r\n", &p.body.bytes()[..], b"\r\n"].concat(),
                    delimiter.as_bytes(),
                )
        })
}

/// What `read_opinion_upload` must make of a predictable model.
struct Expected {
    form: OpinionForm,
    photos: Vec<Vec<u8>>,
    error: Option<UploadError>,
    had_photos: bool,
    /// The body is over the whole-body cap: which field sees the overflow depends on the
    /// chunking, so only the kind of refusal is predicted.
    overflow: bool,
}

fn expect(model: &Model, body_len: usize) -> Expected {
    let mut out = Expected {
        form: OpinionForm::default(),
        photos: Vec::new(),
        error: None,
        had_photos: false,
        overflow: body_len > MAX_UPLOAD_BYTES,
    };
    let mut seen: Vec<String> = Vec::new();
    for (i, part) in model.parts.iter().enumerate() {
        if i + 1 > MAX_PARTS {
            out.error = Some(UploadError::Malformed);
            return out;
        }
        let bytes = part.body.bytes();
        if part.name == "photo" {
            if bytes.is_empty() {
                continue;
            }
            out.had_photos = true;
            if out.photos.len() >= MAX_PHOTOS {
                out.error = Some(UploadError::TooManyPhotos);
                return out;
            }
            if bytes.len() > MAX_PHOTO_BYTES {
                out.error = Some(UploadError::PhotoTooLarge);
                return out;
            }
            out.photos.push(bytes);
        } else if TEXT_FIELDS.contains(&part.name.as_str()) {
            let (value, too_large) = if bytes.len() > MAX_TEXT_FIELD_BYTES {
                let mut cut = MAX_TEXT_FIELD_BYTES;
                if let Err(e) = std::str::from_utf8(&bytes[..cut])
                    && e.error_len().is_none()
                {
                    cut = e.valid_up_to();
                }
                (String::from_utf8_lossy(&bytes[..cut]).into_owned(), true)
            } else {
                (String::from_utf8_lossy(&bytes).into_owned(), false)
            };
            if !seen.contains(&part.name) {
                seen.push(part.name.clone());
                set_field(&mut out.form, &part.name, value);
            }
            if too_large {
                out.error = Some(UploadError::TooLarge);
                return out;
            }
        }
    }
    out
}

fn set_field(form: &mut OpinionForm, name: &str, value: String) {
    match name {
        "category" => form.category = value,
        "text" => form.text = value,
        "confirmed" => form.confirmed = Some(value),
        "identity" => form.identity = value,
        "contact_name" => form.contact_name = value,
        "contact_phone" => form.contact_phone = value,
        "about" => form.about = value,
        "escalate" => form.escalate = Some(value),
        "submission_key" => form.submission_key = value,
        _ => {}
    }
}

fn fields(form: &OpinionForm) -> [Option<&str>; 9] {
    [
        Some(form.category.as_str()),
        Some(form.text.as_str()),
        form.confirmed.as_deref(),
        Some(form.identity.as_str()),
        Some(form.contact_name.as_str()),
        Some(form.contact_phone.as_str()),
        Some(form.about.as_str()),
        form.escalate.as_deref(),
        Some(form.submission_key.as_str()),
    ]
}

// --- the check ---------------------------------------------------------------------------

fn check(input: &[u8]) -> Verdict {
    let model = input
        .strip_prefix(MODEL)
        .and_then(|json| serde_json::from_slice::<Model>(json).ok())
        .filter(|m| declared_size(m) <= MAX_UPLOAD_BYTES + 1024 * 1024);
    let (content_type, body, chunks) = match &model {
        Some(m) => (
            format!("multipart/form-data; boundary={}", m.boundary).into_bytes(),
            build(m),
            m.chunks.clone(),
        ),
        None => {
            let split = input
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(input.len());
            let body = input.get(split + 1..).unwrap_or_default().to_vec();
            let chunk = body.len() % 61 + 1;
            (input[..split].to_vec(), body, vec![chunk])
        }
    };
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_bytes(&content_type) {
        headers.insert(CONTENT_TYPE, value);
    }
    // A small request arrives at once (body and end together); a larger one in pieces. Raw
    // inputs get either, by the parity of their length.
    let pausing = match &model {
        Some(m) => !m.chunks.is_empty(),
        None => body.len() % 2 == 1,
    };
    let stream = Trickle {
        chunks: split(&body, &chunks).into_iter(),
        paused: false,
        pausing,
    };
    let result = drive(read_opinion_upload(&headers, stream))
        .map_err(|e| format!("read_opinion_upload {e}"))?;

    let outcome = match &result {
        Ok((form, photos)) => {
            ensure(photos.len() <= MAX_PHOTOS, || {
                format!("{} photos accepted", photos.len())
            })?;
            for p in photos {
                ensure(!p.is_empty() && p.len() <= MAX_PHOTO_BYTES, || {
                    format!("a photo of {} bytes accepted", p.len())
                })?;
            }
            let text_bytes: usize = fields(form).iter().flatten().map(|f| f.len()).sum();
            ensure(text_bytes <= 3 * body.len(), || {
                "the fields hold more text than the body".into()
            })?;
            (0u8, photos.len())
        }
        Err(refused) => {
            let p = refused.error.problem();
            ensure((400..500).contains(&p.status), || {
                format!("refusal {:?} answered {}", refused.error, p.status)
            })?;
            let size_claim = matches!(
                refused.error,
                UploadError::TooLarge | UploadError::PhotoTooLarge
            );
            ensure(!size_claim || body.len() > MAX_TEXT_FIELD_BYTES, || {
                format!(
                    "a body of {} bytes refused as {:?}",
                    body.len(),
                    refused.error
                )
            })?;
            (1 + refused.error as u8, 0)
        }
    };

    if let Some(model) = model.as_ref().filter(|m| predictable(m))
        && let Err(symptom) = compare(model, body.len(), &result)
    {
        // Read again in one piece: if that matches the model, the chunk boundaries are to blame.
        let whole = Trickle {
            chunks: vec![Bytes::from(body.clone())].into_iter(),
            paused: false,
            pausing: false,
        };
        let again = drive(read_opinion_upload(&headers, whole))?;
        return Err(match compare(model, body.len(), &again) {
            Ok(()) => format!(
                "the reading depends on where the body is cut into chunks ({symptom}; read whole, it is right)"
            ),
            Err(_) => symptom,
        });
    }
    Ok(signature((outcome, model.is_some())))
}

/// A body arriving as a network delivers it: with `pausing`, one chunk, then a pause (pending,
/// with a wake-up) before the next, so the reader sees every chunk boundary; without, every
/// chunk and the end at once.
struct Trickle {
    chunks: std::vec::IntoIter<Bytes>,
    paused: bool,
    pausing: bool,
}

impl futures_util::Stream for Trickle {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if self.chunks.len() == 0 {
            // Ended: no more pauses, or a reader stuck at the end would be woken for ever.
            return std::task::Poll::Ready(None);
        }
        if self.paused {
            self.paused = false;
            cx.waker().wake_by_ref();
            return std::task::Poll::Pending;
        }
        self.paused = self.pausing;
        std::task::Poll::Ready(self.chunks.next().map(Ok))
    }
}

/// The body cut into the model's chunk sizes, in turn.
fn split(body: &[u8], sizes: &[usize]) -> Vec<Bytes> {
    let body = Bytes::copy_from_slice(body);
    // At most about 10,000 chunks, however small the sizes asked for.
    let least = (body.len() / 10_000).max(1);
    let sizes: Vec<usize> = sizes.iter().map(|&s| s.max(least)).collect();
    if sizes.is_empty() {
        return vec![body];
    }
    let mut out = Vec::new();
    let mut at = 0;
    let mut i = 0;
    while at < body.len() {
        let end = (at + sizes[i % sizes.len()]).min(body.len());
        out.push(body.slice(at..end));
        at = end;
        i += 1;
    }
    out
}

type Upload = Result<(OpinionForm, Vec<Vec<u8>>), mashangshuo::routes::submission::UploadRefused>;

fn compare(model: &Model, body_len: usize, result: &Upload) -> Result<(), String> {
    let expected = expect(model, body_len);
    if expected.overflow {
        // Where reading stops depends on the chunks; it must stop, and not call the body
        // malformed unless it is.
        return match result {
            Ok(_) => Err("a body over the cap was accepted".into()),
            Err(r) if r.error == UploadError::Malformed && expected.error != Some(r.error) => {
                Err("a body over the cap refused as malformed".into())
            }
            Err(_) => Ok(()),
        };
    }
    match (result, &expected.error) {
        (Ok((form, photos)), None) => {
            ensure(fields(form) == fields(&expected.form), || {
                format!(
                    "fields read as {:?}, the model says {:?}",
                    fields(form),
                    fields(&expected.form)
                )
            })?;
            ensure(*photos == expected.photos, || {
                format!(
                    "photos read as {:?} bytes, the model says {:?}",
                    photos.iter().map(Vec::len).collect::<Vec<_>>(),
                    expected.photos.iter().map(Vec::len).collect::<Vec<_>>()
                )
            })
        }
        (Err(refused), Some(error)) => {
            ensure(refused.error == *error, || {
                format!("refused as {:?}, the model says {error:?}", refused.error)
            })?;
            ensure(fields(&refused.form) == fields(&expected.form), || {
                format!(
                    "a refusal kept {:?}, the model says {:?}",
                    fields(&refused.form),
                    fields(&expected.form)
                )
            })?;
            ensure(refused.had_photos == expected.had_photos, || {
                format!(
                    "a refusal says had_photos = {}, the model says {}",
                    refused.had_photos, expected.had_photos
                )
            })
        }
        (Ok(_), Some(error)) => Err(format!("accepted, the model says {error:?}")),
        (Err(refused), None) => Err(format!(
            "refused as {:?}, the model says it is accepted",
            refused.error
        )),
    }
}
