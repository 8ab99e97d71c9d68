//! Table-driven tests: input → expected stored text, plus counts, spans and warnings.

use super::*;
use vocabulary::i18n::Lang;
use vocabulary::screening::{IdentifierKind, WarningKind};

/// Input → expected redacted text. Rows whose expectation equals the input are hard negatives.
const CASES: &[(&str, &str)] = &[
    // ── Mobile numbers ──────────────────────────────────────────────────────────────────
    ("13812345678", "[手机号]"),
    ("我的电话是13812345678", "我的电话是[手机号]"),
    ("13812345678是我的电话", "[手机号]是我的电话"),
    ("电话：13812345678。", "电话：[手机号]。"),
    ("电话:138 1234 5678", "电话:[手机号]"),
    ("电话 138-1234-5678，", "电话 [手机号]，"),
    ("电话138 12345678", "电话[手机号]"),
    ("1381234 5678", "[手机号]"),
    ("138—1234—5678", "[手机号]"),
    ("138　1234　5678", "[手机号]"),
    ("138－1234－5678", "[手机号]"),
    ("+8613812345678", "[手机号]"),
    ("+86 13812345678", "[手机号]"),
    ("+86-138-1234-5678", "[手机号]"),
    ("+86 138 1234 5678", "[手机号]"),
    ("＋86 13812345678", "[手机号]"),
    ("008613812345678", "[手机号]"),
    ("0086 13812345678", "[手机号]"),
    ("0086-138-1234-5678", "[手机号]"),
    ("8613812345678", "[手机号]"),
    ("86-13812345678", "[手机号]"),
    ("86 138 1234 5678", "[手机号]"),
    ("请拨+8613812345678找我", "请拨[手机号]找我"),
    ("１３８１２３４５６７８", "[手机号]"),
    ("手机１３８ １２３４ ５６７８", "手机[手机号]"),
    ("15900001111和18688889999", "[手机号]和[手机号]"),
    ("13812345678,13912345678", "[手机号],[手机号]"),
    ("13812345678 13912345678", "[手机号] [手机号]"),
    ("13812345678/13912345678", "[手机号]/[手机号]"),
    (
        "13812345678、13912345678、15012345678",
        "[手机号]、[手机号]、[手机号]",
    ),
    ("联系19912345678", "联系[手机号]"),
    ("17012345678", "[手机号]"),
    ("14712345678", "[手机号]"),
    ("16612345678", "[手机号]"),
    ("（13812345678）", "（[手机号]）"),
    ("(13812345678)", "([手机号])"),
    ("tel:13812345678", "tel:[手机号]"),
    ("Tel13812345678", "Tel[手机号]"),
    ("TEL 138-1234-5678", "TEL [手机号]"),
    ("phone13812345678", "phone[手机号]"),
    ("拨打13812345678！", "拨打[手机号]！"),
    ("13812345678。13912345678", "[手机号]。[手机号]"),
    ("号码13812345678\n下一行", "号码[手机号]\n下一行"),
    ("2023年5月6日13812345678", "2023年5月6日[手机号]"),
    (
        "他的手机号是 13812345678 ，请联系",
        "他的手机号是 [手机号] ，请联系",
    ),
    ("13812345678.", "[手机号]."),
    ("电话—13812345678", "电话—[手机号]"),
    (
        "第一个13812345678第二个13912345678",
        "第一个[手机号]第二个[手机号]",
    ),
    ("2023-05-06 13812345678", "2023-05-06 [手机号]"),
    ("共12 13812345678", "共12 [手机号]"),
    ("\"13812345678\"", "\"[手机号]\""),
    ("【13812345678】", "【[手机号]】"),
    // Mobile negatives.
    ("12345678901", "12345678901"),
    ("10012345678", "10012345678"),
    ("1381234567", "1381234567"),
    ("138123456789", "138123456789"),
    ("订单号20230506138123456789", "订单号20230506138123456789"),
    ("订单号SN13812345678", "订单号SN13812345678"),
    ("13812345678abc", "13812345678abc"),
    ("a13812345678", "a13812345678"),
    ("user_13812345678", "user_13812345678"),
    ("138_1234_5678", "138_1234_5678"),
    ("3.13812345678", "3.13812345678"),
    ("13812345678.5", "13812345678.5"),
    ("138.1234.5678", "[手机号]"),
    ("1 3812345678", "1 3812345678"),
    ("13 14 15 16 17 18", "13 14 15 16 17 18"),
    ("86 12345678901", "86 12345678901"),
    ("8612345678901", "8612345678901"),
    // ── Resident IDs ────────────────────────────────────────────────────────────────────
    ("11010519491231002X", "[身份证号]"),
    ("11010519491231002x", "[身份证号]"),
    ("身份证号：440305198512127651", "身份证号：[身份证号]"),
    ("身份证 320106199003071234，", "身份证 [身份证号]，"),
    ("110105 19491231 002X", "[身份证号]"),
    ("4403 0519 8512 1276 51", "[身份证号]"),
    ("440305-19851212-7651", "[身份证号]"),
    ("510107200002290010", "[身份证号]"),
    ("610113199602298767", "[身份证号]"),
    ("３５０２０３１９７８０８１５４４２７", "[身份证号]"),
    ("１１０１０５１９４９１２３１００２Ｘ", "[身份证号]"),
    (
        "我叫张三，身份证350203197808154427，电话13812345678",
        "我叫张三，身份证[身份证号]，电话[手机号]",
    ),
    ("110105491231002", "[身份证号]"),
    ("老身份证号110105491231002。", "老身份证号[身份证号]。"),
    ("330102200101010031", "[身份证号]"),
    ("420111198811111118", "[身份证号]"),
    ("130102197010101016", "[身份证号]"),
    ("210204198207045671", "[身份证号]"),
    ("370202199309090904", "[身份证号]"),
    ("450103196706212343", "[身份证号]"),
    ("110101199912319996", "[身份证号]"),
    ("220102198001010055", "[身份证号]"),
    ("ID:11010519491231002X", "ID:[身份证号]"),
    ("11010519491231002X号", "[身份证号]号"),
    (
        "证件号11010519491231002X，手机13812345678",
        "证件号[身份证号]，手机[手机号]",
    ),
    ("身份证是11010519491231002X。", "身份证是[身份证号]。"),
    ("(11010519491231002X)", "([身份证号])"),
    ("11010519491231002X13812345678", "[身份证号][手机号]"),
    ("身份证110105194912310021X", "身份证110105194912310021X"),
    // Resident-ID negatives: wrong check digit, impossible dates, bad prefixes, glued letters.
    ("110105194912310021", "110105194912310021"),
    ("320106199003071235", "320106199003071235"),
    ("110101190002290011", "110101190002290011"),
    ("110101199013320010", "110101199013320010"),
    ("110105491331002", "110105491331002"),
    ("990105491231002", "990105491231002"),
    ("11010519491231002Xab", "11010519491231002Xab"),
    ("11010519491231002Y", "11010519491231002Y"),
    ("A11010519491231002X", "A11010519491231002X"),
    ("1101051949123100211", "1101051949123100211"),
    ("11010519491231002", "11010519491231002"),
    // ── Bank cards ──────────────────────────────────────────────────────────────────────
    ("6222021234567894", "[银行卡号]"),
    ("6222 0212 3456 7894", "[银行卡号]"),
    ("6222-0212-3456-7894", "[银行卡号]"),
    ("卡号：6217000010001234569", "卡号：[银行卡号]"),
    ("6217 0000 1000 1234 569", "[银行卡号]"),
    ("9558801234567890128", "[银行卡号]"),
    ("4367421234567896", "[银行卡号]"),
    ("5240910022334451", "[银行卡号]"),
    ("3568330011223343", "[银行卡号]"),
    ("6225881122334455667", "[银行卡号]"),
    ("6011001122334453", "[银行卡号]"),
    ("2221000000000009", "[银行卡号]"),
    ("2720112233445566", "[银行卡号]"),
    ("4111111111111111", "[银行卡号]"),
    ("5500 0000 0000 0004", "[银行卡号]"),
    ("621488123456789019", "[银行卡号]"),
    ("62220212345678945", "[银行卡号]"),
    (
        "银行卡号６２２２０２１２３４５６７８９４",
        "银行卡号[银行卡号]",
    ),
    (
        "打款到6222021234567894，户名张三",
        "打款到[银行卡号]，户名张三",
    ),
    ("卡号6222021234567894。", "卡号[银行卡号]。"),
    (
        "电话：13812345678 收款卡号：6222021234567894",
        "电话：[手机号] 收款卡号：[银行卡号]",
    ),
    // Bank-card negatives: Luhn failures, non-card first digits, odd grouping, too long.
    ("6222021234567895", "6222021234567895"),
    ("4111111111111112", "4111111111111112"),
    ("1234567812345670", "1234567812345670"),
    ("2023050612345672", "2023050612345672"),
    ("7023050612345671", "7023050612345671"),
    ("6222 0212 34567894", "6222 0212 34567894"),
    ("订单号62220212345678941234", "订单号62220212345678941234"),
    ("6222021234567894A", "6222021234567894A"),
    // ── Emails ──────────────────────────────────────────────────────────────────────────
    ("zhangsan@163.com", "[邮箱]"),
    ("邮箱：zhang.san@qq.com。", "邮箱：[邮箱]。"),
    ("wang_xm+test@example.com.cn", "[邮箱]"),
    ("li-si@mail.example.org，谢谢", "[邮箱]，谢谢"),
    ("13812345678@qq.com", "[邮箱]"),
    ("联系zhangsan＠163.com", "联系[邮箱]"),
    ("邮件a@b.cn", "邮件[邮箱]"),
    ("ABC@EXAMPLE.COM", "[邮箱]"),
    ("发到 test@example.com.", "发到 [邮箱]."),
    ("x1@y.com和z2@w.net", "[邮箱]和[邮箱]"),
    ("<zs@163.com>", "<[邮箱]>"),
    (
        "邮箱是 zs2023@sina.com.cn 电话13812345678",
        "邮箱是 [邮箱] 电话[手机号]",
    ),
    ("请发.abc@qq.com", "请发.[邮箱]"),
    // Found by fuzzing: an address glued to a number hid one or both of them.
    ("a.b@example.cn-6222021234567894", "[邮箱]-[银行卡号]"),
    ("zs@qq.com13812345678", "[邮箱][手机号]"),
    ("zs@qq.com１３８１２３４５６７８", "[邮箱][手机号]"),
    ("１３８１２３４５６７８zs@qq.com", "[手机号][邮箱]"),
    // Email negatives.
    ("@张三 你好", "@张三 你好"),
    ("a@b", "a@b"),
    ("foo@bar.c", "foo@bar.c"),
    ("foo@.com", "foo@.com"),
    ("foo@bar.123", "foo@bar.123"),
    ("价格@10元", "价格@10元"),
    ("user@localhost", "user@localhost"),
    ("@@", "@@"),
    ("foo@-bar.com", "foo@-bar.com"),
    // ── QQ / WeChat, introduced by a cue ────────────────────────────────────────────────
    ("QQ：12345678", "QQ：[QQ/微信号]"),
    ("QQ12345678", "QQ[QQ/微信号]"),
    ("qq号 987654321", "qq号 [QQ/微信号]"),
    ("QQ号码是10001", "QQ号码是[QQ/微信号]"),
    ("扣扣：123456789", "扣扣：[QQ/微信号]"),
    ("我的QQ:2847561930", "我的QQ:[QQ/微信号]"),
    ("微信：wang_xm88", "微信：[QQ/微信号]"),
    ("微信号是zhangsan2023", "微信号是[QQ/微信号]"),
    ("加我微信 wxid_abc12345", "加我微信 [QQ/微信号]"),
    ("VX: lisi-1990", "VX: [QQ/微信号]"),
    ("vx：lisi1990", "vx：[QQ/微信号]"),
    ("wx:Zhang_San", "wx:[QQ/微信号]"),
    ("WeChat: zhangsan88", "WeChat: [QQ/微信号]"),
    ("威信 abcdef1", "威信 [QQ/微信号]"),
    ("微信号：12345678", "微信号：[QQ/微信号]"),
    ("QQ/微信：12345678", "QQ/微信：[QQ/微信号]"),
    ("QQ：１２３４５６７８", "QQ：[QQ/微信号]"),
    (
        "QQ 12345678，微信 wang_xm88",
        "QQ [QQ/微信号]，微信 [QQ/微信号]",
    ),
    ("微信ID：zhang_san", "微信ID：[QQ/微信号]"),
    ("微信13812345678", "微信[手机号]"),
    ("qq13812345678", "qq[手机号]"),
    ("微信号：138 1234 5678", "微信号：[手机号]"),
    ("QQ邮箱12345678@qq.com", "QQ邮箱[邮箱]"),
    ("V信：abc_123456", "V信：[QQ/微信号]"),
    // Found by fuzzing: a mobile inside a WeChat id is masked, and so is the rest of the id.
    ("微信号c0086-13812345678", "微信号[QQ/微信号][手机号]"),
    ("QQ１２３４５６７８a.b@example.cn", "QQ[QQ/微信号][邮箱]"),
    // QQ / WeChat negatives: no cue, not an id, or an amount.
    ("12345678", "12345678"),
    ("我的号是12345678", "我的号是12345678"),
    ("QQ群123456789", "QQ群123456789"),
    ("QQ：01234567", "QQ：01234567"),
    ("QQ：1234", "QQ：1234"),
    ("QQ：123456789012", "QQ：123456789012"),
    ("微信转账20000元", "微信转账20000元"),
    ("微信20000元", "微信20000元"),
    ("QQ 10000块", "QQ 10000块"),
    ("微信：abc", "微信：abc"),
    ("微信：zhang", "微信：zhang"),
    (
        "微信：a123456789012345678901",
        "微信：a123456789012345678901",
    ),
    ("用微信支付了100块钱", "用微信支付了100块钱"),
    ("QQ：wang_xm88", "QQ：wang_xm88"),
    ("微信群里有300人", "微信群里有300人"),
    ("微信 12345.67", "微信 12345.67"),
    ("AQQ12345678", "AQQ12345678"),
    ("wxyz123456", "wxyz123456"),
    ("微信：_abc12345", "微信：_abc12345"),
    // ── Hard negatives: amounts, dates, counts, years, landlines, versions, times ───────
    ("", ""),
    ("   ", "   "),
    ("20万元", "20万元"),
    ("补偿款20万元没有到账", "补偿款20万元没有到账"),
    ("2023年5月6日", "2023年5月6日"),
    ("2023-05-06", "2023-05-06"),
    ("2023/05/06", "2023/05/06"),
    ("20230506", "20230506"),
    ("202305061430", "202305061430"),
    ("1949-10-01", "1949-10-01"),
    ("2023-05-06 13:00", "2023-05-06 13:00"),
    ("960份", "960份"),
    ("全村960份问卷", "全村960份问卷"),
    ("12个", "12个"),
    ("100块钱", "100块钱"),
    ("3.5亩", "3.5亩"),
    ("面积3.5亩", "面积3.5亩"),
    ("1998年", "1998年"),
    ("2024年", "2024年"),
    ("10086", "10086"),
    ("95588", "95588"),
    ("12306", "12306"),
    ("110", "110"),
    ("15%", "15%"),
    ("增长了23.5%", "增长了23.5%"),
    ("v1.2.3", "v1.2.3"),
    ("版本 2.0.13", "版本 2.0.13"),
    ("第3组", "第3组"),
    ("第12组第3户", "第12组第3户"),
    ("1,234,567.89", "1,234,567.89"),
    ("共发放补贴1,234,567.89元", "共发放补贴1,234,567.89元"),
    ("14:30", "14:30"),
    ("2023年5月6日14:30", "2023年5月6日14:30"),
    ("0571-88886666", "[座机号]"),
    ("010-12345678", "010-12345678"),
    ("010 8888 6666", "[座机号]"),
    ("(0571)88886666", "[座机号]"),
    ("400-800-8888", "400-800-8888"),
    ("编号No.2023001", "编号No.2023001"),
    ("身高175cm体重70kg", "身高175cm体重70kg"),
    ("温度-5度", "温度-5度"),
    ("GB/T 2260-2007", "GB/T 2260-2007"),
    ("ISO 7064", "ISO 7064"),
    ("ISBN 978-7-111-12345-6", "ISBN 978-7-111-12345-6"),
    ("邮编310000", "邮编310000"),
    ("3.1415926535", "3.1415926535"),
    ("村里有1380户人家", "村里有1380户人家"),
    ("第138号文件", "第138号文件"),
    ("一二三四五六七八九十", "一二三四五六七八九十"),
    ("王书记家在张家村3组15号", "王书记家在张家村3组15号"),
    ("打了12345次电话", "打了12345次电话"),
    ("收入从3000涨到5000", "收入从3000涨到5000"),
    ("1 2 3 4 5 6 7 8 9 10 11", "1 2 3 4 5 6 7 8 9 10 11"),
    ("1234 5678 9012 3456 7890", "1234 5678 9012 3456 7890"),
    ("0000000000000000", "0000000000000000"),
    ("11111111111", "11111111111"),
    // ── Written the way villagers type them (issue 18) ─────────────────────────────────
    // Mobiles: dots, slashes, a space between every digit, Chinese numerals, mixed forms.
    ("138/1234/5678", "[手机号]"),
    ("电话138·1234·5678", "电话[手机号]"),
    ("1 3 8 1 2 3 4 5 6 7 8", "[手机号]"),
    ("电话 1 3 8 1 2 3 4 5 6 7 8 谢谢", "电话 [手机号] 谢谢"),
    ("一三八一二三四五六七八", "[手机号]"),
    ("我电话是幺三八幺二三四五六七八，", "我电话是[手机号]，"),
    ("一三九〇〇〇〇一一一一", "[手机号]"),
    ("138一二三四5678", "[手机号]"),
    ("一三八 一二三四 五六七八", "[手机号]"),
    ("１３８.１２３４.５６７８", "[手机号]"),
    ("138 - 1234 - 5678", "[手机号]"),
    ("138——1234——5678", "[手机号]"),
    ("13812345678一定要回电话", "[手机号]一定要回电话"),
    ("第一13812345678", "第一[手机号]"),
    (
        "联系方式：1. 13812345678 2. 13912345678",
        "联系方式：1. [手机号] 2. [手机号]",
    ),
    ("壹叁捌壹贰叁肆伍陆柒捌", "[手机号]"),
    // Landlines: area codes from the national list, 7–8 digit local numbers, brackets.
    ("0731-8888888", "[座机号]"),
    ("座机0731-88886666。", "座机[座机号]。"),
    ("（020）88886666", "[座机号]"),
    ("电话（020） 8888 6666", "电话[座机号]"),
    ("0898 6688 8888", "[座机号]"),
    ("07318888888", "[座机号]"),
    ("02188886666", "[座机号]"),
    ("零七三一八八八八八八八", "[座机号]"),
    ("0731 888 8888", "[座机号]"),
    // IDs and cards in Chinese numerals, or broken by one comma when the check digit holds.
    ("四四〇三〇五一九八五一二一二七六五一", "[身份证号]"),
    (
        "身份证一一〇一〇五一九四九一二三一〇〇二X",
        "身份证[身份证号]",
    ),
    ("440305198，512127651", "[身份证号]"),
    ("440305198,512127651", "[身份证号]"),
    ("六二二二〇二一二三四五六七八九四", "[银行卡号]"),
    ("6222021234，567894", "[银行卡号]"),
    // Emails written to dodge a filter.
    ("zhangsan at 163.com", "[邮箱]"),
    ("邮箱 zhangsan（at）qq.com 谢谢", "邮箱 [邮箱] 谢谢"),
    ("zhangsan(at)qq.com", "[邮箱]"),
    ("zhangsan[at]126.com", "[邮箱]"),
    ("zhangsan#126.com", "[邮箱]"),
    ("zhangsan @ 163 . com", "[邮箱]"),
    ("zhangsan@163 . com", "[邮箱]"),
    ("zhangsan 艾特 qq.com", "[邮箱]"),
    ("zhangsan艾特qq点com", "[邮箱]"),
    ("zhangsan at qq dot com", "[邮箱]"),
    // QQ and WeChat after their nicknames, also in Chinese numerals.
    ("扣扣12345678", "扣扣[QQ/微信号]"),
    ("扣扣：一二三四五六七八", "扣扣：[QQ/微信号]"),
    ("企鹅号 87654321", "企鹅号 [QQ/微信号]"),
    ("Q号：123456789", "Q号：[QQ/微信号]"),
    ("vx: wang_xm88", "vx: [QQ/微信号]"),
    ("V信 wang_xm88", "V信 [QQ/微信号]"),
    ("薇信wang_xm88", "薇信[QQ/微信号]"),
    ("QQ12345678一个月没回", "QQ[QQ/微信号]一个月没回"),
    // Meaningful numbers in the same forms stay.
    ("投诉打12345", "投诉打12345"),
    ("12388举报", "12388举报"),
    ("12315", "12315"),
    ("报警110", "报警110"),
    ("反诈96110", "反诈96110"),
    ("安创先办〔2011〕2号", "安创先办〔2011〕2号"),
    (
        "统一社会信用代码91430100MA4L123456",
        "统一社会信用代码91430100MA4L123456",
    ),
    ("2024年3月15日", "2024年3月15日"),
    ("二〇二四年三月十五日", "二〇二四年三月十五日"),
    ("二〇二四年三月", "二〇二四年三月"),
    ("20240315", "20240315"),
    ("2024.03.15", "2024.03.15"),
    ("2024/3/15 14:30", "2024/3/15 14:30"),
    ("12，345元", "12，345元"),
    ("一共12,345元", "一共12,345元"),
    ("3亩2分", "3亩2分"),
    ("三亩二分地", "三亩二分地"),
    ("3组12号", "3组12号"),
    ("三组十二号", "三组十二号"),
    ("G320国道", "G320国道"),
    ("邮编 410000", "邮编 410000"),
    ("一五一十地说", "一五一十地说"),
    ("三三两两", "三三两两"),
    ("0731", "0731"),
    ("0731-12345", "0731-12345"),
    ("0123-8888888", "0123-8888888"),
    ("第3.13812345678", "第3.13812345678"),
    ("看 at home", "看 at home"),
    ("#话题# 修路", "#话题# 修路"),
    ("3#楼2单元", "3#楼2单元"),
    ("企鹅很可爱", "企鹅很可爱"),
    ("433101200，512123883", "433101200，512123883"),
    ("138，1234，5678", "138，1234，5678"),
    // ── Several kinds in one text ───────────────────────────────────────────────────────
    (
        "张三 13812345678 卡 6222021234567894 邮箱 zs@163.com 身份证 11010519491231002X QQ 12345678",
        "张三 [手机号] 卡 [银行卡号] 邮箱 [邮箱] 身份证 [身份证号] QQ [QQ/微信号]",
    ),
    (
        "村主任收了20万元，举报人电话13812345678，微信wang_xm88。",
        "村主任收了20万元，举报人电话[手机号]，微信[QQ/微信号]。",
    ),
    (
        "2023年5月6日，960份补贴款中有100块钱打到了6222 0212 3456 7894。",
        "2023年5月6日，960份补贴款中有100块钱打到了[银行卡号]。",
    ),
];

#[test]
fn table_has_enough_cases() {
    assert!(CASES.len() >= 200, "only {} cases", CASES.len());
}

#[test]
fn table_cases_redact_as_expected() {
    let failures: Vec<String> = CASES
        .iter()
        .filter_map(|&(input, expected)| {
            let got = redact(input).text;
            (got != expected)
                .then(|| format!("{input:?}\n   expected {expected:?}\n        got {got:?}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failing cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn findings_are_sorted_disjoint_and_on_boundaries() {
    for &(input, _) in CASES {
        let found = find_identifiers(input);
        for f in &found {
            assert!(
                f.start < f.end && input.is_char_boundary(f.start) && input.is_char_boundary(f.end)
            );
        }
        for pair in found.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{input:?}: {found:?}");
        }
    }
}

#[test]
fn counts_per_kind() {
    let r = redact(
        "13812345678、15900001111，身份证11010519491231002X，卡6222021234567894，a@b.cn，QQ 12345678",
    );
    assert_eq!(
        r.counts,
        vec![
            (IdentifierKind::Mobile, 2),
            (IdentifierKind::ResidentId, 1),
            (IdentifierKind::BankCard, 1),
            (IdentifierKind::Email, 1),
            (IdentifierKind::SocialId, 1),
        ]
    );
    assert_eq!(r.total(), 6);
    assert_eq!(r.count(IdentifierKind::Mobile), 2);

    let r = redact("微信：wang_xm88，电话13812345678");
    assert_eq!(
        r.counts,
        vec![(IdentifierKind::Mobile, 1), (IdentifierKind::SocialId, 1)]
    );
    assert_eq!(r.count(IdentifierKind::Email), 0);

    let r = redact("补偿款20万元没有到账");
    assert!(r.counts.is_empty());
    assert_eq!(r.total(), 0);
}

#[test]
fn findings_report_byte_and_char_spans() {
    let text = "电话１３８ １２３４ ５６７８，+86 13912345678";
    let found = find_identifiers(text);
    assert_eq!(found.len(), 2);
    assert_eq!(
        &text[found[0].start..found[0].end],
        "１３８ １２３４ ５６７８"
    );
    assert_eq!(&text[found[1].start..found[1].end], "+86 13912345678");
    assert_eq!(found[0].char_range(text), 2..15);
    assert_eq!(found[1].char_range(text), 16..31);
    assert_eq!(found[1].utf16_range(text), 16..31);

    let emoji = "😀13812345678";
    let f = find_identifiers(emoji)[0];
    assert_eq!(f.char_range(emoji), 1..12);
    assert_eq!(f.utf16_range(emoji), 2..13);
    assert_eq!(span::char_range(emoji, 1, 999), 0..12);
}

#[test]
fn kinds_have_names_masks_and_labels() {
    for kind in IdentifierKind::ALL {
        assert_eq!(IdentifierKind::parse(kind.as_str()), Some(kind));
        assert!(kind.mask().starts_with('[') && kind.mask().ends_with(']'));
        assert!(!kind.label(Lang::Zh).is_empty() && kind.label(Lang::En).is_ascii());
        let json = serde_json::to_string(&kind).unwrap();
        assert_eq!(json, format!("\"{}\"", kind.as_str()));
    }
    assert_eq!(IdentifierKind::SocialId.mask(), "[QQ/微信号]");
    let r = redact("13812345678");
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(json, r#"{"text":"[手机号]","counts":[["mobile",1]]}"#);
    assert_eq!(serde_json::from_str::<Redacted>(&json).unwrap(), r);
    for kind in WarningKind::ALL {
        assert!(!kind.label(Lang::Zh).is_empty() && kind.label(Lang::En).is_ascii());
        assert_eq!(
            serde_json::to_string(&kind).unwrap(),
            format!("\"{}\"", kind.as_str())
        );
    }
}

#[test]
fn check_digit_and_luhn_helpers() {
    assert_eq!(checks::id_check_char(b"11010519491231002"), b'X');
    assert_eq!(checks::id_check_char(b"44030519851212765"), b'1');
    assert!(checks::luhn(b"4111111111111111"));
    assert!(!checks::luhn(b"4111111111111112"));
    assert!(checks::is_date(2000, 2, 29));
    assert!(!checks::is_date(1900, 2, 29));
    assert!(!checks::is_date(2023, 4, 31));
    assert!(!checks::is_date(1899, 12, 31));
}

/// Text → expected warnings as (kind, covered text), in order.
const WARNING_CASES: &[(&str, &[(WarningKind, &str)])] = &[
    ("王书记不公平", &[(WarningKind::PersonName, "王书记")]),
    ("李主任收了钱", &[(WarningKind::PersonName, "李主任")]),
    ("我找张会计问过", &[(WarningKind::PersonName, "张会计")]),
    (
        "刘支书和赵村长",
        &[
            (WarningKind::PersonName, "刘支书"),
            (WarningKind::PersonName, "赵村长"),
        ],
    ),
    ("王副书记说", &[(WarningKind::PersonName, "王副书记")]),
    ("李建国书记", &[(WarningKind::PersonName, "李建国书记")]),
    ("老王说", &[(WarningKind::PersonName, "老王")]),
    ("小李不在", &[(WarningKind::PersonName, "小李")]),
    ("老王书记", &[(WarningKind::PersonName, "老王书记")]),
    (
        "张老师和陈大爷",
        &[
            (WarningKind::PersonName, "张老师"),
            (WarningKind::PersonName, "陈大爷"),
        ],
    ),
    ("村里的周主任", &[(WarningKind::PersonName, "周主任")]),
    (
        "他住在张家村3组15号",
        &[(WarningKind::Address, "张家村3组15号")],
    ),
    ("3组15号", &[(WarningKind::Address, "3组15号")]),
    ("5栋2单元301室", &[(WarningKind::Address, "5栋2单元301室")]),
    ("家在8号楼", &[(WarningKind::Address, "8号楼")]),
    ("三组十二号", &[(WarningKind::Address, "三组十二号")]),
    ("人民路12号", &[(WarningKind::Address, "人民路12号")]),
    ("李家村12号", &[(WarningKind::Address, "李家村12号")]),
    ("3号楼2单元", &[(WarningKind::Address, "3号楼2单元")]),
    ("３组１５号", &[(WarningKind::Address, "３组１５号")]),
    (
        "王书记家在张家村3组15号",
        &[
            (WarningKind::PersonName, "王书记"),
            (WarningKind::Address, "张家村3组15号"),
        ],
    ),
    // Negatives.
    ("书记不公平", &[]),
    ("村书记", &[]),
    ("我们村支书", &[]),
    ("党支部书记", &[]),
    ("现任书记", &[]),
    ("向书记反映问题", &[]),
    ("基金经理", &[]),
    ("历史老师", &[]),
    ("高级经理", &[]),
    ("任何主任都不管", &[]),
    ("养老金发放", &[]),
    ("小于10元", &[]),
    ("小金库", &[]),
    ("小孩和老人", &[]),
    ("小区和小组", &[]),
    ("第3组", &[]),
    ("5月12号", &[]),
    ("三室两厅", &[]),
    ("12号上午开会", &[]),
    ("6号线", &[]),
    ("盖了三层两栋", &[]),
    ("全村960份", &[]),
    ("一号文件", &[]),
    ("村里的路灯坏了三个月，希望尽快修好。", &[]),
    ("", &[]),
];

#[test]
fn warnings_as_expected() {
    let mut failures = Vec::new();
    for &(text, expected) in WARNING_CASES {
        let got: Vec<(WarningKind, &str)> = find_warnings(text)
            .iter()
            .map(|w| (w.kind, &text[w.start..w.end]))
            .collect();
        if got != expected {
            failures.push(format!("{text:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn warnings_do_not_change_the_text() {
    let text = "王书记家在张家村3组15号";
    assert_eq!(redact(text).text, text);
    let w = find_warnings(text);
    assert_eq!(w[0].char_range(text), 0..3);
    assert_eq!(w[1].char_range(text), 5..13);
}

#[test]
fn title_starts_cover_every_title() {
    for title in names::TITLES {
        let first = title.chars().next().unwrap();
        assert!(names::TITLE_STARTS.contains(first), "{title}");
    }
}

#[test]
fn surname_list_is_about_a_hundred_distinct_han_chars() {
    let mut sorted = COMMON_SURNAMES;
    sorted.sort_unstable();
    assert!(sorted.windows(2).all(|p| p[0] != p[1]));
    assert!(COMMON_SURNAMES.iter().all(|&c| chars::is_han(c)));
}

#[test]
fn neighbouring_numbers_that_join_into_a_valid_id_are_masked() {
    // Found by `meaningful_numbers_survive`: a postcode, a date and a year, written apart by a
    // space and a comma, read together as 302020 19921008 2008, a checksum-valid ID number
    // written in pieces the way residents dodge detection. Masking it is the private answer.
    let text = "邮编302020 19921008，2008/1/1 1:01";
    let found = find_identifiers(text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, IdentifierKind::ResidentId);
    assert_eq!(redact(text).text, "邮编[身份证号]/1/1 1:01");
}

#[test]
fn an_id_spaced_digit_by_digit_after_a_longer_number_is_masked_whole() {
    // Found by `generated_identifiers_are_masked_with_their_kind`: the spaced `X` was only
    // recognised when every group of the run was one digit, so `86，` in front left the ID's
    // region digits and `X` showing around a "mobile" found inside it.
    let text = "86，1 2 7 6 3 7 1 9 3 8 1 1 2 7 3 1 7 X，";
    assert_eq!(redact(text).text, "86，[身份证号]，");
}

#[test]
fn a_comma_after_86_is_not_a_country_prefix() {
    // Found by the property tests: `86，` was read as a country prefix, so the first eleven
    // digits of a spaced ID became a "mobile" and the rest of the ID stayed visible.
    let text = "86，1 3 0 0 0 0 1 9 0 0 0 1 0 1 0 0 0 8，";
    assert_eq!(redact(text).text, "86，[身份证号]，");
    assert_eq!(redact("86 138 1234 5678").text, "[手机号]");
}
