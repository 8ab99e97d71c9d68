//! Hostile input comes back inert (issue 16, point 1). Text built to break out of every HTML
//! context is typed into every field a person can fill — the resident forms, and the staff pages
//! through their real forms — and every page that shows it is opened, on every refill path (the
//! confirmation step and each 4xx re-render). Each answer is parsed as a browser parses it
//! (html5ever) and must hold no script, event handler, element or `javascript:` address made
//! from what was typed; every `<textarea>` must hold exactly what was typed, every `<title>`
//! exactly what is expected, and every island's `data-props` must be JSON holding the text as
//! typed.
//!
//! Each payload starts with a marker, `⚑` and a number unique within the test, so that whatever
//! comes back broken is traced to the field it was typed into.

use crate::common;

use std::cell::RefCell;

use common::TestApp;
use common::appraisal::{all_rated, local};
use mashangshuo::domain::day::{day_of_unix, today, unix_now};
use scraper::{ElementRef, Html, Node, Selector};
use vocabulary::appraisal::{ItemKind, Questionnaire, answer_field};
use vocabulary::i18n::{Lang, Texts};

// ---------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------

/// Starts every payload, followed by two digits.
const MARK: char = '⚑';

/// What a payload is built to break, sized for the field it goes into.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Every attack at once (at most 200 characters): a `</textarea>` break-out with a script,
    /// double- and single-quoted attribute break-outs with event handlers, `</title>`,
    /// `</script>`, `<!--`, `]]>`, `{{…}}`, U+2028 and text that is already escaped.
    Full,
    /// At most 100 characters (titles): `</title>`, `</textarea>`, a script, an attribute
    /// break-out and escaped text.
    Medium,
    /// At most 36 characters without `/` (unit, group, box, post and display names).
    NoSlash,
    /// At most 20 characters without `/` (person and contact names).
    Short,
    /// A `javascript:` address.
    JsUrl,
    /// A `</textarea>` break-out followed by this many characters, past a length limit.
    Long(usize),
}

/// A payload and the field it was typed into.
struct Planted {
    field: String,
    text: String,
}

/// Every payload of one test, by marker number (from 10).
#[derive(Default)]
struct Payloads(RefCell<Vec<Planted>>);

impl Payloads {
    /// A new payload of `shape` for `field` (as failure messages name it), then `suffix`.
    fn plant(&self, field: &str, shape: Shape, suffix: &str) -> String {
        let mut all = self.0.borrow_mut();
        let n = all.len() + 10;
        assert!(n < 100, "markers have two digits");
        let m = format!("{MARK}{n}");
        let body = match shape {
            Shape::Full => format!(
                "{m}</textarea><script>window.__mss_xss={n}</script>\"><img src=x onerror=__mss_xss({n})>'><svg onload=__mss_xss({n})></title></script><script>__mss_xss({n})</script><!--]]>{{{{{n}}}}}\u{2028}&lt;script&gt;"
            ),
            Shape::Medium => format!(
                "{m}</title></textarea><script>__mss_xss({n})</script>\"'><img src=x onerror=__mss_xss({n})>&lt;"
            ),
            Shape::NoSlash => format!("{m}\"'><svg onload=__mss_xss({n})>&lt;"),
            Shape::Short => format!("{m}\"'><svg onload=_>"),
            Shape::JsUrl => format!("javascript:__mss_xss({n})//{m}"),
            Shape::Long(len) => format!(
                "{m}</textarea><script>__mss_xss({n})</script>{}",
                "长".repeat(len)
            ),
        };
        let limit = match shape {
            Shape::Full => 200,
            Shape::Medium => 100,
            Shape::NoSlash => 36,
            Shape::Short => 20,
            Shape::JsUrl => 60,
            Shape::Long(_) => usize::MAX,
        };
        assert!(body.chars().count() <= limit, "{shape:?} fits: {body}");
        let text = body + suffix;
        all.push(Planted {
            field: field.to_string(),
            text: text.clone(),
        });
        text
    }

    /// The field a payload with marker number `n` was typed into, and the payload.
    fn get(&self, n: usize) -> Option<(String, String)> {
        let all = self.0.borrow();
        let p = all.get(n.checked_sub(10)?)?;
        Some((p.field.clone(), p.text.clone()))
    }

    /// The field `text` was typed into, when it is a payload.
    fn field_of(&self, text: &str) -> String {
        let all = self.0.borrow();
        all.iter()
            .find(|p| p.text == text)
            .map_or_else(|| "?".to_string(), |p| p.field.clone())
    }

    /// Whether `text` is exactly one of the payloads.
    fn is_payload(&self, text: &str) -> bool {
        self.0.borrow().iter().any(|p| p.text == text)
    }
}

/// The marker numbers in `text`, with their byte offsets.
fn markers(text: &str) -> Vec<(usize, usize)> {
    text.match_indices(MARK)
        .filter_map(|(i, _)| {
            let start = i + MARK.len_utf8();
            let digits = text.as_bytes().get(start..start + 2)?;
            digits
                .iter()
                .all(u8::is_ascii_digit)
                .then(|| (i, usize::from((digits[0] - b'0') * 10 + (digits[1] - b'0'))))
        })
        .collect()
}

/// Whether `text` holds anything of a payload that should never run or be markup.
fn tainted(text: &str) -> bool {
    text.contains(MARK) || text.contains("__mss_xss")
}

/// A short, printable excerpt.
fn snippet(text: &str) -> String {
    let cut: String = text.chars().take(90).collect();
    if cut.len() < text.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

// ---------------------------------------------------------------------------------------------
// Requests and the people who send them
// ---------------------------------------------------------------------------------------------

/// What a request carries.
enum Body {
    None,
    Form(Vec<(String, String)>),
    /// Text fields and files (field name, bytes).
    Multipart(Vec<(String, String)>, Vec<(String, Vec<u8>)>),
}

/// One request: a GET (with a query) or a POST.
struct Request {
    path: String,
    query: Vec<(String, String)>,
    body: Body,
}

/// Owned name–value pairs.
fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// `GET path`.
fn get(path: &str) -> Request {
    Request {
        path: path.to_string(),
        query: Vec::new(),
        body: Body::None,
    }
}

/// `GET path?query`.
fn get_with(path: &str, query: &[(&str, &str)]) -> Request {
    Request {
        query: pairs(query),
        ..get(path)
    }
}

/// `POST path`, urlencoded.
fn post(path: &str, fields: &[(&str, &str)]) -> Request {
    Request {
        body: Body::Form(pairs(fields)),
        ..get(path)
    }
}

/// `POST path`, urlencoded, from owned fields.
fn post_owned(path: &str, fields: Vec<(String, String)>) -> Request {
    Request {
        body: Body::Form(fields),
        ..get(path)
    }
}

/// `POST path` as `multipart/form-data`, with files.
fn multipart(path: &str, fields: Vec<(String, String)>, files: &[(&str, &[u8])]) -> Request {
    let files = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect();
    Request {
        body: Body::Multipart(fields, files),
        ..get(path)
    }
}

impl Request {
    /// `GET /path` or `POST /path`, for messages.
    fn describe(&self) -> String {
        let method = match self.body {
            Body::None => "GET",
            _ => "POST",
        };
        let query = if self.query.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = self.query.iter().map(|(k, _)| k.as_str()).collect();
            format!("?{}=…", names.join("=…&"))
        };
        format!("{method} {}{query}", self.path)
    }
}

/// A browser: a resident's phone (no cookies) or a signed-in staff member with the CSRF token.
struct Session {
    who: String,
    client: reqwest::Client,
    csrf: Option<String>,
}

/// What came back.
struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Session {
    /// A villager's phone.
    fn resident() -> Session {
        Session {
            who: "a resident".into(),
            client: common::appraisal::phone(),
            csrf: None,
        }
    }

    /// Signs in through the sign-in form and reads the session's CSRF token.
    async fn staff(app: &TestApp, who: &str, username: &str, password: &str) -> Session {
        let client = app.signed_in_client(username, password).await;
        let mut session = Session {
            who: who.to_string(),
            client,
            csrf: None,
        };
        let page = session.send(app, &get("/staff/password")).await;
        session.csrf = Some(common::csrf_in(&page.body));
        session
    }

    /// Sends `request`; staff POSTs carry the CSRF token.
    async fn send(&self, app: &TestApp, request: &Request) -> Answer {
        let url = app.url(&request.path);
        let mut fields = match &request.body {
            Body::Form(f) | Body::Multipart(f, _) => f.clone(),
            Body::None => Vec::new(),
        };
        if let Some(csrf) = &self.csrf
            && !fields.iter().any(|(k, _)| k == "csrf")
        {
            fields.push(("csrf".into(), csrf.clone()));
        }
        // A box form carries the token its page handed out, as a browser's would.
        if let Some(code) = request.path.strip_prefix("/b/")
            && !matches!(request.body, Body::None)
            && !fields.iter().any(|(k, _)| k == "box_token")
        {
            let page = self
                .client
                .get(app.url(&format!("/b/{code}")))
                .send()
                .await
                .expect("box page")
                .text()
                .await
                .expect("box page body");
            if let Some(token) = common::box_token_in(&page) {
                fields.push(("box_token".into(), token));
            }
        }
        let builder = match &request.body {
            Body::None => self.client.get(&url).query(&request.query),
            Body::Form(_) => self.client.post(&url).form(&fields),
            Body::Multipart(_, files) => {
                let mut form = reqwest::multipart::Form::new();
                for (k, v) in fields {
                    form = form.text(k, v);
                }
                for (k, bytes) in files {
                    let (name, mime) = match k.as_str() {
                        "photo" => ("photo.jpg", "image/jpeg"),
                        _ => ("upload.csv", "text/csv"),
                    };
                    let part = reqwest::multipart::Part::bytes(bytes.clone())
                        .file_name(name)
                        .mime_str(mime)
                        .expect("mime");
                    form = form.part(k.clone(), part);
                }
                self.client.post(&url).multipart(form)
            }
        };
        let response = builder.send().await.expect("request");
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(|l| l.split('?').next().unwrap_or_default().to_string());
        let body = response.text().await.expect("body");
        Answer {
            status,
            location,
            body,
        }
    }

    async fn page(&self, app: &TestApp, path: &str) -> String {
        let answer = self.send(app, &get(path)).await;
        assert_eq!(answer.status, 200, "GET {path} as {}", self.who);
        answer.body
    }

    /// Posts a form that must succeed with a redirect; returns where it leads (without query).
    async fn redirect(&self, app: &TestApp, path: &str, fields: &[(&str, &str)]) -> String {
        let answer = self.send(app, &post(path, fields)).await;
        assert_eq!(
            answer.status,
            303,
            "POST {path} as {}: {}",
            self.who,
            page_error(&answer.body)
        );
        answer.location.expect("location")
    }
}

/// The error message on a refused page, for assertion messages.
fn page_error(html: &str) -> String {
    texts(html, "[role=alert], .error").join(" / ")
}

// ---------------------------------------------------------------------------------------------
// Reading pages
// ---------------------------------------------------------------------------------------------

/// A CSS selector.
fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("selector")
}

/// The text of every element matching `css`.
fn texts(html: &str, css: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&selector(css))
        .map(|e| e.text().collect::<String>())
        .collect()
}

/// The `attr` of every element matching `css`.
fn attrs(html: &str, css: &str, attr: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&selector(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The options of the `<select>` matching `css`: (value, label without indentation).
fn options(html: &str, css: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    let select = doc.select(&selector(css)).next().expect("select");
    select
        .select(&selector("option"))
        .map(|o| {
            let label: String = o.text().collect();
            (
                o.value().attr("value").unwrap_or_default().to_string(),
                label.trim_start_matches('\u{3000}').to_string(),
            )
        })
        .collect()
}

/// The value of the option labelled `label` (or starting with it).
fn option_for(html: &str, css: &str, label: &str) -> String {
    options(html, css)
        .into_iter()
        .find(|(_, l)| l.starts_with(label))
        .map(|(v, _)| v)
        .unwrap_or_else(|| panic!("an option {label} in {css}"))
}

/// The last path segment (an id).
fn last_segment(path: &str) -> String {
    path.rsplit('/').next().expect("segment").to_string()
}

// ---------------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------------

/// Where typed text must come back.
enum Want {
    /// Whole, as the text of an element or an attribute's value.
    Shown,
    /// As the whole text of the `<textarea name=…>`.
    TextArea(String),
    /// As the whole `value` of the `<input name=…>`.
    Value(String),
    /// In an island's `data-props`, whole inside one string.
    Props,
}

/// One piece of typed text that must come back.
struct Expect {
    want: Want,
    text: String,
}

fn shown(text: &str) -> Expect {
    Expect {
        want: Want::Shown,
        text: text.to_string(),
    }
}

fn textarea(name: &str, text: &str) -> Expect {
    Expect {
        want: Want::TextArea(name.to_string()),
        text: text.to_string(),
    }
}

fn value(name: &str, text: &str) -> Expect {
    Expect {
        want: Want::Value(name.to_string()),
        text: text.to_string(),
    }
}

fn props(text: &str) -> Expect {
    Expect {
        want: Want::Props,
        text: text.to_string(),
    }
}

/// A page to open, who opens it and what must be on it.
struct Case<'a> {
    page: &'static str,
    who: &'a Session,
    request: Request,
    /// The statuses that are right (a refill is 413 or 422).
    status: &'static [u16],
    /// The exact `<title>`, when it holds typed text.
    title: Option<String>,
    expect: Vec<Expect>,
}

impl<'a> Case<'a> {
    fn new(page: &'static str, who: &'a Session, request: Request, status: &'static [u16]) -> Self {
        Case {
            page,
            who,
            request,
            status,
            title: None,
            expect: Vec::new(),
        }
    }

    fn title(mut self, title: String) -> Self {
        self.title = Some(title);
        self
    }

    fn expect(mut self, expect: Vec<Expect>) -> Self {
        self.expect = expect;
        self
    }
}

/// Element names that must never carry typed text in an attribute.
const ACTIVE_ELEMENTS: [&str; 17] = [
    "script", "img", "svg", "iframe", "object", "embed", "frame", "frameset", "math", "base",
    "link", "meta", "style", "video", "audio", "source", "image",
];

/// Attributes holding an address.
const URL_ATTRIBUTES: [&str; 7] = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
];

/// Runs the cases; prints one line per case and returns every problem found.
async fn run(app: &TestApp, payloads: &Payloads, cases: Vec<Case<'_>>) -> Vec<String> {
    let mut all = Vec::new();
    for case in cases {
        let answer = case.who.send(app, &case.request).await;
        let mut problems = Vec::new();
        if !case.status.contains(&answer.status) {
            problems.push(format!(
                "status {} (expected {:?}) {}",
                answer.status,
                case.status,
                page_error(&answer.body)
            ));
        }
        problems.extend(inspect(&answer.body, payloads));
        problems.extend(expectations(&answer.body, payloads, &case));
        let place = format!(
            "{} ({} as {})",
            case.page,
            case.request.describe(),
            case.who.who
        );
        if problems.is_empty() {
            println!("ok    {place}");
        } else {
            println!("FAIL  {place}: {} problem(s)", problems.len());
            all.extend(problems.into_iter().map(|p| format!("{place}: {p}")));
        }
    }
    all
}

/// What a browser would run or show wrongly, whatever the page: event handlers, attributes or
/// elements made of typed text, `javascript:` addresses, scripts holding typed text, typed text
/// cut by markup, comments opened by typed text, textareas not holding what was typed, and
/// islands' props that are not JSON.
fn inspect(html: &str, payloads: &Payloads) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Element(el) => {
                let tag = el.name();
                for (name, value) in el.attrs() {
                    let lower = name.to_ascii_lowercase();
                    if lower.starts_with("on") {
                        found.push(format!(
                            "<{tag}> carries the event handler {name}={}{}",
                            snippet(value),
                            blame(value, payloads)
                        ));
                    }
                    if !name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c))
                        || tainted(name)
                    {
                        found.push(format!(
                            "<{tag}> has an attribute named {name:?}: typed text became markup"
                        ));
                    }
                    if URL_ATTRIBUTES.contains(&lower.as_str())
                        && value
                            .trim_start()
                            .to_ascii_lowercase()
                            .starts_with("javascript:")
                    {
                        found.push(format!(
                            "<{tag} {name}={}> is a javascript: address{}",
                            snippet(value),
                            blame(value, payloads)
                        ));
                    }
                    if ACTIVE_ELEMENTS.contains(&tag) && tainted(value) {
                        found.push(format!(
                            "<{tag} {name}={}> is an element made of typed text{}",
                            snippet(value),
                            blame(value, payloads)
                        ));
                    }
                    if name == "data-props" {
                        found.extend(island_props(tag, value, payloads).err());
                    } else {
                        found.extend(whole_or_cut(value, payloads, &format!("<{tag} {name}>")));
                    }
                }
                let element = ElementRef::wrap(node).expect("an element");
                if tag == "script" {
                    let code: String = element.text().collect();
                    if tainted(&code) {
                        found.push(format!(
                            "a <script> runs typed text: {}{}",
                            snippet(&code),
                            blame(&code, payloads)
                        ));
                    }
                }
                if tag == "textarea" {
                    let shown: String = element.text().collect();
                    if shown.contains(MARK) && !payloads.is_payload(&shown) {
                        found.push(format!(
                            "<textarea name={:?}> holds {} instead of what was typed{}",
                            el.attr("name").unwrap_or_default(),
                            snippet(&shown),
                            blame(&shown, payloads)
                        ));
                    }
                }
            }
            Node::Text(text) => {
                let parent = node
                    .parent()
                    .and_then(|p| p.value().as_element().map(|e| e.name().to_string()))
                    .unwrap_or_default();
                found.extend(whole_or_cut(text, payloads, &format!("text in <{parent}>")));
            }
            Node::Comment(comment) if tainted(comment) => {
                found.push(format!(
                    "typed text opened an HTML comment: {}{}",
                    snippet(comment),
                    blame(comment, payloads)
                ));
            }
            _ => {}
        }
    }
    found
}

/// " (typed into FIELD)" for the first payload marker or script call in `text`.
fn blame(text: &str, payloads: &Payloads) -> String {
    let by_marker = markers(text).first().map(|&(_, n)| n);
    let by_call = text.find("__mss_xss").and_then(|i| {
        let digits: String = text[i..]
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    });
    match by_marker.or(by_call).and_then(|n: usize| payloads.get(n)) {
        Some((field, _)) => format!(" (typed into {field})"),
        None => String::new(),
    }
}

/// Each payload marker in `text` must start the whole payload, or a part of it cut with `…`
/// (an excerpt): anything else means markup split what was typed.
fn whole_or_cut(text: &str, payloads: &Payloads, place: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, n) in markers(text) {
        let Some((field, typed)) = payloads.get(n) else {
            found.push(format!("{place}: unknown marker {n}"));
            continue;
        };
        let offset = typed.find(MARK).expect("a payload has its marker");
        let intact = at
            .checked_sub(offset)
            .filter(|s| text.is_char_boundary(*s))
            .is_some_and(|s| {
                let rest = &text[s..];
                rest.starts_with(&typed)
                    || rest
                        .find('…')
                        .is_some_and(|cut| cut > offset && typed.starts_with(&rest[..cut]))
            });
        if !intact {
            found.push(format!(
                "{place} shows {} — the text typed into {field} was split by markup",
                snippet(&text[at..])
            ));
        }
    }
    found
}

/// An island's `data-props` must be JSON whose strings hold typed text whole.
fn island_props(tag: &str, json: &str, payloads: &Payloads) -> Result<(), String> {
    let parsed: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| format!("<{tag} data-props> is not JSON ({e}): {}", snippet(json)))?;
    let mut strings = Vec::new();
    json_strings(&parsed, &mut strings);
    let broken: Vec<String> = strings
        .iter()
        .flat_map(|s| whole_or_cut(s, payloads, &format!("<{tag} data-props>")))
        .collect();
    if broken.is_empty() {
        Ok(())
    } else {
        Err(broken.join("; "))
    }
}

/// Every string (and key) in a JSON value.
fn json_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                json_strings(v, out);
            }
        }
        _ => {}
    }
}

/// The case's own expectations: the typed text is there, in the right place, whole.
fn expectations(html: &str, payloads: &Payloads, case: &Case<'_>) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut found = Vec::new();
    if let Some(want) = &case.title {
        let titles: Vec<String> = doc
            .select(&selector("title"))
            .map(|t| t.text().collect())
            .collect();
        if titles.len() != 1 || &titles[0] != want {
            found.push(format!(
                "<title> is {:?}, expected {}",
                titles.iter().map(|t| snippet(t)).collect::<Vec<_>>(),
                snippet(want)
            ));
        }
    }
    let mut shown_strings: Vec<String> = Vec::new();
    let mut prop_strings: Vec<String> = Vec::new();
    for node in doc.tree.nodes() {
        match node.value() {
            Node::Text(t) => shown_strings.push(t.to_string()),
            Node::Element(el) => {
                for (name, value) in el.attrs() {
                    if name == "data-props" {
                        if let Ok(v) = serde_json::from_str(value) {
                            json_strings(&v, &mut prop_strings);
                        }
                    } else {
                        shown_strings.push(value.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    for e in &case.expect {
        let field = payloads.field_of(&e.text);
        match &e.want {
            Want::Shown => {
                if !shown_strings.iter().any(|s| s.contains(&e.text)) {
                    found.push(format!(
                        "the text typed into {field} is not shown whole: {}",
                        snippet(&e.text)
                    ));
                }
            }
            Want::TextArea(name) => {
                let areas: Vec<String> = doc
                    .select(&selector("textarea"))
                    .filter(|a| a.value().attr("name") == Some(name.as_str()))
                    .map(|a| a.text().collect())
                    .collect();
                if !areas.iter().any(|a| a == &e.text) {
                    found.push(format!(
                        "<textarea name={name:?}> should hold what was typed into {field}, \
                         holds {:?}",
                        areas.iter().map(|a| snippet(a)).collect::<Vec<_>>()
                    ));
                }
            }
            Want::Value(name) => {
                let values: Vec<String> = doc
                    .select(&selector("input"))
                    .filter(|i| i.value().attr("name") == Some(name.as_str()))
                    .map(|i| i.value().attr("value").unwrap_or_default().to_string())
                    .collect();
                if !values.iter().any(|v| v == &e.text) {
                    found.push(format!(
                        "<input name={name:?}> should have the value typed into {field}, has {:?}",
                        values.iter().map(|v| snippet(v)).collect::<Vec<_>>()
                    ));
                }
            }
            Want::Props => {
                if !prop_strings.iter().any(|s| s.contains(&e.text)) {
                    found.push(format!(
                        "no island's data-props holds the text typed into {field} whole"
                    ));
                }
            }
        }
    }
    found
}

/// Fails with every problem, one per line.
fn assert_inert(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// "{title} · 码上说", as the shell writes it.
fn shell_title(t: &Texts, title: &str) -> String {
    format!("{title} · {}", t.common.app_name)
}

/// The fields of the box form: a suggestion, anonymous, unless `fields` say otherwise.
fn box_form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all = pairs(&[
        ("category", "suggestion"),
        ("identity", ""),
        ("contact_name", ""),
        ("contact_phone", ""),
        ("about", ""),
        ("submission_key", ""),
    ]);
    for (k, v) in fields {
        match all.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => all.push((k.to_string(), v.to_string())),
        }
    }
    all
}

/// A JPEG that is not one.
const NOT_A_PHOTO: &[u8] = b"\xff\xd8\xff\xe0 this is not a photo";

// ---------------------------------------------------------------------------------------------
// The resident's forms
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn the_resident_forms_give_back_hostile_text_inert_on_every_refill() {
    let app = TestApp::spawn().await;
    let p = Payloads::default();
    let t = Lang::Zh.t();
    let phone = Session::resident();
    let box_path = app.box_path(0);
    let box_title = shell_title(t, &app.demo.boxes[0].name);
    let (status, form) = app.get_text(&box_path).await;
    assert_eq!(status, 200);
    let target = options(&form, "select#about")
        .into_iter()
        .map(|(v, _)| v)
        .find(|v| v.starts_with("person:"))
        .expect("a person to name");

    // The confirmation step: an address and a name in the text.
    let confirm_text = p.plant(
        "box form: text (confirmation step)",
        Shape::Full,
        " 我家在李家村3组15号，张建国知道这事。",
    );
    let confirm_name = p.plant(
        "box form: contact name (confirmation step)",
        Shape::Short,
        "",
    );
    let confirm_phone = p.plant(
        "box form: contact phone (confirmation step)",
        Shape::Medium,
        "",
    );
    let confirm_about = p.plant("box form: about (confirmation step)", Shape::Full, "");
    let confirm_key = p.plant("box form: submission key", Shape::Short, "");
    let confirming = box_form(&[
        ("text", &confirm_text),
        ("identity", "named"),
        ("contact_name", &confirm_name),
        ("contact_phone", &confirm_phone),
        ("about", &confirm_about),
        ("escalate", "1"),
        ("submission_key", &confirm_key),
    ]);
    // Unknown category.
    let category = p.plant("box form: category", Shape::Medium, "");
    let category_text = p.plant("box form: text (unknown category)", Shape::Full, "");
    let category_name = p.plant(
        "box form: contact name (unknown category)",
        Shape::Short,
        "",
    );
    let category_phone = p.plant(
        "box form: contact phone (unknown category)",
        Shape::Full,
        "",
    );
    let bad_category = box_form(&[
        ("confirmed", "1"),
        ("category", &category),
        ("text", &category_text),
        ("identity", "named"),
        ("contact_name", &category_name),
        ("contact_phone", &category_phone),
    ]);
    // Too long.
    let long_text = p.plant("box form: text (too long)", Shape::Long(2001), "");
    let too_long = box_form(&[("confirmed", "1"), ("text", &long_text)]);
    // A name longer than 20 characters.
    let name_text = p.plant("box form: text (bad contact name)", Shape::Full, "");
    let long_name = p.plant("box form: contact name (too long)", Shape::Medium, "");
    let bad_name = box_form(&[
        ("confirmed", "1"),
        ("text", &name_text),
        ("identity", "named"),
        ("contact_name", &long_name),
        ("contact_phone", "13812345678"),
    ]);
    // A phone that is not one.
    let phone_text = p.plant("box form: text (bad phone)", Shape::Full, "");
    let phone_name = p.plant("box form: contact name (bad phone)", Shape::Short, "");
    let bad_phone_number = p.plant("box form: contact phone (bad)", Shape::Full, "");
    let bad_phone = box_form(&[
        ("confirmed", "1"),
        ("text", &phone_text),
        ("identity", "named"),
        ("contact_name", &phone_name),
        ("contact_phone", &bad_phone_number),
    ]);
    // Whom it is about, made up.
    let about_text = p.plant("box form: text (unknown target)", Shape::Full, "");
    let bad_about = p.plant("box form: about (unknown target)", Shape::Full, "");
    let unknown_target = box_form(&[
        ("confirmed", "1"),
        ("text", &about_text),
        ("about", &bad_about),
    ]);
    // A made-up submission key.
    let key_text = p.plant("box form: text (bad submission key)", Shape::Full, "");
    let bad_key = p.plant("box form: submission key (bad)", Shape::Medium, "");
    let bad_submission_key = box_form(&[
        ("confirmed", "1"),
        ("text", &key_text),
        ("submission_key", &bad_key),
    ]);
    // A photo that is not one, sent as the page sends it (multipart).
    let photo_text = p.plant("box form: text (unreadable photo)", Shape::Full, "");
    let photo_name = p.plant(
        "box form: contact name (unreadable photo)",
        Shape::Short,
        "",
    );
    let bad_photo = box_form(&[
        ("confirmed", "1"),
        ("text", &photo_text),
        ("identity", "named"),
        ("contact_name", &photo_name),
        ("contact_phone", "13812345678"),
    ]);
    // Sent.
    let sent_text = p.plant("box form: text (sent)", Shape::Full, "");
    let sent = box_form(&[("confirmed", "1"), ("text", &sent_text), ("about", &target)]);

    // The appraisal forms: an open round and a slip round of the demo group.
    let token = app.api_login().await;
    let (_, overview) = app.staff_get(&token, "/api/v1/staff/appraisal").await;
    let subjects: Vec<String> = overview["units"]
        .as_array()
        .expect("units")
        .iter()
        .take(2)
        .map(|u| u["id"].as_str().expect("id").to_string())
        .collect();
    let closes = day_of_unix(unix_now() + 30 * 86_400);
    let round = common::appraisal::open_round_api(
        &app,
        &token,
        "template:organisation",
        &subjects,
        (&today(), &closes),
    )
    .await;
    let (_, view) = app
        .staff_get(&token, &format!("/api/v1/staff/appraisal/rounds/{round}"))
        .await;
    let poster_form = local(&app, view["public_url"].as_str().expect("public url"));
    let poster_form = poster_form.trim_start_matches(&app.address).to_string();
    let suggestion = |s: &String| answer_field(s, "suggestions");
    let rating = answer_field(&subjects[0], "commitments");

    let missing_first = p.plant(
        "appraisal poster form: suggestions (ratings missing)",
        Shape::Full,
        "",
    );
    let missing_second = p.plant("appraisal poster form: second suggestions", Shape::Full, "");
    let bad_rating = p.plant("appraisal poster form: a rating", Shape::Medium, "");
    let incomplete = vec![
        (suggestion(&subjects[0]), missing_first.clone()),
        (suggestion(&subjects[1]), missing_second.clone()),
        (rating.clone(), bad_rating.clone()),
    ];
    let long_answer = p.plant(
        "appraisal poster form: suggestions (too long)",
        Shape::Long(1001),
        "",
    );
    let mut too_long_answer = all_rated(&subjects, "satisfied");
    too_long_answer.push((suggestion(&subjects[0]), long_answer.clone()));
    let change_key = p.plant("appraisal change form: change key", Shape::Full, "");
    let change_text = p.plant("appraisal change form: suggestions", Shape::Full, "");
    let mut unknown_key = all_rated(&subjects, "satisfied");
    unknown_key.push(("change".into(), change_key.clone()));
    unknown_key.push((suggestion(&subjects[0]), change_text.clone()));
    let answered_text = p.plant("appraisal poster form: suggestions (sent)", Shape::Full, "");
    let mut answered = all_rated(&subjects, "satisfied");
    answered.push((suggestion(&subjects[0]), answered_text));

    let (_, slips) =
        common::appraisal::slip_round_api(&app, &token, "评议卡测试", &subjects, 1).await;
    let slip = local(&app, &slips[0]);
    let slip = slip.trim_start_matches(&app.address).to_string();
    let slip_text = p.plant(
        "appraisal slip form: suggestions (ratings missing)",
        Shape::Full,
        "",
    );
    let slip_incomplete = vec![(suggestion(&subjects[0]), slip_text.clone())];

    let change_path = format!("{poster_form}/change");
    let cases = vec![
        Case::new(
            "box page, confirmation step",
            &phone,
            post_owned(&box_path, confirming.clone()),
            &[200],
        )
        .title(box_title.clone())
        .expect(vec![
            textarea("text", &confirm_text),
            value("contact_name", &confirm_name),
            value("contact_phone", &confirm_phone),
            props(&confirm_text),
            props(&confirm_name),
            props(&confirm_phone),
            props(&confirm_about),
        ]),
        Case::new(
            "box page, unknown category",
            &phone,
            post_owned(&box_path, bad_category.clone()),
            &[422],
        )
        .title(box_title.clone())
        .expect(vec![
            textarea("text", &category_text),
            value("contact_name", &category_name),
            value("contact_phone", &category_phone),
            props(&category),
            props(&category_text),
        ]),
        Case::new(
            "box page, text too long",
            &phone,
            post_owned(&box_path, too_long.clone()),
            &[422],
        )
        .expect(vec![textarea("text", &long_text), props(&long_text)]),
        Case::new(
            "box page, contact name too long",
            &phone,
            post_owned(&box_path, bad_name.clone()),
            &[422],
        )
        .expect(vec![
            textarea("text", &name_text),
            value("contact_name", &long_name),
            props(&long_name),
        ]),
        Case::new(
            "box page, bad phone",
            &phone,
            post_owned(&box_path, bad_phone.clone()),
            &[422],
        )
        .expect(vec![
            textarea("text", &phone_text),
            value("contact_name", &phone_name),
            value("contact_phone", &bad_phone_number),
        ]),
        Case::new(
            "box page, unknown target",
            &phone,
            post_owned(&box_path, unknown_target.clone()),
            &[422],
        )
        .expect(vec![textarea("text", &about_text), props(&bad_about)]),
        Case::new(
            "box page, bad submission key",
            &phone,
            post_owned(&box_path, bad_submission_key.clone()),
            &[422],
        )
        .expect(vec![textarea("text", &key_text)]),
        Case::new(
            "box page, unreadable photo (multipart)",
            &phone,
            multipart(&box_path, bad_photo.clone(), &[("photo", NOT_A_PHOTO)]),
            &[413, 422],
        )
        .expect(vec![
            textarea("text", &photo_text),
            value("contact_name", &photo_name),
        ]),
        Case::new(
            "receipt page",
            &phone,
            post_owned(&box_path, sent.clone()),
            &[200],
        ),
        Case::new(
            "appraisal poster form, ratings missing",
            &phone,
            post_owned(&poster_form, incomplete),
            &[422],
        )
        .expect(vec![
            textarea(&suggestion(&subjects[0]), &missing_first),
            textarea(&suggestion(&subjects[1]), &missing_second),
        ]),
        Case::new(
            "appraisal poster form, suggestion too long",
            &phone,
            post_owned(&poster_form, too_long_answer),
            &[422],
        )
        .expect(vec![textarea(&suggestion(&subjects[0]), &long_answer)]),
        Case::new(
            "appraisal change form, unknown change key",
            &phone,
            post_owned(&change_path, unknown_key),
            &[422],
        )
        .expect(vec![
            value("change", &change_key),
            textarea(&suggestion(&subjects[0]), &change_text),
        ]),
        Case::new(
            "appraisal slip form, ratings missing",
            &phone,
            post_owned(&slip, slip_incomplete),
            &[422],
        )
        .expect(vec![textarea(&suggestion(&subjects[0]), &slip_text)]),
        Case::new(
            "appraisal thank-you page",
            &phone,
            post_owned(&poster_form, answered),
            &[200],
        ),
    ];
    assert_inert(run(&app, &p, cases).await);
}

// ---------------------------------------------------------------------------------------------
// What staff and residents store, shown on the staff pages and the public ones
// ---------------------------------------------------------------------------------------------

#[actix_web::test]
async fn text_typed_on_the_staff_pages_comes_back_inert_wherever_it_is_shown() {
    let app = TestApp::spawn().await;
    let p = Payloads::default();
    let t = Lang::Zh.t();
    let demo = &app.demo;
    let admin = Session::staff(
        &app,
        "the admin",
        &demo.admin.username,
        &demo.admin.password,
    )
    .await;
    let member = Session::staff(
        &app,
        "a member",
        &demo.reviewer.username,
        &demo.reviewer.password,
    )
    .await;
    let auditor = Session::staff(
        &app,
        "the auditor",
        &demo.auditor.username,
        &demo.auditor.password,
    )
    .await;
    let resident = Session::resident();

    // The organisation, named by a hostile admin.
    let units_page = admin.page(&app, "/staff/admin").await;
    let township = option_for(&units_page, "#parent_id", "青山镇");
    let village = option_for(&units_page, "#parent_id", "张家村");
    let unit_name = p.plant("admin: new unit's name", Shape::NoSlash, "");
    admin
        .redirect(
            &app,
            "/staff/admin/units",
            &[
                ("parent_id", &township),
                ("name", &unit_name),
                ("kind", ""),
                ("category", "rural"),
            ],
        )
        .await;
    let person = p.plant("admin: person's name", Shape::Short, "");
    let post_name = p.plant("admin: person's post", Shape::NoSlash, "");
    admin
        .redirect(
            &app,
            "/staff/admin/people",
            &[
                ("unit_id", &township),
                ("name", &person),
                ("post", &post_name),
                ("leader_rank", "township_committee"),
            ],
        )
        .await;
    let accounts_page = admin.page(&app, "/staff/admin/accounts").await;
    let person_id = option_for(&accounts_page, "#person_id", &person);
    let group_name = p.plant("admin: leading group's name", Shape::NoSlash, "");
    admin
        .redirect(
            &app,
            "/staff/admin/groups",
            &[
                ("unit_id", &township),
                ("name", &group_name),
                ("head_person_id", &person_id),
            ],
        )
        .await;
    let accounts_page = admin.page(&app, "/staff/admin/accounts").await;
    let group_id = option_for(&accounts_page, "#group_id", "青山镇");
    let display_name = p.plant("admin: account's display name", Shape::NoSlash, "");
    let created = admin
        .send(
            &app,
            &post(
                "/staff/admin/accounts",
                &[
                    ("username", "hostile.clerk"),
                    ("display_name", &display_name),
                    ("role", "member"),
                    ("group_id", &group_id),
                    ("person_id", &person_id),
                ],
            ),
        )
        .await;
    assert_eq!(created.status, 200, "{}", page_error(&created.body));
    let password = texts(&created.body, "[data-testid=new-password] code")
        .pop()
        .expect("the new password, shown once");
    let box_name = p.plant("admin: box's name", Shape::JsUrl, "");
    admin
        .redirect(
            &app,
            "/staff/boxes",
            &[("unit_id", &village), ("name", &box_name)],
        )
        .await;
    let boxes_page = admin.page(&app, "/staff/boxes").await;
    let doc = Html::parse_document(&boxes_page);
    let row = doc
        .select(&selector("[data-testid=box-row]"))
        .find(|r| r.text().collect::<String>().contains(&box_name))
        .expect("the new box's row");
    let box_url = row
        .select(&selector(".url a"))
        .next()
        .and_then(|a| a.value().attr("href"))
        .expect("box address")
        .to_string();
    let poster_path = row
        .select(&selector(".links a"))
        .filter_map(|a| a.value().attr("href"))
        .find(|h| h.ends_with("/poster"))
        .expect("poster link")
        .to_string();
    drop(doc);
    let box_path = local(&app, &box_url)
        .trim_start_matches(&app.address)
        .to_string();
    let village_name = p.plant("admin: village renamed", Shape::NoSlash, "");
    let township_name = p.plant("admin: township renamed", Shape::NoSlash, "");
    for (unit, name) in [(&village, &village_name), (&township, &township_name)] {
        admin
            .redirect(
                &app,
                "/staff/admin/units/change",
                &[("unit_id", unit), ("name", name), ("parent_id", "")],
            )
            .await;
    }
    // Another member of the group confirms the link to the person (four eyes).
    app.confirm_username("hostile.clerk").await;
    let clerk = Session::staff(&app, "the clerk", "hostile.clerk", &password).await;

    // Opinions to the new box, one with a contact and a target.
    let opinion_text = p.plant("box form: text (stored)", Shape::Full, "");
    let contact_name = p.plant("box form: contact name (stored)", Shape::Short, "");
    let about = format!("unit:{village}");
    let sent = resident
        .send(
            &app,
            &post_owned(
                &box_path,
                box_form(&[
                    ("confirmed", "1"),
                    ("text", &opinion_text),
                    ("identity", "named"),
                    ("contact_name", &contact_name),
                    ("contact_phone", "13812345678"),
                    ("about", &about),
                ]),
            ),
        )
        .await;
    assert_eq!(sent.status, 200, "{}", page_error(&sent.body));
    let receipt = common::receipt_in(&sent.body);
    let merged_text = p.plant("box form: text (merged into an issue)", Shape::Full, "");
    let similar_text = p.plant("box form: text (similar)", Shape::Full, "");
    for text in [&merged_text, &similar_text] {
        let sent = resident
            .send(
                &app,
                &post_owned(&box_path, box_form(&[("confirmed", "1"), ("text", text)])),
            )
            .await;
        assert_eq!(sent.status, 200, "{}", page_error(&sent.body));
    }
    app.release_waiting().await;
    let queue = member.page(&app, "/staff").await;
    let mut opinion = String::new();
    let mut merged = String::new();
    for id in attrs(&queue, "input[name=opinion]", "value") {
        let page = member.page(&app, &format!("/staff/opinions/{id}")).await;
        let text = texts(&page, "[data-testid=opinion-text]").concat();
        if text == opinion_text {
            opinion = id;
        } else if text == merged_text {
            merged = id;
        }
    }
    assert!(
        !opinion.is_empty() && !merged.is_empty(),
        "both opinions reached the queue: {:?}",
        texts(&queue, ".excerpt")
    );

    // The reply draft (by the clerk), the question and the villager's answer.
    let reply = p.plant("opinion page: reply draft", Shape::Full, "");
    clerk
        .redirect(
            &app,
            &format!("/staff/opinions/{opinion}"),
            &[("state", "accepted"), ("reply", &reply)],
        )
        .await;
    let question = p.plant("opinion page: question to the villager", Shape::Full, "");
    member
        .redirect(
            &app,
            &format!("/staff/opinions/{opinion}/messages"),
            &[("text", &question)],
        )
        .await;
    let answer = p.plant("status page: villager's answer", Shape::Full, "");
    let long_answer = p.plant("status page: answer (too long)", Shape::Long(2001), "");

    // An issue with its reply, a measure and its evidence.
    let issue_title = p.plant("issue: title", Shape::Medium, "");
    let issue_path = member
        .redirect(
            &app,
            "/staff/issues",
            &[("title", &issue_title), ("opinion", &merged)],
        )
        .await;
    let issue = last_segment(&issue_path);
    let issue_reply = p.plant("issue: reply", Shape::Full, "");
    member
        .redirect(
            &app,
            &issue_path,
            &[
                ("title", &issue_title),
                ("state", "assigned"),
                ("reply", &issue_reply),
            ],
        )
        .await;
    let measure_text = p.plant("issue: measure", Shape::Full, "");
    let responsible = p.plant("issue: measure's responsible person", Shape::Medium, "");
    member
        .redirect(
            &app,
            &format!("{issue_path}/measures"),
            &[
                ("text", &measure_text),
                ("responsible", &responsible),
                ("due_on", "2099-01-01"),
            ],
        )
        .await;
    // Through the API: where the issue page is broken, its forms cannot be read.
    let token = app.api_login().await;
    let (_, found) = app
        .staff_get(&token, &format!("/api/v1/staff/issues/{issue}"))
        .await;
    let measure_path = format!(
        "/staff/measures/{}",
        found["measures"][0]["id"].as_str().expect("the measure")
    );
    let evidence = p.plant("issue: measure's evidence", Shape::Full, "");
    member
        .redirect(
            &app,
            &measure_path,
            &[("evidence", &evidence), ("done", "1"), ("issue", &issue)],
        )
        .await;
    let long_evidence = p.plant("issue: evidence (too long)", Shape::Long(2001), "");
    let bad_measure = p.plant("issue: measure (bad day)", Shape::Full, "");

    // A questionnaire, a round that residents answer, its notes; a slip round.
    let copied = member
        .redirect(
            &app,
            "/staff/questionnaires",
            &[("template", "organisation")],
        )
        .await;
    let questionnaire = last_segment(&copied);
    let q_title = p.plant("questionnaire: title", Shape::Medium, "");
    let rated_question = p.plant("questionnaire: a rated question", Shape::Full, "");
    let text_question = p.plant("questionnaire: a new written question", Shape::Full, "");
    let template = Questionnaire::organisation_template();
    let mut fields: Vec<(String, String)> = vec![("title".into(), q_title.clone())];
    for (n, item) in template.items.iter().enumerate() {
        let text = if item.key == "commitments" {
            rated_question.clone()
        } else {
            item.text.clone()
        };
        fields.push((format!("key_{n}"), item.key.clone()));
        fields.push((format!("order_{n}"), (n + 1).to_string()));
        fields.push((format!("text_{n}"), text));
        fields.push((format!("kind_{n}"), item.kind.as_str().to_string()));
        if item.required {
            fields.push((format!("required_{n}"), "on".into()));
        }
    }
    let added = template.items.len();
    fields.push((format!("order_{added}"), (added + 1).to_string()));
    fields.push((format!("text_{added}"), text_question.clone()));
    fields.push((format!("kind_{added}"), ItemKind::Text.as_str().to_string()));
    let saved = member.send(&app, &post_owned(&copied, fields)).await;
    assert_eq!(saved.status, 303, "{}", page_error(&saved.body));
    let questionnaire_page = member.page(&app, &copied).await;
    let new_key = attrs(&questionnaire_page, "input[type=hidden]", "value")
        .into_iter()
        .find(|k| k.starts_with("item_"))
        .expect("the new question's key");

    let overview = member.page(&app, "/staff/appraisal").await;
    let new_unit = attrs(
        &overview,
        "[data-testid=round-units] input[name=subject]",
        "value",
    )
    .into_iter()
    .zip(texts(&overview, "[data-testid=round-units] label"))
    .find(|(_, label)| label.contains(&unit_name))
    .map(|(id, _)| id)
    .expect("the new unit can be appraised");
    let round_name = p.plant("appraisal: round name", Shape::Medium, "");
    let closes = day_of_unix(unix_now() + 30 * 86_400);
    let round_path = member
        .redirect(
            &app,
            "/staff/appraisal",
            &[
                ("name", &round_name),
                ("questionnaire", &questionnaire),
                ("mode", "open"),
                ("opens_on", &today()),
                ("closes_on", &closes),
                ("subject", &new_unit),
            ],
        )
        .await;
    let round_page = member.page(&app, &round_path).await;
    let public_form = attrs(&round_page, "[data-testid=public-form]", "href")
        .pop()
        .expect("the round's public form");
    let public_form = local(&app, &public_form)
        .trim_start_matches(&app.address)
        .to_string();
    let suggestion = p.plant(
        "appraisal poster form: suggestions (stored)",
        Shape::Full,
        "",
    );
    let written = p.plant(
        "appraisal poster form: new question's answer",
        Shape::Full,
        "",
    );
    let mut answers: Vec<(String, String)> = template
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Rating)
        .map(|i| (answer_field(&new_unit, &i.key), "satisfied".to_string()))
        .collect();
    answers.push((answer_field(&new_unit, "suggestions"), suggestion.clone()));
    answers.push((answer_field(&new_unit, &new_key), written.clone()));
    let thanks = resident
        .send(&app, &post_owned(&public_form, answers))
        .await;
    assert_eq!(thanks.status, 200, "{}", page_error(&thanks.body));
    // Written suggestions are shown once five people answered.
    let rated: Vec<(String, String)> = template
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Rating)
        .map(|i| (answer_field(&new_unit, &i.key), "satisfied".to_string()))
        .collect();
    for _ in 0..4 {
        let thanks = Session::resident()
            .send(&app, &post_owned(&public_form, rated.clone()))
            .await;
        assert_eq!(thanks.status, 200, "{}", page_error(&thanks.body));
    }
    let open_form_cases = vec![
        Case::new(
            "appraisal poster form",
            &resident,
            get(&public_form),
            &[200],
        )
        .expect(vec![
            shown(&round_name),
            shown(&q_title),
            shown(&rated_question),
            shown(&text_question),
            shown(&unit_name),
            shown(&group_name),
        ]),
        Case::new(
            "appraisal poster form, ratings missing",
            &resident,
            post_owned(
                &public_form,
                vec![(answer_field(&new_unit, &new_key), written.clone())],
            ),
            &[422],
        )
        .expect(vec![textarea(&answer_field(&new_unit, &new_key), &written)]),
    ];
    let mut problems = run(&app, &p, open_form_cases).await;
    member
        .redirect(&app, &format!("{round_path}/close"), &[])
        .await;
    let note = p.plant("appraisal: round note", Shape::Full, "");
    member
        .redirect(
            &app,
            &format!("{round_path}/notes"),
            &[("subject", &new_unit), ("note", &note)],
        )
        .await;
    let long_note = p.plant("appraisal: round note (too long)", Shape::Long(2001), "");
    let slip_round_name = p.plant("appraisal: slip round name", Shape::Medium, "");
    let slip_round_path = member
        .redirect(
            &app,
            "/staff/appraisal",
            &[
                ("name", &slip_round_name),
                ("questionnaire", "template:organisation"),
                ("mode", "slips"),
                ("opens_on", &today()),
                ("closes_on", &closes),
                ("subject", &new_unit),
            ],
        )
        .await;
    let long_round_name = p.plant("appraisal: round name (too long)", Shape::Long(100), "");

    // Notices: one published, one draft, and refused drafts that come back refilled.
    let notice_title = p.plant("notice: title (published)", Shape::Medium, "");
    let notice_body = p.plant("notice: body (published)", Shape::Full, "");
    let round = last_segment(&round_path);
    let notice_path = member
        .redirect(
            &app,
            "/staff/notices",
            &[
                ("title", &notice_title),
                ("body", &notice_body),
                ("round", &round),
            ],
        )
        .await;
    member
        .redirect(&app, &format!("{notice_path}/publish"), &[])
        .await;
    let draft_title = p.plant("notice: title (draft)", Shape::Medium, "");
    let draft_body = p.plant("notice: body (draft)", Shape::Full, "");
    let draft_path = member
        .redirect(
            &app,
            "/staff/notices",
            &[("title", &draft_title), ("body", &draft_body)],
        )
        .await;
    let refused_body = p.plant("notice: body (no title)", Shape::Full, "");
    let refused_from = p.plant("notice: ledger from (no title)", Shape::Medium, "");
    let refused_to = p.plant("notice: ledger to (no title)", Shape::Full, "");
    let long_title = p.plant("notice: title (too long)", Shape::Long(100), "");
    let long_title_body = p.plant("notice: body (title too long)", Shape::Full, "");

    // The leader-review register, the group's retention, the queue's search, an import.
    let year = today()[..4].to_string();
    member
        .redirect(
            &app,
            "/staff/reviews",
            &[
                ("year", &year),
                ("pass", "1"),
                ("reviewer", &person_id),
                ("unit", &new_unit),
            ],
        )
        .await;
    let retention = p.plant("group page: retention days", Shape::Full, "");
    let search = p.plant("queue: search", Shape::Full, "");
    let import_unit = p.plant("import: unit path", Shape::Short, "");
    let import_name = p.plant("import: person's name", Shape::NoSlash, "");
    let csv = format!(
        "单位,姓名,职务\n\"{}\",\"{}\",\n",
        import_unit.replace('"', "\"\""),
        import_name.replace('"', "\"\"")
    );
    let long_unit = p.plant("admin: unit name (too long)", Shape::Full, "");
    let long_box = p.plant("admin: box name (too long)", Shape::Full, "");
    let bad_receipt = p.plant("status page: receipt", Shape::Medium, "");

    let public_board = format!("/t/{township}");
    let board_title = shell_title(
        t,
        &t.notices
            .nt_board_heading
            .replace("{place}", &township_name),
    );
    let round_title = shell_title(t, &round_name);
    let results_title = shell_title(
        t,
        &format!("{} · {round_name}", t.appraisal.ap_results_heading),
    );
    let slips_title = format!("{} · {slip_round_name}", t.appraisal.ap_slips_heading);
    let cases = vec![
        // What residents see.
        Case::new("box page of the new box", &resident, get(&box_path), &[200])
            .title(shell_title(t, &box_name))
            .expect(vec![
                shown(&box_name),
                shown(&group_name),
                shown(&person),
                shown(&post_name),
                props(&person),
                props(&post_name),
                props(&village_name),
            ]),
        Case::new(
            "box page of a demo box",
            &resident,
            get(&app.box_path(0)),
            &[200],
        )
        .expect(vec![shown(&group_name), props(&township_name)]),
        Case::new(
            "status page",
            &resident,
            post("/r", &[("receipt", &receipt)]),
            &[200],
        )
        .expect(vec![shown(&question)]),
        Case::new(
            "status page, answer sent",
            &resident,
            post("/r/answer", &[("receipt", &receipt), ("text", &answer)]),
            &[200],
        )
        .expect(vec![shown(&question), shown(&answer)]),
        Case::new(
            "status page, answer too long",
            &resident,
            post(
                "/r/answer",
                &[("receipt", &receipt), ("text", &long_answer)],
            ),
            &[422],
        )
        .expect(vec![shown(&question), shown(&answer)]),
        Case::new(
            "status page, unknown receipt",
            &resident,
            post("/r", &[("receipt", &bad_receipt)]),
            &[404, 422],
        ),
        Case::new("public notice board", &resident, get(&public_board), &[200])
            .title(board_title)
            .expect(vec![
                shown(&notice_title),
                shown(&notice_body),
                shown(&round_name),
                shown(&unit_name),
            ]),
        // The member's pages.
        Case::new("queue", &member, get("/staff"), &[200]).expect(vec![
            shown(&group_name),
            shown(&box_name),
            shown(&village_name),
        ]),
        Case::new(
            "queue, searched",
            &member,
            get_with("/staff", &[("q", &search)]),
            &[200, 422],
        )
        .expect(vec![value("q", &search)]),
        Case::new(
            "opinion page",
            &member,
            get(&format!("/staff/opinions/{opinion}")),
            &[200],
        )
        .expect(vec![
            shown(&opinion_text),
            shown(&contact_name),
            shown(&box_name),
            shown(&village_name),
            shown(&question),
            shown(&answer),
            textarea("reply", &reply),
        ]),
        Case::new(
            "opinion page of a merged opinion",
            &member,
            get(&format!("/staff/opinions/{merged}")),
            &[200],
        )
        .expect(vec![shown(&merged_text), shown(&issue_title)]),
        Case::new("similar opinions", &member, get("/staff/similar"), &[200]),
        Case::new("issues", &member, get("/staff/issues"), &[200])
            .expect(vec![shown(&issue_title), shown(&group_name)]),
        Case::new("issue page", &member, get(&issue_path), &[200])
            .title(shell_title(t, &issue_title))
            .expect(vec![
                value("title", &issue_title),
                textarea("reply", &issue_reply),
                shown(&measure_text),
                shown(&responsible),
                shown(&evidence),
                textarea("evidence", &evidence),
                shown(&village_name),
            ]),
        Case::new(
            "issue page, evidence too long",
            &member,
            post(
                &measure_path,
                &[("evidence", &long_evidence), ("issue", &issue)],
            ),
            &[422],
        )
        .title(shell_title(t, &issue_title))
        .expect(vec![textarea("evidence", &evidence)]),
        Case::new(
            "issue page, measure with a bad day",
            &member,
            post(
                &format!("{issue_path}/measures"),
                &[
                    ("text", &bad_measure),
                    ("responsible", &responsible),
                    ("due_on", &bad_measure),
                ],
            ),
            &[422],
        )
        .expect(vec![textarea("reply", &issue_reply)]),
        Case::new("ledger", &member, get("/staff/ledger"), &[200]).expect(vec![
            shown(&issue_title),
            shown(&measure_text),
            shown(&responsible),
            shown(&evidence),
            shown(&group_name),
        ]),
        Case::new("rounds", &member, get("/staff/appraisal"), &[200]).expect(vec![
            shown(&round_name),
            shown(&slip_round_name),
            shown(&q_title),
            shown(&unit_name),
            shown(&group_name),
        ]),
        Case::new(
            "rounds, name too long",
            &member,
            post(
                "/staff/appraisal",
                &[
                    ("name", &long_round_name),
                    ("questionnaire", "template:organisation"),
                    ("mode", "open"),
                    ("opens_on", &today()),
                    ("closes_on", &closes),
                    ("subject", &new_unit),
                ],
            ),
            &[422],
        )
        .expect(vec![shown(&round_name)]),
        Case::new("round page", &member, get(&round_path), &[200])
            .title(round_title.clone())
            .expect(vec![
                shown(&round_name),
                shown(&q_title),
                shown(&unit_name),
                textarea("note", &note),
            ]),
        Case::new(
            "round page, note too long",
            &member,
            post(
                &format!("{round_path}/notes"),
                &[("subject", &new_unit), ("note", &long_note)],
            ),
            &[422],
        )
        .title(round_title)
        .expect(vec![textarea("note", &note)]),
        Case::new(
            "round poster",
            &member,
            get(&format!("{round_path}/poster")),
            &[200],
        )
        .title(round_name.clone())
        .expect(vec![shown(&q_title)]),
        Case::new(
            "results",
            &member,
            get(&format!("{round_path}/results")),
            &[200],
        )
        .title(results_title)
        .expect(vec![
            shown(&round_name),
            shown(&rated_question),
            shown(&unit_name),
            shown(&suggestion),
        ]),
        Case::new(
            "slip sheet",
            &member,
            post(&format!("{slip_round_path}/slips"), &[("count", "2")]),
            &[200],
        )
        .title(slips_title)
        .expect(vec![shown(&slip_round_name), shown(&group_name)]),
        Case::new(
            "questionnaires",
            &member,
            get("/staff/questionnaires"),
            &[200],
        )
        .expect(vec![shown(&q_title)]),
        Case::new("questionnaire editor", &member, get(&copied), &[200])
            .title(shell_title(t, &q_title))
            .expect(vec![
                value("title", &q_title),
                value("text_0", &rated_question),
                shown(&text_question),
            ]),
        Case::new("notices", &member, get("/staff/notices"), &[200])
            .expect(vec![shown(&notice_title), shown(&draft_title)]),
        Case::new(
            "notices, draft without a title",
            &member,
            post(
                "/staff/notices",
                &[
                    ("title", ""),
                    ("body", &refused_body),
                    ("ledger", "true"),
                    ("ledger_from", &refused_from),
                    ("ledger_to", &refused_to),
                ],
            ),
            &[422],
        )
        .expect(vec![
            textarea("body", &refused_body),
            value("ledger_from", &refused_from),
            value("ledger_to", &refused_to),
        ]),
        Case::new(
            "notices, title too long",
            &member,
            post(
                "/staff/notices",
                &[("title", &long_title), ("body", &long_title_body)],
            ),
            &[422],
        )
        .expect(vec![
            value("title", &long_title),
            textarea("body", &long_title_body),
        ]),
        Case::new("published notice", &member, get(&notice_path), &[200])
            .title(shell_title(t, &notice_title))
            .expect(vec![
                shown(&notice_title),
                shown(&notice_body),
                shown(&round_name),
            ]),
        Case::new("notice draft", &member, get(&draft_path), &[200])
            .title(shell_title(t, &draft_title))
            .expect(vec![
                value("title", &draft_title),
                textarea("body", &draft_body),
            ]),
        Case::new(
            "notice draft, title too long",
            &member,
            post(
                &draft_path,
                &[("title", &long_title), ("body", &long_title_body)],
            ),
            &[422],
        )
        .title(shell_title(t, &draft_title))
        .expect(vec![textarea("body", &draft_body)]),
        Case::new("leader reviews", &member, get("/staff/reviews"), &[200])
            .expect(vec![shown(&person), shown(&unit_name)]),
        Case::new(
            "statistics tables",
            &member,
            get(&format!("/staff/tables?year={year}")),
            &[200],
        )
        .expect(vec![shown(&township_name)]),
        Case::new("group page", &member, get("/staff/group"), &[200])
            .expect(vec![shown(&group_name), shown(&village_name)]),
        Case::new(
            "group page, bad retention",
            &member,
            post("/staff/group", &[("retention_days", &retention)]),
            &[422],
        )
        .expect(vec![value("retention_days", &retention)]),
        Case::new("boxes", &member, get("/staff/boxes"), &[200])
            .expect(vec![shown(&box_name), shown(&village_name)]),
        Case::new("box poster", &member, get(&poster_path), &[200])
            .title(box_name.clone())
            .expect(vec![shown(&box_name), shown(&township_name)]),
        // The clerk's own pages show their name.
        Case::new("queue", &clerk, get("/staff"), &[200]).expect(vec![shown(&display_name)]),
        Case::new("password page", &clerk, get("/staff/password"), &[200])
            .expect(vec![shown(&display_name)]),
        // The admin's pages.
        Case::new("units", &admin, get("/staff/admin"), &[200]).expect(vec![
            shown(&unit_name),
            shown(&village_name),
            shown(&township_name),
            shown(&group_name),
            shown(&person),
        ]),
        Case::new(
            "units, name too long",
            &admin,
            post(
                "/staff/admin/units",
                &[("parent_id", &township), ("name", &long_unit)],
            ),
            &[422],
        )
        .expect(vec![shown(&unit_name)]),
        Case::new("people", &admin, get("/staff/admin/people"), &[200]).expect(vec![
            shown(&person),
            shown(&post_name),
            shown(&village_name),
        ]),
        Case::new("accounts", &admin, get("/staff/admin/accounts"), &[200]).expect(vec![
            shown(&display_name),
            shown(&group_name),
            shown(&person),
        ]),
        Case::new("boxes", &admin, get("/staff/boxes"), &[200])
            .expect(vec![shown(&box_name), shown(&unit_name)]),
        Case::new(
            "boxes, name too long",
            &admin,
            post(
                "/staff/boxes",
                &[("unit_id", &village), ("name", &long_box)],
            ),
            &[422],
        )
        .expect(vec![shown(&box_name)]),
        Case::new(
            "import of people",
            &admin,
            multipart(
                "/staff/admin/import/people",
                Vec::new(),
                &[("file", csv.as_bytes())],
            ),
            &[200, 422],
        )
        .expect(vec![shown(&import_unit)]),
        Case::new(
            "questionnaires",
            &admin,
            get("/staff/questionnaires"),
            &[200],
        ),
        // The auditor sees who did what.
        Case::new("audit trail", &auditor, get("/staff/audit"), &[200]),
    ];
    problems.extend(run(&app, &p, cases).await);
    assert_inert(problems);
}
