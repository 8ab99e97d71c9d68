//! The OpenAPI document of `/api/v1`, served at `/api/openapi.json`, with the problem answers
//! that operations share because of how a request is read rather than what the operation does.
//!
//! Each `#[utoipa::path]` lists the answers of its own logic (200, 409, 422, 429, …). The rules
//! here add what every operation of a kind can answer, all as `ApiError` JSON:
//! - every operation but the document's own: 400 (a body, query or path that cannot be read)
//!   and 503 (database down);
//! - with a request body: 413 (body over its limit);
//! - with a path parameter: 404 (nothing with that id or code, or not visible to the account);
//! - behind the staff token: 401 (no, expired or ended session) and, unless any signed-in
//!   account may call it, 403 (the account's role may not do this).
//!
//! Every answer with one of these statuses, listed by an operation or added here, refers to one
//! shared response in `components.responses`, so they are described in one place.

use actix_web::http::StatusCode;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Operations any signed-in account may call, whatever its role: they never answer 403.
const ANY_ACCOUNT: [&str; 2] = ["logout", "put_password"];

/// The operation serving this document from memory: it shares none of the answers.
const THE_DOCUMENT: &str = "openapi_document";

/// The problem answers shared by many operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shared {
    /// 400.
    BadRequest,
    /// 401.
    Unauthorized,
    /// 403.
    Forbidden,
    /// 404.
    NotFound,
    /// 413.
    PayloadTooLarge,
    /// 429.
    TooManyRequests,
    /// 503.
    Unavailable,
}

impl Shared {
    /// Every shared answer.
    pub const ALL: [Shared; 7] = [
        Shared::BadRequest,
        Shared::Unauthorized,
        Shared::Forbidden,
        Shared::NotFound,
        Shared::PayloadTooLarge,
        Shared::TooManyRequests,
        Shared::Unavailable,
    ];

    /// The answer's name in `components.responses`.
    pub fn name(self) -> &'static str {
        match self {
            Shared::BadRequest => "BadRequest",
            Shared::Unauthorized => "Unauthorized",
            Shared::Forbidden => "Forbidden",
            Shared::NotFound => "NotFound",
            Shared::PayloadTooLarge => "PayloadTooLarge",
            Shared::TooManyRequests => "TooManyRequests",
            Shared::Unavailable => "Unavailable",
        }
    }

    /// Its HTTP status.
    pub fn status(self) -> StatusCode {
        match self {
            Shared::BadRequest => StatusCode::BAD_REQUEST,
            Shared::Unauthorized => StatusCode::UNAUTHORIZED,
            Shared::Forbidden => StatusCode::FORBIDDEN,
            Shared::NotFound => StatusCode::NOT_FOUND,
            Shared::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Shared::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Shared::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The shared answer with this status, if there is one.
    pub fn for_status(status: &str) -> Option<Shared> {
        Shared::ALL
            .into_iter()
            .find(|s| s.status().as_str() == status)
    }

    fn description(self) -> &'static str {
        match self {
            Shared::BadRequest => {
                "`bad_request`: the request could not be read: a body that is not the JSON (or \
                 form) described, of another content type, or a query parameter of the wrong type."
            }
            Shared::Unauthorized => {
                "`unauthorized` (or `login_failed` when signing in): no bearer token, or one \
                 whose session expired or ended."
            }
            Shared::Forbidden => "`forbidden`: the account's role may not do this.",
            Shared::NotFound => {
                "Nothing with this id or code, or nothing the account may see (`not_found`, \
                 `box_not_found`, `receipt_unknown`, …)."
            }
            Shared::PayloadTooLarge => {
                "The body is over its limit (`body_too_large`: 16 KB of JSON; photos and \
                 imports have their own limits)."
            }
            Shared::TooManyRequests => {
                "`too_many_requests`: too many requests from this address; try again after \
                 `Retry-After` seconds."
            }
            Shared::Unavailable => {
                "`unavailable`: the database does not answer; `storage_full`: the server's \
                 storage is full and nothing was saved. Try again later."
            }
        }
    }

    /// The response object: an `ApiError` body (and `Retry-After` for 429).
    fn response(self) -> Response {
        let body = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ApiError")))
            .build();
        let mut response = ResponseBuilder::new()
            .description(self.description())
            .content("application/json", body);
        if self == Shared::TooManyRequests {
            let seconds = ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .build();
            response = response.header(
                "Retry-After",
                HeaderBuilder::new()
                    .schema(Some(seconds))
                    .description(Some("Seconds to wait before trying again."))
                    .build(),
            );
        }
        response.build()
    }
}

/// Completes the document read from the registration: the bearer scheme and the shared answers.
pub fn complete(mut doc: OpenApi) -> OpenApi {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "staff_jwt",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .build(),
        ),
    );
    for shared in Shared::ALL {
        components
            .responses
            .insert(shared.name().to_string(), RefOr::T(shared.response()));
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_shared_answers(path, operation);
        }
    }
    doc
}

/// The shared answers an operation can give, by the rules in the module's documentation.
fn shared_answers(path: &str, operation: &Operation) -> Vec<Shared> {
    if operation.operation_id.as_deref() == Some(THE_DOCUMENT) {
        return Vec::new();
    }
    let mut answers = vec![Shared::BadRequest, Shared::Unavailable];
    if operation.request_body.is_some() {
        answers.push(Shared::PayloadTooLarge);
    }
    if path.contains('{') {
        answers.push(Shared::NotFound);
    }
    if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
        answers.push(Shared::Unauthorized);
        let id = operation.operation_id.as_deref().unwrap_or_default();
        if !ANY_ACCOUNT.contains(&id) {
            answers.push(Shared::Forbidden);
        }
    }
    answers
}

/// Adds the shared answers, points every answer with a shared status at the shared response,
/// and gives the others their status's reason phrase when they have no description.
fn add_shared_answers(path: &str, operation: &mut Operation) {
    let shared_here = shared_answers(path, operation);
    let responses = &mut operation.responses.responses;
    for shared in shared_here {
        responses
            .entry(shared.status().as_str().to_string())
            .or_insert_with(|| RefOr::T(Response::default()));
    }
    for (status, response) in responses.iter_mut() {
        if let Some(shared) = Shared::for_status(status) {
            *response = RefOr::Ref(Ref::from_response_name(shared.name()));
        } else if let RefOr::T(own) = response
            && own.description.is_empty()
        {
            let reason = status
                .parse::<u16>()
                .ok()
                .and_then(|s| StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Answer");
            own.description = reason.to_string();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::api::document;

    fn operations(doc: &OpenApi) -> Vec<(String, &Operation)> {
        doc.paths
            .paths
            .iter()
            .flat_map(|(path, item)| {
                [&item.get, &item.put, &item.post, &item.delete, &item.patch]
                    .into_iter()
                    .flatten()
                    .map(move |op| (path.clone(), op))
            })
            .collect()
    }

    #[test]
    fn every_operation_has_the_shared_answers_and_every_answer_a_description() {
        let doc = document();
        let ops = operations(&doc);
        assert!(ops.len() > 50, "only {} operations", ops.len());
        for (path, op) in ops {
            let responses = &op.responses.responses;
            if op.operation_id.as_deref() == Some(THE_DOCUMENT) {
                assert_eq!(responses.keys().collect::<Vec<_>>(), ["200"]);
                continue;
            }
            for status in ["400", "503"] {
                assert!(responses.contains_key(status), "{path}: no {status}");
            }
            if op.security.is_some() {
                assert!(responses.contains_key("401"), "{path}: no 401");
            }
            for (status, response) in responses {
                match response {
                    RefOr::Ref(r) => assert!(
                        r.ref_location.ends_with(
                            Shared::for_status(status)
                                .map(Shared::name)
                                .unwrap_or("no shared answer")
                        )
                    ),
                    RefOr::T(own) => {
                        assert!(!own.description.is_empty(), "{path} {status}");
                        assert!(Shared::for_status(status).is_none(), "{path} {status}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_operations_any_account_may_call_exist() {
        let doc = document();
        let ids: Vec<_> = operations(&doc)
            .into_iter()
            .filter_map(|(_, op)| op.operation_id.clone())
            .collect();
        for id in ANY_ACCOUNT {
            assert!(ids.iter().any(|i| i == id), "no operation {id}");
        }
    }

    /// The schemas come from the registration: every one an operation refers to is there.
    #[test]
    fn every_schema_referred_to_is_in_the_document() {
        let json = serde_json::to_string(&document()).expect("the document is JSON");
        let doc = document();
        let schemas = &doc.components.as_ref().expect("components").schemas;
        let prefix = "#/components/schemas/";
        let mut referred = 0;
        for (at, _) in json.match_indices(prefix) {
            let name: String = json[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert!(
                schemas.contains_key(&name),
                "{name} is referred to but missing"
            );
            referred += 1;
        }
        assert!(referred > 100, "only {referred} references");
    }

    #[test]
    fn the_document_is_json() {
        let json = serde_json::to_value(document()).expect("the document is JSON");
        assert_eq!(
            json["components"]["responses"]["TooManyRequests"]["headers"]["Retry-After"]["schema"]
                ["type"],
            "integer"
        );
    }
}
