//! `urlencoded`: the bodies of the plain (urlencoded) forms, read as the server reads them.
//!
//! Every input is read three ways: (1) through actix's own `web::Form<OpinionForm>` extractor
//! with the app's `resident::form_config()` (the same config serves every `web::Form` of the
//! app), under one of four content types; (2) with `serde_urlencoded` (what `web::Form` uses)
//! into every public form type of the resident, staff and admin pages; (3) with
//! `serde_html_form` (what the forms with repeated fields use) into the appraisal form's pairs
//! and a struct shaped like the repeated-field forms.
//!
//! Invariants: no panic; an extractor error is answered 400 `bad_request` (413 only for a body
//! over 32 KiB), with the catalogue's message on the page; the opinion form's fields, checked by
//! the domain rules, give a value or a 4xx problem, and a valid text has no control characters
//! but newlines and tabs; pairs re-encoded and parsed again are the same pairs.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::test::TestRequest;
use actix_web::{FromRequest, web};
use mashangshuo::domain::opinion;
use mashangshuo::domain::org::AboutId;
use mashangshuo::domain::problem;
use mashangshuo::routes::submission::OpinionForm;
use mashangshuo::routes::{
    admin_account_pages, admin_pages, group_pages, resident, staff_pages, staff_session,
};
use rand::RngExt;
use rand::rngs::SmallRng;
use serde::de::DeserializeOwned;
use vocabulary::i18n::Lang;

use super::{drive, pick, random_text};
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "urlencoded",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 40 * 1024,
        check,
    }
}

/// The form limit set by `resident::form_config()`.
const FORM_LIMIT: usize = 32 * 1024;

const FIELDS: &[&str] = &[
    "category",
    "text",
    "confirmed",
    "identity",
    "contact_name",
    "contact_phone",
    "about",
    "escalate",
    "submission_key",
    "receipt",
    "csrf",
    "username",
    "password",
    "state",
    "reply",
    "retention_days",
    "leader_rank",
    "unit_id",
    "name",
    "subject",
    "opinion",
    "q1",
];

const DICTIONARY: &[&[u8]] = &[
    b"&",
    b"=",
    b"+",
    b"%",
    b"%20",
    b"%00",
    b"%FF",
    b"%E4%B8%AD",
    b"%2",
    b"%%",
    b"&&",
    b"==",
    b";",
    b"category=",
    b"text=",
    b"confirmed=1",
    b"identity=named",
    b"contact_name=",
    b"contact_phone=",
    b"about=person:",
    b"about=unit:",
    b"escalate=on",
    b"submission_key=",
    b"receipt=",
    b"csrf=",
    b"reply=",
    b"subject=",
    b"text[]=",
    b"text.a=",
    "中".as_bytes(),
    "１".as_bytes(),
    b"conduct",
    b"suggestion",
];

fn seeds() -> Vec<Vec<u8>> {
    [
        "",
        "category=suggestion&text=%E6%9D%91%E5%8F%A3%E7%9A%84%E8%B7%AF%E7%81%AF%E5%9D%8F%E4%BA%86",
        "category=conduct&text=a+b&identity=named&contact_name=%E7%8E%8B&contact_phone=13812345678&escalate=on&submission_key=0123456789abcdef0123456789abcdef",
        "category=other&text=x&confirmed=1&about=person:abc",
        "receipt=1234+5678+9012+3456",
        "receipt=1234567890123456&text=%E8%B0%A2%E8%B0%A2",
        "csrf=00&state=accepted&reply=ok",
        "username=admin&password=secret",
        "q1=satisfied&q2=fairly_satisfied&subject=a&subject=b",
        "text=%ZZ&text=%",
        "=&&=&a",
    ]
    .into_iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Pairs of known field names and tricky values, percent-encoded or not, sometimes repeated.
fn generate(rng: &mut SmallRng) -> Vec<u8> {
    let mut body = String::new();
    for i in 0..rng.random_range(0..10) {
        if i > 0 {
            body.push_str(pick(rng, &["&", "&", "&", ";", "&&"]));
        }
        let name = if rng.random_ratio(1, 6) {
            random_text(rng, 6)
        } else {
            pick(rng, FIELDS).to_string()
        };
        let value = random_text(rng, 40);
        if rng.random_bool(0.7) {
            body.push_str(&encode(&name));
            body.push('=');
            body.push_str(&encode(&value));
        } else {
            body.push_str(&name);
            body.push_str(pick(rng, &["=", "", "=="]));
            body.push_str(&value);
        }
    }
    body.into_bytes()
}

fn encode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|s| s[1..].to_string())
        .unwrap_or_default()
}

fn check(body: &[u8]) -> Verdict {
    let extracted = through_actix(body)?;
    let mut shape = vec![extracted];
    // Every public form type of the app, as `web::Form` reads it.
    shape.push(parses::<OpinionForm>(body));
    shape.push(parses::<resident::ReceiptForm>(body));
    shape.push(parses::<resident::AnswerForm>(body));
    shape.push(parses::<staff_session::LoginForm>(body));
    shape.push(parses::<staff_session::CsrfForm>(body));
    shape.push(parses::<staff_pages::HandleForm>(body));
    shape.push(parses::<staff_pages::TagForm>(body));
    shape.push(parses::<staff_session::PasswordForm>(body));
    shape.push(parses::<staff_pages::AskForm>(body));
    shape.push(parses::<group_pages::RetentionForm>(body));
    shape.push(parses::<admin_pages::UnitForm>(body));
    shape.push(parses::<admin_pages::UnitChangeForm>(body));
    shape.push(parses::<admin_pages::GroupForm>(body));
    shape.push(parses::<admin_pages::RoutingForm>(body));
    shape.push(parses::<admin_pages::PersonForm>(body));
    shape.push(parses::<admin_pages::ActiveForm>(body));
    shape.push(parses::<admin_pages::RankForm>(body));
    shape.push(parses::<admin_account_pages::AccountForm>(body));
    shape.push(parses::<admin_account_pages::ChangeAccountForm>(body));
    shape.push(parses::<admin_account_pages::BoxForm>(body));

    if let Ok(form) = serde_urlencoded::from_bytes::<OpinionForm>(body) {
        shape.push(domain_rules(&form)?);
    }
    pairs_round_trip(body)?;

    // The forms read with `serde_html_form`: the appraisal answers as pairs, and the shape of
    // the staff forms with repeated fields (a required field, defaults, a list).
    shape.push(serde_html_form::from_bytes::<Vec<(String, String)>>(body).is_ok() as u8);
    shape.push(serde_html_form::from_bytes::<RepeatedForm>(body).is_ok() as u8);
    Ok(signature(shape))
}

/// Shaped like the forms with repeated fields (`RoundForm`, `ReviewForm`, the merge form).
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct RepeatedForm {
    #[serde(default)]
    csrf: String,
    opens_on: String,
    #[serde(default)]
    subject: Vec<String>,
    #[serde(default)]
    pass: String,
}

fn parses<T: DeserializeOwned>(body: &[u8]) -> u8 {
    serde_urlencoded::from_bytes::<T>(body).is_ok() as u8
}

/// Reads the body as `web::Form<OpinionForm>` with the app's form config; an error must be the
/// page the config makes: 400 `bad_request`, or 413 for an oversized body.
fn through_actix(body: &[u8]) -> Result<u8, String> {
    let content_type = [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=utf-8",
        "application/x-www-form-urlencoded; charset=gbk",
        "application/x-www-form-urlencoded; charset=bogus",
    ][body.len() % 4];
    let (req, mut payload) = TestRequest::post()
        .uri("/b/0123456789abcdef0123")
        .insert_header((CONTENT_TYPE, content_type))
        .app_data(resident::form_config())
        .set_payload(body.to_vec())
        .to_http_parts();
    let result = drive(web::Form::<OpinionForm>::from_request(&req, &mut payload))
        .map_err(|e| format!("the form extractor {e}"))?;
    let Err(error) = result else {
        return Ok(0);
    };
    let status = error.as_response_error().status_code().as_u16();
    let (expected, message) = if body.len() > FORM_LIMIT {
        (413, problem::BODY_TOO_LARGE.message(Lang::Zh))
    } else {
        (400, problem::BAD_FORM.message(Lang::Zh))
    };
    ensure(status == expected, || {
        format!("form error {error} answered {status}, not {expected}")
    })?;
    let response = error.error_response();
    let page = drive(actix_web::body::to_bytes(response.into_body()))?
        .map_err(|_| "the error page's body cannot be read".to_string())?;
    ensure(String::from_utf8_lossy(&page).contains(message), || {
        format!("the {status} page does not say {message:?}")
    })?;
    Ok(1)
}

/// The opinion form as the service checks it: a value or a 4xx problem, never a 5xx.
fn domain_rules(form: &OpinionForm) -> Result<u8, String> {
    let new = form.to_new_opinion();
    let mut outcome = 0u8;
    match opinion::validate(&new.category, &new.text) {
        Ok(valid) => {
            ensure(!valid.text.is_empty(), || "a valid text is empty".into())?;
            ensure(
                !valid
                    .text
                    .chars()
                    .any(|c| c.is_control() && c != '\n' && c != '\t'),
                || format!("a valid text keeps control characters: {:?}", valid.text),
            )?;
        }
        Err(p) => {
            ensure((400..500).contains(&p.status), || {
                format!("opinion::validate answered {p:?}")
            })?;
            outcome |= 1;
        }
    }
    if let Some(contact) = &new.contact {
        match opinion::validate_contact(contact) {
            Ok(_) => {}
            Err(p) => {
                ensure((400..500).contains(&p.status), || {
                    format!("validate_contact answered {p:?}")
                })?;
                outcome |= 2;
            }
        }
    }
    if let Some(about) = &new.about
        && AboutId::parse(about).is_some()
    {
        outcome |= 4;
    }
    if let Err(p) = opinion::validate_message(&form.text) {
        ensure((400..500).contains(&p.status), || {
            format!("validate_message answered {p:?}")
        })?;
        outcome |= 8;
    }
    Ok(outcome)
}

/// Pairs parsed, encoded again and parsed again are the same pairs.
fn pairs_round_trip(body: &[u8]) -> Result<(), String> {
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(body) else {
        return Ok(());
    };
    let encoded = serde_urlencoded::to_string(&pairs)
        .map_err(|e| format!("parsed pairs cannot be encoded again: {e}"))?;
    let again = serde_urlencoded::from_str::<Vec<(String, String)>>(&encoded)
        .map_err(|e| format!("re-encoded pairs do not parse: {e}"))?;
    ensure(again == pairs, || {
        format!("pairs change when encoded again: {pairs:?} became {again:?}")
    })
}
