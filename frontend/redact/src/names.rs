//! Likely personal names, found by two cues:
//! - a title after a one-to-three-char name that starts with a common surname (`王书记`,
//!   `李建国主任`, `张会计`);
//! - `老`/`小` before a common surname (`老王`, `小李`).
//!
//! Guards against common words: name chars may not be function words or place words
//! ([`STOP`]), a surname may not form a common word with its neighbour ([`WORDS`]: `现任书记`,
//! `基金经理`, `历史老师`), `向`/`于` never make a one-char name (`向书记反映`), and `老`/`小`
//! after words like `养` (`养老金`) or in words like `小于`, `小金库` do not count.

use super::chars::{char_at, char_before, is_han};
use vocabulary::screening::WarningKind;

use super::warning::Warning;

/// About a hundred of the most common Chinese surnames, most common first.
pub const COMMON_SURNAMES: [char; 100] = [
    '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭',
    '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾',
    '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁',
    '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金', '石', '廖', '贾', '夏',
    '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
    '龙', '史', '陶', '黎', '贺', '顾', '毛', '郝', '龚', '邵', '万', '钱', '严', '覃', '武', '戴',
    '莫', '孔', '向', '汤',
];

/// Titles and forms of address that follow a name.
pub(super) const TITLES: [&str; 41] = [
    "副书记",
    "书记",
    "支书",
    "副主任",
    "主任",
    "副村长",
    "村长",
    "组长",
    "队长",
    "社长",
    "镇长",
    "乡长",
    "县长",
    "所长",
    "站长",
    "会计",
    "出纳",
    "文书",
    "委员",
    "主席",
    "部长",
    "科长",
    "局长",
    "经理",
    "老板",
    "老师",
    "医生",
    "大夫",
    "师傅",
    "网格员",
    "专干",
    "大爷",
    "大妈",
    "大娘",
    "大叔",
    "大哥",
    "大姐",
    "阿姨",
    "婶子",
    "嫂子",
    "厂长",
];

/// The first chars of [`TITLES`], checked before trying them.
pub(super) const TITLE_STARTS: &str =
    "副书支主村组队社镇乡县所站会出文委部科局经老医大师网专阿婶嫂厂";

/// Chars that do not occur inside a name before a title: function words, pronouns, places.
const STOP: &str = "的了和与跟是在给找说对向把被让叫问请个位名村镇乡县市区组委会里们这那我你他\
                    她它也都就还又很去来到有没不上下前后新副总党支部团妇联社队站所局科处省及或\
                    等为以由将当时各每该本其之同老级";

/// Common words that contain a surname char; a surname in one of them is not a name.
const WORDS: [&str; 84] = [
    "现任", "前任", "新任", "继任", "兼任", "担任", "上任", "历任", "原任", "曾任", "责任", "信任",
    "任何", "如何", "几何", "为何", "有何", "对方", "双方", "地方", "官方", "各方", "我方", "甲方",
    "乙方", "东方", "西方", "南方", "北方", "多方", "方面", "方法", "方向", "基金", "资金", "现金",
    "租金", "奖金", "押金", "黄金", "金融", "工程", "过程", "课程", "章程", "程序", "历史", "马上",
    "高级", "高中", "高层", "周边", "周末", "白天", "明白", "万元", "千万", "石油", "林业", "毛病",
    "江湖", "于是", "关于", "对于", "由于", "至于", "等于", "一向", "走向", "面向", "有钱", "没钱",
    "的钱", "给钱", "交钱", "收钱", "要钱", "赚钱", "花钱", "工钱", "路段", "阶段", "手段", "种田",
];

/// Surnames that are also everyday words on their own (`向书记反映`): never a one-char name.
const NEVER_ALONE: [char; 2] = ['向', '于'];

/// Words starting with `老`/`小` and a surname that are not nicknames.
const NOT_NICKNAMES: [&str; 18] = [
    "小于",
    "小金库",
    "小龙虾",
    "小白菜",
    "小白鼠",
    "小方块",
    "老方法",
    "老毛病",
    "小毛病",
    "小钱",
    "老江湖",
    "小程序",
    "老黄历",
    "老黄牛",
    "小高层",
    "小孔",
    "小石头",
    "小马虎",
];

/// Chars before `老`/`小` that make a word rather than a nickname (`养老金`, `从小`).
const NOT_BEFORE_LAO: &str = "养敬尊孝扶助元古父长终防衰苍遗送爱老";
/// See [`NOT_BEFORE_LAO`].
const NOT_BEFORE_XIAO: &str = "从大最较很太更变缩减弱矮细微短渺狭小多";

/// Finds likely names, sorted by position (they may overlap, e.g. `老王` and `王书记`).
pub(crate) fn find(text: &str) -> Vec<Warning> {
    let mut out = Vec::new();
    for (pos, c) in text.char_indices() {
        if matches!(c, '老' | '小')
            && let Some(end) = nickname_at(text, pos, c)
        {
            push(&mut out, pos, end);
        }
        if TITLE_STARTS.contains(c)
            && let Some(title) = TITLES.iter().find(|t| text[pos..].starts_with(*t))
            && let Some(start) = name_before(text, pos)
        {
            push(&mut out, start, pos + title.len());
        }
    }
    out
}

/// Records a name at `start..end`, skipping a title already covered (`副书记` then `书记`).
fn push(out: &mut Vec<Warning>, start: usize, end: usize) {
    if out.last().is_some_and(|w| w.end >= end) {
        return;
    }
    out.push(Warning {
        kind: WarningKind::PersonName,
        start,
        end,
    });
}

/// Whether `c` is one of the common surnames.
fn is_surname(c: char) -> bool {
    COMMON_SURNAMES.contains(&c)
}

/// Whether the two chars `a`, `b` form one of [`WORDS`].
fn is_word(a: char, b: char) -> bool {
    let mut buf = [0u8; 8];
    let len_a = a.encode_utf8(&mut buf).len();
    let len_b = b.encode_utf8(&mut buf[len_a..]).len();
    let pair = std::str::from_utf8(&buf[..len_a + len_b]).unwrap_or_default();
    WORDS.contains(&pair)
}

/// The start of a one-to-three-char name ending at `title_start`, longest first.
fn name_before(text: &str, title_start: usize) -> Option<usize> {
    // before[k] = (start, char) of the (k + 1)-th char before the title.
    let mut before = [None; 4];
    let mut pos = title_start;
    for slot in &mut before {
        let Some((start, c)) = char_before(text, pos) else {
            break;
        };
        *slot = Some((start, c));
        pos = start;
    }
    let inner = |c: char| is_han(c) && !STOP.contains(c);
    let free_before = |k: usize, surname: char| match before.get(k).copied().flatten() {
        Some((_, prev)) => !is_word(prev, surname),
        None => true,
    };
    for len in [3, 2, 1] {
        let Some((start, surname)) = before[len - 1] else {
            continue;
        };
        let body_ok = before[..len - 1]
            .iter()
            .all(|b| b.is_some_and(|(_, c)| inner(c)));
        let second = if len > 1 {
            before[len - 2].map(|(_, c)| c)
        } else {
            None
        };
        let ok = is_surname(surname)
            && body_ok
            && free_before(len, surname)
            && !second.is_some_and(|c| is_word(surname, c))
            && !(len == 1 && NEVER_ALONE.contains(&surname));
        if ok {
            return Some(start);
        }
    }
    None
}

/// The end of a `老X`/`小X` nickname starting at `pos` (where `lead` is), if there is one.
fn nickname_at(text: &str, pos: usize, lead: char) -> Option<usize> {
    let surname_at = pos + lead.len_utf8();
    let surname = char_at(text, surname_at).filter(|&c| is_surname(c))?;
    let not_before = if lead == '老' {
        NOT_BEFORE_LAO
    } else {
        NOT_BEFORE_XIAO
    };
    if char_before(text, pos).is_some_and(|(_, c)| not_before.contains(c)) {
        return None;
    }
    if NOT_NICKNAMES.iter().any(|w| text[pos..].starts_with(w)) {
        return None;
    }
    Some(surname_at + surname.len_utf8())
}
