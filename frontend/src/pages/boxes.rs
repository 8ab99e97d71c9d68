//! The group's boxes with their QR codes, and a box's printable A4 poster.

use leptos::prelude::*;

use crate::components::{PageScript, Shell};
use crate::lang::use_lang;
use crate::style::POSTER_CSS;
use vocabulary::model::StaffBox;
use vocabulary::paths;

use super::staff::StaffNav;

/// The boxes of the leading group's area and links to their QR codes and posters; admins also
/// get a form to hang a new box in a unit of their area (`units` is empty for others).
#[component]
pub fn BoxesPage(
    who: String,
    csrf: String,
    boxes: Vec<StaffBox>,
    /// The admin's units; empty for other roles.
    #[prop(optional)]
    units: Vec<vocabulary::org::UnitView>,
    /// The form was refused.
    #[prop(optional)]
    error: Option<String>,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    let admin = !units.is_empty();
    let form_csrf = csrf.clone();
    view! {
        <Shell title=t.common.boxes_heading.to_string() path=paths::BOXES.href() assets=None staff=true>
            <StaffNav who=who csrf=csrf admin=admin/>
            <h1>{t.common.boxes_heading}</h1>
            {error.map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <ul class="queue">
                {boxes.into_iter().map(|b| {
                    let id = b.id;
                    view! {
                        <li class="row" data-testid="box-row">
                            <p><strong>{b.name.clone()}</strong> " · " {b.village.clone()}</p>
                            <p class="hint url"><a href=b.url.clone()>{b.url.clone()}</a></p>
                            <p class="links">
                                <a href=paths::BOX_FILE.at([&id, &"qr.svg"]) download="">{t.group.qr_svg}</a>
                                <a href=paths::BOX_FILE.at([&id, &"qr.png"]) download="">{t.group.qr_png}</a>
                                <a href=paths::BOX_POSTER.at([&id])>{t.group.poster}</a>
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            {admin.then(|| view! {
                <h2>{t.group.box_add_heading}</h2>
                <form method="post" action=paths::BOXES.href() class="narrow" data-testid="box-form">
                    <input type="hidden" name="csrf" value=form_csrf/>
                    <label for="box-unit" class="field-label">{t.common.col_unit}</label>
                    <select id="box-unit" name="unit_id" required=true>
                        {units.iter().map(|u| view! {
                            <option value=u.id.to_string()>{format!("{}{}", "　".repeat(u.depth as usize), u.name)}</option>
                        }).collect_view()}
                    </select>
                    <label for="box-name" class="field-label">{t.group.box_name_label}</label>
                    <input id="box-name" name="name" type="text" maxlength="60" required=true/>
                    <button type="submit" class="button">{t.group.box_add_submit}</button>
                </form>
            })}
        </Shell>
    }
}

/// A printable A4 poster: who asks (township), what for, the privacy promise and a large QR code.
#[component]
pub fn PosterPage(
    /// The township or group, largest.
    heading: String,
    /// The box's or round's name.
    title: String,
    /// The QR code's address, printed small below it.
    url: String,
    /// What to do, e.g. 扫码提意见.
    scan: String,
    qr_svg: String,
) -> impl IntoView {
    let lang = use_lang();
    let t = lang.t();
    view! {
        <html lang=lang.tag()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{title.clone()}</title>
                <style inner_html=POSTER_CSS></style>
            </head>
            <body class="poster">
                <main>
                <h1>{heading}</h1>
                <h2>{title}</h2>
                <p class="scan">{scan}</p>
                <div class="qr" inner_html=qr_svg></div>
                <p class="url">{url}</p>
                <p class="promise">{t.group.poster_promise}</p>
                <button type="button" class="no-print" data-print="1">{t.common.print}</button>
                </main>
                <PageScript/>
            </body>
        </html>
    }
}
