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
    UNIT_NAME_INVALID = 422, "unit_name_invalid", "单位名称不能为空,最多 60 字。", "A unit needs a name of at most 60 characters.";
    UNIT_KIND_INVALID = 422, "unit_kind_invalid", "层级不对:下级单位应比上级低一级(县级 → 乡镇街道 → 村社区单位 → 支部)。", "Wrong level: a unit is one level below its parent (county → township → village → branch).";
    UNIT_CATEGORY_INVALID = 422, "unit_category_invalid", "没有这个单位类别,请按统计表的类别填写(如 农村、街道社区、机关部门)。", "Unknown unit category; use the statistics tables' categories (e.g. rural, community, government).";
    UNIT_EXISTS = 409, "unit_exists", "同一上级下已有同名单位。", "The parent already has a unit of that name.";
    PARENT_NOT_FOUND = 422, "parent_not_found", "找不到上级单位(只能在您管理的范围内)。", "Parent unit not found within your area.";
    PERSON_NAME_INVALID = 422, "person_name_invalid", "姓名不能为空,最多 20 字。", "A name is needed, 20 characters at most.";
    PERSON_POST_INVALID = 422, "person_post_invalid", "职务最多 40 字。", "A post is 40 characters at most.";
    PERSON_EXISTS = 409, "person_exists", "这个单位已有同名同职务的人员。", "The unit already has someone of that name and post.";
    UNIT_NOT_FOUND = 422, "unit_not_found", "找不到这个单位(只能在您管理的范围内)。", "Unit not found within your area.";
    GROUP_NAME_INVALID = 422, "group_name_invalid", "领导小组名称不能为空,最多 60 字。", "A leading group needs a name of at most 60 characters.";
    HEAD_INVALID = 422, "head_invalid", "组长应是本单位或上级单位的人员。", "The head must be a person of this unit or one above it.";
    USERNAME_INVALID = 422, "username_invalid", "用户名应为 3 到 32 个字母、数字或 - _ . 。", "A username is 3–32 letters, digits, '-', '_' or '.'.";
    USERNAME_TAKEN = 409, "username_taken", "这个用户名已被使用。", "That username is taken.";
    DISPLAY_NAME_INVALID = 422, "display_name_invalid", "显示名称不能为空,最多 40 字。", "A display name is needed, 40 characters at most.";
    ROLE_INVALID = 422, "role_invalid", "没有这个角色(管理员、小组成员、统计查看、审计)。", "Unknown role (admin, member, viewer, auditor).";
    GROUP_REQUIRED = 422, "group_required", "请为账号选择所属的领导小组(只能在您管理的范围内)。", "Choose the account's leading group within your area.";
    PERSON_NOT_FOUND = 422, "person_not_found", "找不到这个人员(只能在您管理的范围内)。", "Person not found within your area.";
    SELF_CHANGE = 422, "self_change", "不能停用自己的账号或改变自己的角色。", "You cannot disable your own account or change your own role.";
    BOX_NAME_INVALID = 422, "box_name_invalid", "意见箱名称不能为空,最多 60 字。", "A box needs a name of at most 60 characters.";
    IMPORT_TOO_LARGE = 413, "import_too_large", "文件太大了:最多 1 MB、5000 行。请分几次导入。", "The file is too large: 1 MB and 5,000 rows at most. Import it in parts.";
    CSV_UNREADABLE = 422, "csv_unreadable", "这一行无法按 CSV 读取,请在表格软件里另存为 CSV 文件后再导入。", "This line cannot be read as CSV; save the sheet as a CSV file and import it again.";
    IMPORT_REJECTED = 422, "import_rejected", "导入未完成:有的行不对,全部没有保存。请按下面的行号改好后重新导入。", "Nothing was imported because some rows are wrong; fix the rows listed below and import again.";
    TARGET_INVALID = 422, "target_invalid", "请从列表中选择反映对象,或者不选。", "Choose whom the opinion is about from the list, or leave it empty.";
    TARGET_ALREADY_SET = 409, "target_already_set", "这条意见已标注反映对象,不能再改。", "This opinion already has its target; it cannot be changed.";
    PASSWORD_WEAK = 422, "password_weak", "新密码至少 10 个字符,最多 128 个。", "A new password has 10 to 128 characters.";
    PASSWORD_WRONG = 422, "password_wrong", "当前密码不对。", "The current password is wrong.";
    UNIT_MOVE_INVALID = 422, "unit_move_invalid", "不能把单位移到它自己的下级单位下,也不能移动您管理范围的最上级单位。", "A unit cannot move below itself, and the top unit of your area cannot move.";
    ISSUE_TITLE_INVALID = 422, "issue_title_invalid", "请写一句问题概述,最多 100 字。", "Write a one-line summary of the issue, 100 characters at most.";
    ISSUE_OPINIONS_INVALID = 422, "issue_opinions_invalid", "请至少选择一条意见,一次最多 200 条。", "Choose at least one opinion, and at most 200 at once.";
    OPINION_NOT_MERGEABLE = 409, "opinion_not_mergeable", "有的意见不能合并:它已合并到别的问题、已办结或不予受理,或不在您的办理范围内。", "Some opinions cannot be merged: already in an issue, closed or not accepted, or not yours to handle.";
    ISSUE_NOT_FOUND = 404, "issue_not_found", "找不到这个问题。", "Issue not found.";
    ISSUE_STATE_INVALID = 422, "issue_state_invalid", "问题的状态只能是已受理、已交办、整改中或已办结。", "An issue is accepted, assigned, being put right or closed.";
    MERGED_ELSEWHERE = 409, "merged_elsewhere", "这条意见已合并到问题中,请在问题页办理。", "This opinion is merged into an issue; handle it on the issue's page.";
    MEASURE_TEXT_INVALID = 422, "measure_text_invalid", "请写下整改措施,最多 1000 字。", "Write the measure, 1,000 characters at most.";
    MEASURE_RESPONSIBLE_INVALID = 422, "measure_responsible_invalid", "请写下责任人,最多 100 字。", "Name who is responsible, 100 characters at most.";
    MEASURE_DUE_INVALID = 422, "measure_due_invalid", "完成时限应是今天或以后的日期,写成 2026-11-22 这样。", "The deadline is today or later, written like 2026-11-22.";
    EVIDENCE_TOO_LONG = 422, "evidence_too_long", "佐证材料说明最多 2000 字。", "Evidence notes are 2,000 characters at most.";
    MEASURE_NOT_FOUND = 404, "measure_not_found", "找不到这条整改措施。", "Measure not found.";
    PERIOD_INVALID = 422, "period_invalid", "时间段不对:请写成 2026-01-01 这样的日期,开始不晚于结束,最长 5 年。", "Wrong period: dates like 2026-01-01, the start not after the end, 5 years at most.";
    QUESTIONNAIRE_TITLE_INVALID = 422, "questionnaire_title_invalid", "请写评议表的标题,最多 100 字。", "Give the questionnaire a title of at most 100 characters.";
    QUESTIONNAIRE_ITEMS_INVALID = 422, "questionnaire_items_invalid", "评议表要有 1 到 40 个项目、至少一个四级评价项目,每个项目的文字最多 200 字。", "A questionnaire has 1 to 40 items, at least one rated on the four levels, each worded in at most 200 characters.";
    QUESTIONNAIRE_NOT_FOUND = 404, "questionnaire_not_found", "找不到这份评议表。", "Questionnaire not found.";
    ROUND_NAME_INVALID = 422, "round_name_invalid", "请写评议名称,例如“2026年上半年群众评议”,最多 100 字。", "Name the round, e.g. “2026 first-half appraisal”, 100 characters at most.";
    ROUND_DAYS_INVALID = 422, "round_days_invalid", "评议日期不对:写成 2026-11-22 这样,开始不晚于结束,结束不早于今天,最长一年。", "Wrong dates: like 2026-11-22, the start not after the end, the end today or later, one year at most.";
    ROUND_SUBJECTS_INVALID = 422, "round_subjects_invalid", "请从列表中选择被评议的党组织或党员(1 到 200 个)。", "Choose the organisations or members to appraise from the list (1 to 200).";
    ROUND_MODE_INVALID = 422, "round_mode_invalid", "请选择公开二维码或一次性评议卡。", "Choose an open QR poster or one-time slips.";
    ROUND_NOT_FOUND = 404, "round_not_found", "找不到这次评议。", "Appraisal round not found.";
    ROUND_FINISHED = 409, "round_finished", "这次评议已经结束,不能再修改。", "This round is over and can no longer change.";
    ROUND_NOT_FINISHED = 409, "round_not_finished", "评议还没有结束。结束后才能计算结果,以免有人从中途的变化推算出某人的评价。", "The round is still running. Results are computed once it is over, so nobody can work out one person's answers from changes along the way.";
    SLIP_COUNT_INVALID = 422, "slip_count_invalid", "一次可以生成 1 到 2000 张评议卡,只有使用评议卡的评议才能生成。", "Make 1 to 2,000 slips at a time, for a slip-based round only.";
    SLIP_UNKNOWN = 404, "slip_unknown", "这张评议卡无效。请检查二维码是否完整,或向发卡的工作人员询问。", "This slip is not valid. Check that the QR code is complete, or ask whoever handed it out.";
    SLIP_USED = 409, "slip_used", "这张评议卡已经用过了,每张卡只能提交一次。如果是您在这部手机上填的,可以在评议结束前修改答案。", "This slip has already been used; each slip counts once. If you filled it in on this phone, you can change your answers until the round ends.";
    APPRAISAL_CLOSED = 409, "appraisal_closed", "现在不在评议时间内,不能提交。", "This appraisal is not taking answers now.";
    APPRAISAL_INCOMPLETE = 422, "appraisal_incomplete", "还有必答的项目没有选择,请把标出的项目选好再提交。您已选的都还在。", "Some required items are not answered yet; please answer the marked items and send again. Your choices are kept.";
    APPRAISAL_TEXT_TOO_LONG = 422, "appraisal_text_too_long", "意见和建议最多 1000 字,请删短一些。", "Suggestions are 1,000 characters at most; please shorten them.";
    CHANGE_KEY_UNKNOWN = 422, "change_key_unknown", "没有找到可以修改的答案。只有提交答案的那部手机、在评议结束前才能修改。", "No answers to change were found. Answers can be changed only from the phone that sent them, until the round ends.";
    NOTICE_TITLE_INVALID = 422, "notice_title_invalid", "请写通报标题,最多 100 字。", "Give the notice a title, 100 characters at most.";
    NOTICE_TEXT_TOO_LONG = 422, "notice_text_too_long", "通报正文最多 5000 字,请删短一些。", "The notice's text is 5,000 characters at most; please shorten it.";
    NOTICE_EMPTY = 422, "notice_empty", "通报里还没有内容:请写正文,或选择要公布的评议结果或整改台账。", "The notice says nothing yet: write a text, or choose a round's results or the rectification ledger to publish.";
    NOTICE_ROUND_INVALID = 422, "notice_round_invalid", "只能公布本小组已经结束的评议的结果。", "Only results of the group's finished rounds can be published.";
    NOTICE_NOT_FOUND = 404, "notice_not_found", "找不到这份通报。", "Notice not found.";
    NOTICE_PUBLISHED = 409, "notice_published", "这份通报已经公布,不能再改。先撤回,再修改后重新公布。", "This notice is published and cannot change. Withdraw it, edit it, then publish again.";
    LEADER_RANK_INVALID = 422, "leader_rank_invalid", "请从列表中选择领导职务类别。", "Choose a leader rank from the list.";
    STAT_YEAR_INVALID = 422, "stat_year_invalid", "请选择 2000 年到明年之间的年度。", "Choose a year from 2000 to next year.";
    REVIEW_PASS_INVALID = 422, "review_pass_invalid", "请选择第一次或第二次点评。", "Choose the first or the second pass.";
    REVIEW_REVIEWER_INVALID = 422, "review_reviewer_invalid", "请从列表中选择点评的领导干部(所辖范围内、已设置领导职务类别的人员)。", "Choose the reviewing leader from the list (someone of the area with a leader rank).";
    REVIEW_SUBJECTS_INVALID = 422, "review_subjects_invalid", "请从列表中选择被点评的党组织或党员,至少一个。", "Choose at least one organisation or member from the lists.";
    REVIEWS_NOT_FOUND = 404, "reviews_not_found", "找不到这组领导点评登记。", "These leader-review records were not found.";
    SUBMISSION_KEY_INVALID = 422, "submission_key_invalid", "页面出错了,请刷新页面后再提交。您写的内容还在。", "Something is wrong with this page; reload it and send again. What you wrote is kept.";
    CSRF = 403, "csrf", "页面已过期,请刷新后再提交。", "The page has expired; reload it and submit again.";
}
