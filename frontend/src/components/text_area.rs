//! The one `<textarea>` of the project: every multi-line field is this component, so text a
//! person typed is always written into the page safely.

use leptos::prelude::*;

/// A `<textarea>` showing `value`; attributes and events go after `{..}`, e.g.
/// `<TextArea value=text {..} name="text" rows="4"/>`.
///
/// tachys 0.2 writes a textarea's children into server HTML unescaped (it counts `textarea`
/// among the raw-text elements, with `script` and `style`), so on the server the text is
/// escaped here. In the browser the text becomes a DOM text node, which needs no escaping,
/// and hydration keeps the node the server sent.
#[component]
pub fn TextArea(
    /// The text the field starts with.
    #[prop(into, optional)]
    value: String,
) -> impl IntoView {
    view! { <textarea>{content(value)}</textarea> }
}

/// The textarea's content as the server writes it into HTML.
#[cfg(not(feature = "hydrate"))]
fn content(value: String) -> String {
    escape_textarea(&value)
}

/// In the browser the content is a text node made through the DOM.
#[cfg(feature = "hydrate")]
fn content(value: String) -> String {
    value
}

/// Escapes `text` for the inside of a `<textarea>` in HTML. A browser drops one newline right
/// after `<textarea>`, so a text starting with a newline gets one more in front.
#[cfg(not(feature = "hydrate"))]
pub fn escape_textarea(text: &str) -> String {
    let escaped = html_escape::encode_text(text);
    if text.starts_with('\n') || text.starts_with("\r\n") {
        format!("\n{escaped}")
    } else {
        escaped.into_owned()
    }
}

#[cfg(all(test, not(feature = "hydrate")))]
mod tests {
    use super::*;

    #[test]
    fn closing_tags_and_entities_come_out_as_text() {
        assert_eq!(
            escape_textarea("</textarea><script>x()</script> &lt;"),
            "&lt;/textarea&gt;&lt;script&gt;x()&lt;/script&gt; &amp;lt;"
        );
    }

    #[test]
    fn a_leading_newline_survives_the_parser() {
        assert_eq!(escape_textarea("\nhi"), "\n\nhi");
        assert_eq!(escape_textarea("hi\n"), "hi\n");
    }

    #[test]
    fn the_rendered_element_holds_the_escaped_text() {
        let html = view! { <TextArea value="</textarea><b>x</b>" {..} name="t"/> }.to_html();
        assert!(
            html.contains("&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>"),
            "{html}"
        );
        assert!(html.contains(r#"name="t""#), "{html}");
        assert_eq!(html.matches("<textarea").count(), 1, "{html}");
    }

    /// Every `.rs` file under `dir`, recursively.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read source dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn no_other_textarea_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        sources(&root.join("src"), &mut files);
        sources(&root.join("../server/src"), &mut files);
        assert!(
            files.len() > 20,
            "the source walk found too little: {files:?}"
        );
        let here = root.join("src/components/text_area.rs");
        let offenders: Vec<_> = files
            .iter()
            .filter(|f| **f != here)
            .filter(|f| {
                std::fs::read_to_string(f)
                    .expect("read source")
                    .lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .any(|line| line.contains(concat!("<", "textarea")))
            })
            .collect();
        assert!(
            offenders.is_empty(),
            "write <TextArea value=… {{..}} …/> instead of a raw textarea in {offenders:?}"
        );
    }
}
