//! The HTML document around every page: head, inline CSS, language switch, hydration loader.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::lang::use_lang;
use crate::style::CSS;
use vocabulary::paths;

/// The hashed names of the WASM bundle, read from `pkg/manifest.json` at start-up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assets {
    /// The JS glue, e.g. `mashangshuo.0a1b2c3d4e.js`.
    pub js: String,
    /// The WASM module, e.g. `mashangshuo.0a1b2c3d4e_bg.wasm`.
    pub wasm: String,
}

impl Assets {
    /// The module script that loads the bundle when the browser is idle and hydrates islands.
    fn loader(&self) -> String {
        format!(
            r#"(()=>{{const go=()=>import("/pkg/{js}").then(m=>m.default({{module_or_path:"/pkg/{wasm}"}}).then(()=>{{m.hydrate();const walk=async n=>{{for(const el of n.children){{if(el.tagName==="LEPTOS-ISLAND"){{const f=m[el.dataset.component];if(f)await f(el);}}await walk(el);}}}};return walk(document.body);}})).catch(e=>console.warn("hydration failed",e));"requestIdleCallback" in window?requestIdleCallback(go):setTimeout(go,1);}})();"#,
            js = self.js,
            wasm = self.wasm
        )
    }
}

/// The one inline script of every page, tiny so it works with or without the WASM bundle:
/// print buttons (`data-print`) print the page, and on resident pages the read-aloud button is
/// shown where the browser can speak and reads the main text in the page's language (a second
/// press stops). No inline event handlers exist: the Content-Security-Policy forbids them.
const PAGE_SCRIPT: &str = r#"(()=>{for(const p of document.querySelectorAll("[data-print]"))p.addEventListener("click",()=>window.print());const b=document.getElementById("read-aloud"),s=window.speechSynthesis;if(!b||!s||!window.SpeechSynthesisUtterance)return;b.hidden=false;b.addEventListener("click",()=>{if(s.speaking){s.cancel();return;}const m=document.querySelector("main");if(!m)return;const u=new SpeechSynthesisUtterance(m.innerText);u.lang=document.documentElement.lang;u.rate=0.9;s.speak(u);});})();"#;

/// Every inline script a page can carry, as written into the page: the server lists their
/// hashes in the Content-Security-Policy, so nothing else inline can run.
pub fn inline_scripts(assets: Option<&Assets>) -> Vec<String> {
    let mut scripts = vec![PAGE_SCRIPT.to_string()];
    scripts.extend(assets.map(Assets::loader));
    scripts
}

/// The page script, last in `<body>` of every document.
#[component]
pub fn PageScript() -> impl IntoView {
    view! { <script inner_html=PAGE_SCRIPT></script> }
}

/// A complete page. `path` is the current path, used for the language switch link.
#[component]
pub fn Shell(
    title: String,
    path: String,
    assets: Option<Assets>,
    #[prop(optional)] staff: bool,
    children: Children,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let other = format!("{path}?lang={}", t.site.other_lang_param);
    let full_title = format!("{title} · {}", t.common.app_name);
    let loader = assets.map(|a| a.loader());
    let home = if staff { paths::QUEUE } else { paths::HOME }.href();
    view! {
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="referrer" content="no-referrer"/>
                // No favicon request (it would only 404): the page asks for nothing it does not use.
                <link rel="icon" href="data:,"/>
                <title>{full_title}</title>
                <style inner_html=CSS></style>
                {loader.map(|code| view! { <script type="module" inner_html=code></script> })}
            </head>
            <body>
                <header class="top">
                    <a class="brand" href=home>{t.common.app_name}</a>
                    {(!staff).then(|| view! { <button type="button" id="read-aloud" class="read-aloud" hidden data-testid="read-aloud">{t.site.read_aloud}</button> })}
                    <a class="lang" href=other hreflang=t.site.other_lang_param>{t.site.other_lang_label}</a>
                </header>
                <main>{children()}</main>
                <PageScript/>
            </body>
        </html>
    }
}
