//! A problem to report to a person: status, a stable code and a message in both languages.

use frontend::i18n::Lang;

/// What went wrong, in words a villager or reviewer understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// HTTP status to answer with.
    pub status: u16,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// Chinese message.
    pub zh: &'static str,
    /// English message.
    pub en: &'static str,
}

impl Problem {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

macro_rules! problems {
    ($($name:ident = $status:literal, $code:literal, $zh:literal, $en:literal;)*) => {
        $(
            #[doc = $en]
            pub const $name: Problem = Problem { status: $status, code: $code, zh: $zh, en: $en };
        )*
    };
}

problems! {
    BOX_NOT_FOUND = 404, "box_not_found", "这个意见箱不存在。请检查二维码是否完整,或向村委会询问。", "This opinion box does not exist. Check that the QR code is complete, or ask the village committee.";
    NOT_FOUND = 404, "not_found", "找不到这个页面。", "Page not found.";
    TEXT_EMPTY = 422, "text_empty", "请写下您的意见再提交。", "Please write your opinion before sending.";
    TEXT_TOO_LONG = 422, "text_too_long", "意见太长了,最多 2000 字。请删短一些再提交。", "The opinion is too long: 2,000 characters at most. Please shorten it.";
    CATEGORY_INVALID = 422, "category_invalid", "请选择一个意见类别。", "Please choose a category.";
    RECEIPT_INVALID = 422, "receipt_invalid", "回执码应是 16 位数字,请检查后再输入。", "A receipt code has 16 digits; please check it and try again.";
    RECEIPT_UNKNOWN = 404, "receipt_unknown", "没有找到这个回执码对应的意见。请检查是否抄错;办结很久的意见会按规定删除。", "No opinion has this receipt code. Please check that it was copied correctly; opinions closed long ago are deleted.";
    NO_ROUTE = 409, "no_leading_group", "这个意见箱还没有对应的领导小组,暂时不能接收意见。请告诉村委会。", "No leading group receives this box's opinions yet. Please tell the village committee.";
    BODY_TOO_LARGE = 413, "body_too_large", "提交的内容太大了。意见最多 2000 字。", "What was sent is too large. Opinions are 2,000 characters at most.";
    BAD_FORM = 400, "bad_request", "提交的内容不完整或格式不对,请返回重新填写。", "The form was incomplete or malformed; please go back and fill it in again.";
    TOO_MANY = 429, "too_many_requests", "操作太频繁了,请过一会儿再试。", "Too many attempts; please wait a moment and try again.";
    UNAVAILABLE = 503, "unavailable", "系统正忙,您的意见没有提交成功,请稍后再试。", "The system is busy and nothing was saved; please try again shortly.";
    INTERNAL = 500, "internal", "系统出错了,您的意见没有提交成功,请稍后再试。", "Something went wrong on our side and nothing was saved; please try again.";
    LOGIN_FAILED = 401, "login_failed", "用户名或密码不对。", "Wrong username or password.";
    UNAUTHORIZED = 401, "unauthorized", "请先登录。", "Please sign in.";
    STATE_INVALID = 422, "state_invalid", "没有这个办理状态。", "Unknown state.";
    REPLY_TOO_LONG = 422, "reply_too_long", "回复最多 2000 字。", "A reply is 2,000 characters at most.";
    CONTACT_NAME = 422, "contact_name", "选择实名时,请写下怎么称呼您(最多 20 字)。", "When leaving your name, please write what to call you (20 characters at most).";
    CONTACT_PHONE = 422, "contact_phone", "选择实名时,请留一个能打通的电话号码。", "When leaving your name, please give a phone number we can call.";
    MESSAGE_EMPTY = 422, "message_empty", "请写下内容再发送。", "Please write something before sending.";
    MESSAGE_TOO_LONG = 422, "message_too_long", "一次最多写 2000 字。", "2,000 characters at most per message.";
    PHOTO_TOO_MANY = 422, "photo_too_many", "最多只能附 3 张照片,请去掉几张再提交。", "At most 3 photos; please remove some and send again.";
    PHOTO_TOO_LARGE = 413, "photo_too_large", "照片太大了,每张不能超过 8 MB。请换一张小一点的照片。", "A photo is too large: 8 MB each at most. Please choose a smaller one.";
    PHOTO_UNREADABLE = 422, "photo_unreadable", "有一张照片打不开。请用手机相册里的 JPG 或 PNG 照片。", "One of the photos cannot be opened. Please use a JPG or PNG photo from your album.";
    RETENTION_INVALID = 422, "retention_invalid", "保留天数应在 30 到 3650 天之间。", "Retention must be between 30 and 3,650 days.";
    CONFIRM_NAMES = 422, "confirm_names", "意见里可能有人名或住址,可能让人认出您。请看一下,确定要保留再提交。", "The opinion may contain names or an address that could identify you. Please check, then send again to keep them.";
    FORBIDDEN = 403, "forbidden", "您的账号没有权限做这件事。", "Your account is not allowed to do this.";
    REASON_REQUIRED = 422, "reason_required", "不予受理时,请在回复里写明原因,群众能看到。", "When not accepting an opinion, write the reason in the reply; the villager reads it.";
    FILTER_INVALID = 422, "filter_invalid", "筛选条件不对,请重新选择。日期请写成 2026-11-22 这样。", "A filter is not valid; dates look like 2026-11-22.";
    CSRF = 403, "csrf", "页面已过期,请刷新后再提交。", "The page has expired; reload it and submit again.";
}
