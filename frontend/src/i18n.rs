//! The text catalogue: every string a person reads, once per language.

use serde::{Deserialize, Serialize};

/// The language a page is shown in. Chinese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    /// 简体中文 (zh-CN).
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Reads `?lang=` values; anything but `en` gives Chinese.
    pub fn from_param(value: Option<&str>) -> Self {
        match value {
            Some(v) if v.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The catalogue for this language.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// One section of the page "我们如何保护你": a heading and its points.
pub struct PrivacySection {
    /// The section heading.
    pub heading: &'static str,
    /// Its points, one sentence each.
    pub items: &'static [&'static str],
}

/// Every string shown on the pages.
#[allow(missing_docs)]
pub struct Texts {
    pub app_name: &'static str,
    pub other_lang_label: &'static str,
    pub other_lang_param: &'static str,
    pub box_receiver: &'static str,
    pub keep_heading: &'static str,
    pub keep_items: [&'static str; 3],
    pub never_heading: &'static str,
    pub never_items: [&'static str; 4],
    pub category_legend: &'static str,
    pub text_label: &'static str,
    pub text_hint: &'static str,
    pub submit: &'static str,
    pub sending: &'static str,
    pub receipt_heading: &'static str,
    pub receipt_intro: &'static str,
    pub receipt_save: &'static str,
    pub receipt_copy: &'static str,
    pub receipt_copied: &'static str,
    pub receipt_check_link: &'static str,
    pub status_heading: &'static str,
    pub status_intro: &'static str,
    pub status_receipt_label: &'static str,
    pub status_submit: &'static str,
    pub status_state: &'static str,
    pub status_category: &'static str,
    pub status_received: &'static str,
    pub status_reply: &'static str,
    pub status_no_reply: &'static str,
    pub network_error: &'static str,
    pub not_found_heading: &'static str,
    pub not_found_box: &'static str,
    pub home_intro: &'static str,
    pub home_status_link: &'static str,
    pub privacy_link: &'static str,
    pub masked_label: &'static str,
    pub privacy_heading: &'static str,
    pub privacy_intro: &'static str,
    pub privacy_sections: &'static [PrivacySection],
    pub error_heading: &'static str,
    pub back: &'static str,
    pub staff_title: &'static str,
    pub login_heading: &'static str,
    pub login_username: &'static str,
    pub login_password: &'static str,
    pub login_submit: &'static str,
    pub login_failed: &'static str,
    pub logout: &'static str,
    pub queue_heading: &'static str,
    pub queue_empty: &'static str,
    pub col_box: &'static str,
    pub col_village: &'static str,
    pub col_category: &'static str,
    pub col_date: &'static str,
    pub col_text: &'static str,
    pub col_state: &'static str,
    pub open: &'static str,
    pub detail_heading: &'static str,
    pub reply_label: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub boxes_heading: &'static str,
    pub qr_svg: &'static str,
    pub qr_png: &'static str,
    pub poster: &'static str,
    pub poster_scan: &'static str,
    pub poster_promise: &'static str,
    pub print: &'static str,
    pub back_to_queue: &'static str,
    pub session_expired: &'static str,
}

const ZH: Texts = Texts {
    app_name: "码上说",
    other_lang_label: "English",
    other_lang_param: "en",
    box_receiver: "您的意见将直接送到",
    keep_heading: "我们保存什么",
    keep_items: [
        "您写的意见和选的类别。意见里的手机号、身份证号等会先遮盖再保存。",
        "收到的日期(只记到哪一天)。",
        "回执码的加密摘要,别人无法倒推出回执码。",
    ],
    never_heading: "我们绝不保存什么",
    never_items: [
        "您的姓名、手机号、微信号。",
        "您的网络地址(IP)和手机型号。",
        "您从哪里打开这个页面。",
        "Cookie 或任何能认出您手机的记号。",
    ],
    category_legend: "意见类别",
    text_label: "您的意见",
    text_hint: "请写清楚是什么事。最多 2000 字。不要写自己的名字和电话。",
    submit: "提交意见",
    sending: "正在提交…",
    receipt_heading: "已收到您的意见",
    receipt_intro: "这是您的回执码:",
    receipt_save: "请抄下或截图保存回执码。它是查看办理情况和回复的唯一凭证,丢失后无法找回。",
    receipt_copy: "复制回执码",
    receipt_copied: "已复制",
    receipt_check_link: "查看办理情况",
    status_heading: "查看办理情况",
    status_intro: "输入提交意见时得到的 16 位回执码。",
    status_receipt_label: "回执码",
    status_submit: "查询",
    status_state: "办理状态",
    status_category: "意见类别",
    status_received: "收到日期",
    status_reply: "领导小组的回复",
    status_no_reply: "暂时还没有回复,请过几天再来看。",
    network_error: "网络不好,没有提交成功。您写的内容还在,请稍后再按一次提交。",
    not_found_heading: "找不到这个页面",
    not_found_box: "这个意见箱不存在。请检查二维码是否完整,或向村委会询问。",
    home_intro: "扫描村里张贴的二维码,就可以给乡镇领导小组匿名提意见。",
    home_status_link: "用回执码查看办理情况",
    privacy_link: "我们如何保护你",
    masked_label: "保存前已遮盖:",
    privacy_heading: "我们如何保护你",
    privacy_intro: "码上说是“背对背”提意见:谁也不能查出意见是谁写的,包括管服务器的人、看意见的领导小组,也包括被反映的干部。下面说清楚我们保存什么、绝不保存什么。",
    privacy_sections: &[
        PrivacySection {
            heading: "我们保存什么",
            items: &[
                "您写的意见和选的类别。意见里的手机号、身份证号、银行卡号、邮箱、QQ号和微信号,在保存之前就换成了[手机号]这样的记号,原文不保存。",
                "收到意见的日期,只记到哪一天,不记几点几分。",
                "回执码的加密摘要。服务器上没有回执码本身,谁也不能从摘要倒推出回执码。",
                "领导小组给您的回复和办理状态,凭回执码可以看到。",
            ],
        },
        PrivacySection {
            heading: "我们绝不保存什么",
            items: &[
                "您的网络地址(IP)、手机型号和浏览器信息。",
                "您是从哪个网页或聊天里打开的链接。",
                "Cookie 或任何能认出您手机的记号。您不用注册,也不用登录。",
                "您提交意见的具体时刻。服务器日志也不记录居民页面的访问。",
            ],
        },
        PrivacySection {
            heading: "谁能看到您的意见",
            items: &[
                "只有负责这个意见箱的乡镇领导小组成员能看到意见内容,他们看不到是谁写的。",
                "每条意见用随机编号,看不出先后顺序。",
            ],
        },
        PrivacySection {
            heading: "回执码",
            items: &[
                "回执码是随机生成的 16 位数字,只显示给您一次。",
                "请抄下或截图保存。丢了以后谁也找不回来,因为我们没有保存它。",
                "为了防止别人乱猜回执码,查询次数有限制。这个限制只记在内存里,用的是加密摘要,不记您的网络地址。",
            ],
        },
        PrivacySection {
            heading: "请您也注意",
            items: &[
                "不要在意见里写自己的名字、电话、身份证号或家庭住址。",
                "如果只有您知道某件事,写出来也可能让人猜到是您。",
            ],
        },
    ],
    error_heading: "出错了",
    back: "返回",
    staff_title: "领导小组工作台",
    login_heading: "工作人员登录",
    login_username: "用户名",
    login_password: "密码",
    login_submit: "登录",
    login_failed: "用户名或密码不对。",
    logout: "退出登录",
    queue_heading: "收到的意见",
    queue_empty: "还没有收到意见。",
    col_box: "意见箱",
    col_village: "村",
    col_category: "类别",
    col_date: "日期",
    col_text: "内容",
    col_state: "状态",
    open: "查看",
    detail_heading: "意见详情",
    reply_label: "给群众的回复(凭回执码可见)",
    save: "保存",
    saved: "已保存。",
    boxes_heading: "意见箱和二维码",
    qr_svg: "二维码 SVG",
    qr_png: "二维码 PNG",
    poster: "打印海报 (A4)",
    poster_scan: "用手机扫一扫,匿名给领导小组提意见",
    poster_promise: "背对背提意见:不记姓名、不记电话、不记IP,谁也查不到是谁写的。",
    print: "打印",
    back_to_queue: "返回意见列表",
    session_expired: "登录已过期,请重新登录。",
};

const EN: Texts = Texts {
    app_name: "Mashangshuo",
    other_lang_label: "中文",
    other_lang_param: "zh",
    box_receiver: "Your opinion goes straight to",
    keep_heading: "What we keep",
    keep_items: [
        "The opinion you write and the category you choose; phone, ID and similar numbers in it are masked before storing.",
        "The day it arrived (only the day).",
        "A one-way digest of your receipt code; nobody can work the code out from it.",
    ],
    never_heading: "What we never keep",
    never_items: [
        "Your name, phone number or WeChat ID.",
        "Your network address (IP) or phone model.",
        "Where you opened this page from.",
        "Cookies or anything else that could recognise your phone.",
    ],
    category_legend: "Category",
    text_label: "Your opinion",
    text_hint: "Say clearly what happened. Up to 2,000 characters. Do not write your own name or phone number.",
    submit: "Send opinion",
    sending: "Sending…",
    receipt_heading: "Your opinion has been received",
    receipt_intro: "Your receipt code:",
    receipt_save: "Write it down or take a screenshot. It is the only way to see progress and replies; it cannot be recovered if lost.",
    receipt_copy: "Copy code",
    receipt_copied: "Copied",
    receipt_check_link: "Check progress",
    status_heading: "Check progress",
    status_intro: "Enter the 16-digit receipt code you got when you sent your opinion.",
    status_receipt_label: "Receipt code",
    status_submit: "Look up",
    status_state: "State",
    status_category: "Category",
    status_received: "Received on",
    status_reply: "Reply from the leading group",
    status_no_reply: "No reply yet. Please check again in a few days.",
    network_error: "The network failed and nothing was sent. Your text is still here; please press send again in a moment.",
    not_found_heading: "Page not found",
    not_found_box: "This opinion box does not exist. Check that the QR code is complete, or ask the village committee.",
    home_intro: "Scan the QR code posted in your village to send an anonymous opinion to the township leading group.",
    home_status_link: "Check progress with a receipt code",
    privacy_link: "How we protect you",
    masked_label: "Masked before storing:",
    privacy_heading: "How we protect you",
    privacy_intro: "Mashangshuo is for back-to-back opinions: nobody can find out who wrote one — not the people who run the server, not the leading group that reads it, and not the official it is about. Here is exactly what we keep and what we never keep.",
    privacy_sections: &[
        PrivacySection {
            heading: "What we keep",
            items: &[
                "The opinion you write and the category you choose. Mobile, ID card, bank card, email, QQ and WeChat numbers in it are replaced by marks such as [手机号] before it is stored; the original is not kept.",
                "The day it arrived — only the day, never the time.",
                "A one-way digest of your receipt code. The code itself is not on the server and cannot be worked out from the digest.",
                "The leading group's reply and the handling state, which you can see with your receipt code.",
            ],
        },
        PrivacySection {
            heading: "What we never keep",
            items: &[
                "Your network address (IP), phone model or browser details.",
                "Which web page or chat you opened the link from.",
                "Cookies or anything else that could recognise your phone. There is no sign-up and no login.",
                "The moment you sent your opinion. The server log does not record visits to residents' pages either.",
            ],
        },
        PrivacySection {
            heading: "Who can read your opinion",
            items: &[
                "Only the members of the township leading group responsible for this box can read it, and they cannot see who wrote it.",
                "Every opinion has a random number, so nobody can tell the order they arrived in.",
            ],
        },
        PrivacySection {
            heading: "Your receipt code",
            items: &[
                "The receipt code is 16 random digits, shown to you once.",
                "Write it down or take a screenshot. Nobody can recover it if lost, because we do not keep it.",
                "To stop anyone guessing codes, look-ups are limited. The limit lives only in memory, under a one-way digest; your network address is not recorded.",
            ],
        },
        PrivacySection {
            heading: "Please take care too",
            items: &[
                "Do not write your own name, phone number, ID number or home address in the opinion.",
                "If only you could know something, writing it down may also give you away.",
            ],
        },
    ],
    error_heading: "Something went wrong",
    back: "Back",
    staff_title: "Leading group workspace",
    login_heading: "Staff sign-in",
    login_username: "Username",
    login_password: "Password",
    login_submit: "Sign in",
    login_failed: "Wrong username or password.",
    logout: "Sign out",
    queue_heading: "Opinions received",
    queue_empty: "No opinions yet.",
    col_box: "Box",
    col_village: "Village",
    col_category: "Category",
    col_date: "Date",
    col_text: "Text",
    col_state: "State",
    open: "Open",
    detail_heading: "Opinion",
    reply_label: "Reply (the villager sees it with the receipt code)",
    save: "Save",
    saved: "Saved.",
    boxes_heading: "Boxes and QR codes",
    qr_svg: "QR as SVG",
    qr_png: "QR as PNG",
    poster: "Printable poster (A4)",
    poster_scan: "Scan with your phone to send an anonymous opinion to the leading group",
    poster_promise: "Back-to-back: no name, no phone number, no IP is kept; nobody can find out who wrote it.",
    print: "Print",
    back_to_queue: "Back to the list",
    session_expired: "Your session has ended; please sign in again.",
};
