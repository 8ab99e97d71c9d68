//! `redact`: the redaction engine (the `redact` crate) on any text, as an opinion's text reaches
//! it (bytes read as UTF-8, invalid sequences replaced).
//!
//! Invariants: findings and warnings are sorted, non-empty, inside the text and on char
//! boundaries, findings never overlap; `redact` replaces exactly the findings by their kind's
//! mask and counts them; char and UTF-16 ranges agree with the byte ranges; and redacting the
//! redacted text changes nothing (a mask never makes a new identifier with its neighbours).

use frontend::components::needs_confirmation;
use rand::RngExt;
use rand::rngs::SmallRng;
use redact::{find_identifiers, find_warnings, redact};
use vocabulary::screening::IdentifierKind;

use super::{pick, random_text};
use crate::engine::{Target, Verdict, ensure, signature};

/// The target.
pub fn target() -> Target {
    Target {
        name: "redact",
        seeds,
        dictionary: DICTIONARY,
        generate,
        mutate: None,
        max_len: 4096,
        check,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b"13812345678",
    b"+86",
    b"0086",
    b"86-",
    "１３８".as_bytes(),
    b"138 1234 5678",
    b"11010519491231002X",
    b"110105194912310",
    b"6222021234567890123",
    b"4111111111111111",
    b"@qq.com",
    b"a.b@example.cn",
    "＠".as_bytes(),
    b"QQ",
    b"qq:",
    "微信号：".as_bytes(),
    "微信".as_bytes(),
    b"wx_",
    "电话".as_bytes(),
    "手机".as_bytes(),
    "身份证".as_bytes(),
    "银行卡".as_bytes(),
    "[手机号]".as_bytes(),
    "[身份证号]".as_bytes(),
    "[银行卡号]".as_bytes(),
    "[邮箱]".as_bytes(),
    "[QQ/微信号]".as_bytes(),
    "王书记".as_bytes(),
    "老张".as_bytes(),
    "张家村3组15号".as_bytes(),
    "5号楼".as_bytes(),
    "一三八一二三四五六七八".as_bytes(),
    "幺三八".as_bytes(),
    "〇".as_bytes(),
    b"0731-",
    "（020）".as_bytes(),
    b"(0571)",
    b" at ",
    "（at）".as_bytes(),
    "艾特".as_bytes(),
    b"#126.com",
    b" . com",
    "扣扣".as_bytes(),
    "企鹅号".as_bytes(),
    "V信".as_bytes(),
    "，".as_bytes(),
    b"/",
    "·".as_bytes(),
    "[座机号]".as_bytes(),
    "壹贰叁".as_bytes(),
    "Ｘ".as_bytes(),
    "　".as_bytes(),
    "—".as_bytes(),
    b"-",
    b" ",
    b".",
];

fn seeds() -> Vec<Vec<u8>> {
    [
        "",
        "村口的路灯坏了三个月，晚上看不见路。",
        "我的电话13812345678，请联系我。",
        "手机 138 1234 5678 或 +86 139-1234-5678，身份证11010519491231002X。",
        "银行卡号6222021234567890128，邮箱 wang.xiao@example.com，QQ：12345678，微信号：wx_abc123",
        "王书记在张家村3组15号，老张说补贴2万元没发。",
        "１３８１２３４５６７８ 和 ０08613812345678",
        "[手机号]已经被遮住了",
        "2026年11月22日，3组共15户，每户补贴1200元，合计18000元。",
        "电话幺三八一二三四五六七八，座机（0731）8888888，身份证440305198，512127651。",
        "邮箱 zhangsan（at）qq.com 或 li @ 163 . com，扣扣一二三四五六七八，V信 wang_xm88",
        "二〇二四年三月十五日拨打12345，12，345元，3亩2分，安创先办〔2011〕2号，G320国道",
    ]
    .into_iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Text mixing filler with identifiers, cue words and the masks themselves.
fn generate(rng: &mut SmallRng) -> Vec<u8> {
    let mut text = String::new();
    for _ in 0..rng.random_range(1..8) {
        match rng.random_range(0..8) {
            0 => text.push_str(&mobile(rng)),
            1 => {
                let n = rng.random_range(1..24);
                text.push_str(&digits(rng, n));
            }
            2 => text.push_str(&format!(
                "{}@{}.{}",
                random_text(rng, 6),
                random_text(rng, 5),
                pick(rng, &["com", "cn", "中国", ""])
            )),
            3 => text.push_str(pick(rng, &["QQ", "qq号", "微信：", "微信号", "VX", "电话"])),
            4 => text.push_str(pick(
                rng,
                &[
                    "[手机号]",
                    "[身份证号]",
                    "[银行卡号]",
                    "[邮箱]",
                    "[QQ/微信号]",
                ],
            )),
            5 => text.push_str(pick(rng, &[" ", "-", "　", "—", "：", "，", "\n", ""])),
            _ => text.push_str(&random_text(rng, 12)),
        }
    }
    text.into_bytes()
}

/// A valid-looking mobile, plain, grouped, prefixed or full-width.
fn mobile(rng: &mut SmallRng) -> String {
    let bare = format!("1{}{}", rng.random_range(3..10), digits(rng, 9));
    match rng.random_range(0..5) {
        0 => bare,
        1 => format!("{} {} {}", &bare[..3], &bare[3..7], &bare[7..]),
        2 => format!("+86{bare}"),
        3 => bare
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect(),
        _ => format!("0086-{bare}"),
    }
}

fn digits(rng: &mut SmallRng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

fn check(input: &[u8]) -> Verdict {
    let text = String::from_utf8_lossy(input);
    let found = find_identifiers(&text);
    for f in &found {
        ensure(
            f.start < f.end
                && f.end <= text.len()
                && text.is_char_boundary(f.start)
                && text.is_char_boundary(f.end),
            || format!("finding {f:?} is not a range of chars of the text"),
        )?;
        let chars = f.char_range(&text);
        ensure(
            chars.start == text[..f.start].chars().count()
                && chars.end == text[..f.end].chars().count(),
            || format!("char range {chars:?} disagrees with {f:?}"),
        )?;
        let utf16 = f.utf16_range(&text);
        ensure(
            utf16.start == text[..f.start].encode_utf16().count()
                && utf16.end == text[..f.end].encode_utf16().count(),
            || format!("UTF-16 range {utf16:?} disagrees with {f:?}"),
        )?;
    }
    for pair in found.windows(2) {
        ensure(pair[0].end <= pair[1].start, || {
            format!(
                "findings {:?} and {:?} overlap or are out of order",
                pair[0], pair[1]
            )
        })?;
    }

    let redacted = redact(&text);
    let mut expected = String::new();
    let mut copied = 0;
    for f in &found {
        expected.push_str(&text[copied..f.start]);
        expected.push_str(f.kind.mask());
        copied = f.end;
    }
    expected.push_str(&text[copied..]);
    ensure(redacted.text == expected, || {
        "redact() does not replace exactly the findings by their masks".to_string()
    })?;
    for kind in IdentifierKind::ALL {
        let n = found.iter().filter(|f| f.kind == kind).count() as u32;
        ensure(redacted.count(kind) == n, || {
            format!(
                "count of {kind:?} is {} but {n} were found",
                redacted.count(kind)
            )
        })?;
    }

    let again = redact(&redacted.text);
    ensure(again.text == redacted.text, || {
        format!(
            "redacting the redacted text masks more: {:?} became {:?}",
            redacted.text, again.text
        )
    })?;

    let warnings = find_warnings(&text);
    for w in &warnings {
        ensure(
            w.start < w.end
                && w.end <= text.len()
                && text.is_char_boundary(w.start)
                && text.is_char_boundary(w.end),
            || format!("warning {w:?} is not a range of chars of the text"),
        )?;
        let chars = w.char_range(&text);
        ensure(chars.start <= chars.end, || {
            format!("warning char range {chars:?} is reversed")
        })?;
    }
    for pair in warnings.windows(2) {
        ensure(pair[0].start <= pair[1].start, || {
            format!("warnings {:?} and {:?} are out of order", pair[0], pair[1])
        })?;
    }
    ensure(needs_confirmation(&text) != warnings.is_empty(), || {
        "needs_confirmation disagrees with find_warnings".to_string()
    })?;

    let kinds: Vec<IdentifierKind> = found.iter().map(|f| f.kind).collect();
    let warned: Vec<u8> = warnings.iter().map(|w| w.kind as u8).collect();
    Ok(signature((kinds, warned)))
}
