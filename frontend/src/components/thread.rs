//! The follow-up thread of an opinion, as both sides see it.

use leptos::prelude::*;

use crate::lang::use_lang;
use vocabulary::model::ThreadMessage;

/// The messages of a thread in order; nothing when there are none.
#[component]
pub fn ThreadView(thread: Vec<ThreadMessage>) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    (!thread.is_empty()).then(|| {
        view! {
            <section class="thread" data-testid="thread">
                <h2>{t.status.thread_heading}</h2>
                <ol>
                    {thread.into_iter().map(|m| {
                        let (who, class) = if m.from_staff { (t.status.thread_staff, "from-staff") } else { (t.status.thread_resident, "from-resident") };
                        view! {
                            <li class=class>
                                <p class="meta">{who} " · " <time datetime=m.sent_on.to_string()>{lang.day(&m.sent_on)}</time></p>
                                <p class="body">{m.text}</p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        }
    })
}
