//! Benchmark: a province-shaped deployment with 10 k, 100 k or 1 M opinions (issue 20, point 4).
//!
//! `scripts/bench-province.sh` builds and runs it; by hand:
//! `cargo run --release -p mashangshuo --example province_bench -- --sizes 10000,100000 --runs 20`
//! (a temporary SQLite file per size), or with `DATABASE_URL=postgres://…` naming an existing,
//! empty PostgreSQL database (its `public` schema is dropped and made again between sizes and at
//! the end, so it is left empty as found).
//!
//! For each size it fills a fresh database through the model layer (batched multi-row inserts in
//! transactions, not the HTTP API): 10 counties × 20 townships × 15 villages, each county and
//! township with its leading group and a few staff accounts linked to people of the directory,
//! a box per village, the opinions with their search terms, subjects (whom a text names, derived
//! with the server's own matching), replies, threads, merged issues with measures, two
//! appraisal rounds per township with answers, leader reviews and notices. It then times what
//! a township reviewer and a county reviewer do through the same service functions the HTTP
//! handlers call, the ledger export with its memory, and the maintenance job, and prints a
//! table per size, then how each figure grows from size to size. It asserts nothing.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::error::Error;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use mashangshuo::config::Config;
use mashangshuo::db::appraisal::{AnswerRow, QuestionnaireRow, Round, RoundSubjectRow};
use mashangshuo::db::boxes::OpinionBox;
use mashangshuo::db::issues::{Issue, Measure};
use mashangshuo::db::messages::Message;
use mashangshuo::db::opinions::Opinion;
use mashangshuo::db::people::Person;
use mashangshuo::db::reviews::LeaderReview;
use mashangshuo::db::routing::RoutingRule;
use mashangshuo::db::schema as s;
use mashangshuo::db::staff::Staff;
use mashangshuo::db::units::{LeadingGroup, Unit};
use mashangshuo::db::visibility::Scope;
use mashangshuo::db::{DbConnection, DbError, insert_rows, new_id};
use mashangshuo::domain::day::{day_of_unix, unix_now};
use mashangshuo::domain::problem::Problem;
use mashangshuo::domain::queue::{PAGE_SIZE, QueueFilter};
use mashangshuo::domain::roles::Role;
use mashangshuo::domain::search::{parse_query, terms};
use mashangshuo::domain::statistics::Reviewed;
use mashangshuo::domain::subjects::{Entry, Place, named_in, normalised};
use mashangshuo::service::staff::Reviewer;
use mashangshuo::service::{audit, issues, ledger, notices, statistics};
use mashangshuo::state::AppState;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use vocabulary::appraisal::{ItemKind, Questionnaire, Rating, RoundMode, Subject};
use vocabulary::i18n::Lang;
use vocabulary::issues::LedgerQuery;
use vocabulary::model::{Category, Day, OpinionState, PersonId, QueueQuery, StoredName};
use vocabulary::notices::NoticeDraft;
use vocabulary::org::{LeaderRank, UnitCategory, UnitKind};

type BoxError = Box<dyn Error>;

/// Counties by default (`--counties` takes 1 to 10).
const COUNTIES: usize = 10;
const TOWNSHIPS: usize = 20;
const VILLAGES: usize = 15;
const DAY: i64 = 86_400;
/// Opinions generated and inserted per transaction, at least (a twentieth of the size when
/// that is more: each transaction touches most pages of the term index once).
const CHUNK: usize = 10_000;
/// The page a reviewer's pages must beat at p95 (issue 20: at 1 M opinions).
const TARGET_MS: f64 = 50.0;
/// The common and the rare search word (see the templates).
const COMMON_WORD: &str = "希望";
const RARE_WORD: &str = "沼气池";
/// One opinion in this many uses the rare template.
const RARE_EVERY: u32 = 3_000;
/// Waiting groups and opinions per group released by each timed maintenance run.
const JOB_GROUPS: usize = 5;
const JOB_BATCH: usize = 3;

// ---------------------------------------------------------------------------------------------
// Memory: live and peak heap bytes of Rust allocations, and the kernel's VmRSS/VmHWM.

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with `layout`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// VmRSS and VmHWM in KiB.
fn vm_status() -> (u64, u64) {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Starts a memory measurement: resets the heap peak and the kernel's high-water mark (writing
/// 5 to clear_refs sets VmHWM to the current RSS). Returns the live heap and VmRSS now.
fn memory_mark() -> (usize, u64) {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    (live, vm_status().0)
}

/// The heap peak and VmHWM growth since `memory_mark`, in bytes.
fn memory_since((live, rss): (usize, u64)) -> (usize, u64) {
    let heap = PEAK.load(Ordering::Relaxed).saturating_sub(live);
    let hwm = vm_status().1.saturating_sub(rss) * 1024;
    (heap, hwm)
}

// ---------------------------------------------------------------------------------------------
// Errors of the service layer (a `Problem` is no `std::error::Error`).

trait Failure {
    fn fail(self) -> BoxError;
}

impl Failure for Problem {
    fn fail(self) -> BoxError {
        format!("refused: {} ({})", self.code, self.status).into()
    }
}

impl Failure for DbError {
    fn fail(self) -> BoxError {
        Box::new(self)
    }
}

impl Failure for BoxError {
    fn fail(self) -> BoxError {
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Texts: openings, about a hundred problems in six categories, details and closings, with the
// village, group, months, a person or a post filled in.

const OPENINGS: &[&str] = &[
    "",
    "",
    "",
    "我是{村}的村民,",
    "反映一个情况:",
    "想给镇里提个意见,",
    "{村}这边",
    "说个事,",
    "我们村",
    "麻烦领导看一下,",
    "匿名反映:",
    "老百姓有话要说,",
    "本人住在{村}{组}组,",
    "最近",
    "好几户村民让我反映,",
    "不知道该找谁,只能写在这里。",
    "请领导重视:",
    "去年就反映过,",
];

/// (category, issue title, text)
const PROBLEMS: &[(usize, &str, &str)] = &[
    (0, "路灯损坏", "村口的路灯坏了{月}个月了,晚上出门很不方便。"),
    (
        0,
        "道路塌陷",
        "通往{组}组的水泥路有好几处塌陷,下雨天车子过不去。",
    ),
    (0, "垃圾清运", "村里的垃圾池好久没人清运,夏天味道很大。"),
    (0, "停水", "自来水经常停,一停就是两三天,老人挑水很困难。"),
    (0, "卫生室", "村卫生室只有一个医生,看病要排很久的队。"),
    (0, "老年活动", "希望在村委会旁边建一个老年活动中心。"),
    (0, "上学安全", "小学门口没有减速带,孩子上下学很危险。"),
    (0, "河道清理", "河道里的水草和垃圾太多,建议组织清理一下。"),
    (0, "公厕改造", "村里的公厕改造了一半就停工了,现在没法用。"),
    (0, "手机信号", "手机信号太差,{组}组基本打不了电话。"),
    (0, "水渠失修", "农田灌溉的水渠年久失修,漏水很严重。"),
    (0, "技术培训", "希望多组织一些种植和养殖的技术培训。"),
    (0, "集市停车", "集市上乱停车,赶集的时候堵得走不动。"),
    (0, "健身器材", "村里的健身器材坏了好久没人修。"),
    (0, "治安监控", "建议在村口装几个监控,最近丢了好几只鸡。"),
    (0, "班车太少", "班车一天只有两趟,老人去镇上看病不方便。"),
    (0, "桥梁护栏", "{组}组那座桥的护栏断了一截,晚上走很危险。"),
    (0, "快递代收", "快递只能送到镇上,希望村里设个代收点。"),
    (0, "排水沟", "路边的排水沟堵了,一下雨就淹到院子里。"),
    (0, "公交线路", "希望镇上能开通去县城的公交车。"),
    (0, "图书室", "村里的农家书屋常年锁着门,借不了书。"),
    (0, "电商培训", "希望增加农村电商培训,帮我们把农产品卖出去。"),
    (0, "取暖补贴", "冬天取暖的补贴什么时候发,村里没人说得清。"),
    (0, "新路灯", "新装的太阳能路灯只亮了一个月就不亮了。"),
    (0, "噪音扰民", "广场舞的音响开得太大声,晚上十点还不停。"),
    (0, "养殖污染", "养殖场的污水直接排到河里,下游的水都变黑了。"),
    (0, "林道损毁", "山上的林道被大水冲毁了,防火车开不上去。"),
    (0, "留守老人", "希望给村里的留守老人安排定期探访。"),
    (0, "饮水安全", "井水有一股怪味,希望有人来检测一下水质。"),
    (0, "学校食堂", "学校食堂的饭菜太差,孩子们都吃不饱。"),
    (0, "广场硬化", "村委会门前的广场坑坑洼洼,一下雨全是泥。"),
    (0, "村道拓宽", "村道太窄,两辆车会车都困难,建议拓宽。"),
    (0, "电压不稳", "晚上电压不稳,冰箱和水泵经常烧坏。"),
    (0, "医保缴费", "医保缴费的办法一年一变,老人搞不清楚。"),
    (0, "农机补贴", "买农机的补贴申请太麻烦,材料交了三次。"),
    (0, "危桥维修", "村头的石桥已经裂了,拖拉机不敢过。"),
    (1, "态度差", "到村委会办事,工作人员态度很差,爱理不理。"),
    (1, "脱岗", "村干部上班时间经常不在,打电话也不接。"),
    (1, "态度粗暴", "{职}说话很冲,村民去问低保的事被骂了回来。"),
    (1, "办事跑腿", "镇上窗口的工作人员让我们跑了四趟才办好。"),
    (1, "开会迟到", "村干部开会经常迟到,会开一半人就走了。"),
    (1, "推诿", "{人}书记对群众反映的问题总是推脱,说不归他管。"),
    (1, "审批拖延", "办理宅基地审批拖了半年还没有结果。"),
    (1, "公开栏", "村务公开栏一年多没有更新过。"),
    (1, "玩手机", "工作人员上班时间玩手机,叫了几遍才抬头。"),
    (1, "踢皮球", "有事找村干部,总说要找镇里,镇里又说找村里。"),
    (1, "开会不通知", "村里开会从来不通知我们{组}组。"),
    (1, "走过场", "干部下村走过场,拍个照就走了。"),
    (1, "只认熟人", "{人}办事只认熟人,外姓人去了就拖着。"),
    (1, "门难进", "村委会的门难进、脸难看,老人都不敢去。"),
    (1, "不回复", "上次在意见箱反映的事到现在也没有回复。"),
    (1, "值班空岗", "周末村委会值班没人,有急事找不到人。"),
    (2, "低保评定", "低保评定不公开,有小车的人家也吃上了低保。"),
    (2, "危房改造", "危房改造的名额给了村干部的亲戚。"),
    (2, "土地流转", "土地流转的钱到现在还没有分到户。"),
    (2, "征地补偿", "征地补偿款的标准不一样,有的多有的少。"),
    (2, "产业补贴", "产业扶持的补贴只发给了几户人家。"),
    (2, "困难户认定", "困难户认定没有张榜公示,大家都不知道。"),
    (2, "占地补偿", "修路占了我家的地,一分钱补偿都没有。"),
    (2, "鱼塘承包", "{人}把集体的鱼塘低价包给了自己的亲戚。"),
    (2, "公益岗位", "公益岗位都安排给了关系户。"),
    (2, "救灾物资", "救灾物资怎么分的一点都不透明。"),
    (2, "账目公开", "村里的账目好几年没有公开过。"),
    (2, "报销比例", "合作医疗报销的比例和隔壁村不一样。"),
    (2, "宅基地分配", "宅基地分配优先照顾了干部家里。"),
    (2, "补贴克扣", "耕地地力补贴被扣了一部分,说是交了什么费用。"),
    (2, "招工不公", "村里企业招工只招和{职}沾亲带故的人。"),
    (3, "收好处费", "{人}收了好处费才肯给开证明。"),
    (
        3,
        "工程未招标",
        "村里修路的工程没有招标,直接给了{职}的亲戚。",
    ),
    (3, "大操大办", "有村干部借着红白喜事大操大办收礼。"),
    (3, "挪用扶贫款", "扶贫款被挪去修了村委会的办公楼。"),
    (3, "公车私用", "{职}经常开公家的车办私事。"),
    (3, "集体资产", "集体资产出租的钱去向不明。"),
    (3, "吃拿卡要", "村干部吃拿卡要,不给好处就不办事。"),
    (3, "虚报冒领", "有人虚报冒领种粮补贴,村里都知道。"),
    (3, "入干股", "{人}在村里的工程里入了干股。"),
    (3, "公款吃喝", "村里公款吃喝,经常在镇上的饭店记账。"),
    (3, "优亲厚友", "{职}优亲厚友,好处都给了自家人。"),
    (3, "套取资金", "合作社是空壳,套取了上面的项目资金。"),
    (4, "身份证公开", "村委会把低保户的身份证号贴在了公开栏上。"),
    (4, "隐私外传", "网格员把我家的情况在群里到处说。"),
    (4, "体检结果", "体检的结果被贴在了村口的墙上。"),
    (4, "信息泄露", "村里收集的信息被拿去推销保险了。"),
    (4, "病情公开", "我家老人的病情在村民大会上被念了出来。"),
    (4, "照片外传", "入户调查时拍的照片被发到了网上。"),
    (5, "犬只伤人", "邻居家的狗经常咬人,协调了好多次都没用。"),
    (5, "宅基地纠纷", "两家宅基地的边界纠纷一直没人调解。"),
    (5, "非法采砂", "有人在河边非法采砂,河岸都挖空了。"),
    (5, "超载货车", "夜里有大货车超载经过村道,路都压坏了。"),
    (5, "占用耕地", "有人在基本农田上盖房子。"),
    (5, "粮食压价", "外地来的粮贩子收粮的时候压价。"),
    (5, "秸秆焚烧", "有人偷偷焚烧秸秆,烟大得看不见路。"),
    (5, "流浪人员", "村口来了一个流浪的老人,没人管。"),
    (5, "野猪伤苗", "山上的野猪下来拱庄稼,一晚上毁了半亩地。"),
    (5, "噪音施工", "工地晚上施工,吵得人睡不着。"),
];

/// The rare template: the only text with the rare word.
const RARE_PROBLEM: (usize, &str, &str) =
    (0, "沼气池隐患", "村里废弃的沼气池多年没人管,存在安全隐患。");

const DETAILS: &[&str] = &[
    "已经跟村里说过{n}次了。",
    "老人和孩子受影响最大。",
    "大家的意见都很大。",
    "到现在都没有人来看过。",
    "不止我一家是这样。",
    "去年也出过一样的事。",
    "天黑以后更明显。",
    "涉及{n}户人家。",
    "这件事拖了{月}个月了。",
    "村民们私下里议论很多。",
    "我们也不想把事情闹大。",
    "之前打过12345,说转给镇里了。",
    "有照片可以证明。",
    "问了几个干部,都说不清楚。",
    "邻村早就解决了。",
    "很多人敢怒不敢言。",
];

const CLOSINGS: &[&str] = &[
    "希望尽快解决。",
    "希望领导重视。",
    "请镇里派人来看看。",
    "希望给个说法。",
    "谢谢!",
    "希望能公开处理结果。",
    "盼回复。",
    "希望不要再拖了。",
    "请核实处理。",
    "",
    "希望有关部门管一管。",
    "这是大家共同的心愿。",
    "希望能有个明确的时间。",
    "请不要透露我的信息。",
    "希望领导下来走一走。",
    "辛苦了。",
];

const REPLIES: &[&str] = &[
    "您好,您反映的问题已转交村委会处理,已于近日整改完毕。感谢监督。",
    "经核实,情况基本属实,已责成相关人员整改,整改结果将在村务公开栏公示。",
    "您反映的问题我们已组织人员现场查看,已列入今年的实施计划。",
    "经调查,该情况不属实。如有新的线索,欢迎继续反映。",
    "已约谈相关村干部,并要求限期改正。谢谢您的意见。",
    "该问题涉及多个部门,镇里已召开协调会,正在推进。",
];

const QUESTIONS: &[&str] = &[
    "请问具体是在哪个位置?",
    "请问这个情况大概从什么时候开始的?",
    "能否说一下涉及哪几户?不需要留名字。",
    "我们已经安排人去看了,请问现在还是这样吗?",
];

const ANSWERS: &[&str] = &[
    "就在村口往东一百米左右。",
    "从今年春天就开始了。",
    "大概有五六户,都在后面那条路上。",
    "还是老样子,没有变化。",
    "已经好了,谢谢。",
];

const MEASURES: &[&str] = &[
    "组织村两委专题研究,制定整改方案",
    "更换损坏设施并建立巡查制度",
    "在村务公开栏公示处理结果",
    "约谈相关人员并限期改正",
    "纳入年度民生实事项目",
    "联系县有关部门协调资金",
];

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
];

const GIVEN: &[&str] = &[
    "建", "国", "秀", "英", "明", "华", "德", "志", "永", "春", "桂", "兰", "海", "玉", "金", "伟",
    "军", "芳", "红", "平", "立", "忠", "文", "荣", "光", "宏", "福", "勇", "新", "清", "学", "云",
    "凤", "成", "长", "庆", "俊", "家", "少", "振",
];

const PLACE_WORDS: &[&str] = &[
    "青山", "柳河", "石桥", "桃源", "白沙", "东坪", "西岭", "南湖", "北关", "龙泉", "凤凰", "双溪",
    "高桥", "新塘", "黄土", "杨林", "梅溪", "松柏", "金坪", "银湖", "花园", "马鞍", "大坪", "小河",
    "长岭", "三江", "五里", "七星", "九龙", "古城", "横山", "沙坪", "清水", "红岩", "樟树", "竹林",
    "太平", "安乐", "和平", "永兴", "富田", "兴隆", "石门", "云台", "水口", "塘湾", "茶园", "枫林",
    "李家", "张家", "王家", "陈家", "刘家", "赵家", "周家", "吴家", "郑家", "孙家", "何家", "罗家",
];

const COUNTY_NAMES: [&str; COUNTIES] = [
    "安城县",
    "清河县",
    "桐柏县",
    "云阳县",
    "平乐县",
    "永和县",
    "长宁县",
    "丰泽县",
    "东源县",
    "江华县",
];

const NUMERALS: &[&str] = &["一", "二", "三", "四", "五", "六", "七", "八", "九"];

// ---------------------------------------------------------------------------------------------
// The province.

struct Village {
    unit: String,
    name: String,
    box_id: String,
    /// Indexes into `Province::people`.
    secretary: usize,
    director: usize,
}

struct Township {
    unit: String,
    name: String,
    group: usize,
    county: usize,
    head: usize,
    discipline_secretary: usize,
    villages: Vec<Village>,
    weight: f64,
}

struct County {
    unit: String,
    group: usize,
    head: usize,
}

/// A leading group: its id, unit, name and member accounts.
struct Group {
    id: String,
    unit: String,
    name: String,
    staff: Vec<Staff>,
}

struct Province {
    counties: Vec<County>,
    townships: Vec<Township>,
    groups: Vec<Group>,
    people: Vec<Person>,
    units: Vec<Unit>,
    boxes: Vec<OpinionBox>,
    /// The township whose reviewer is measured (the largest: weight 3).
    focus: usize,
}

fn person_name(rng: &mut StdRng) -> String {
    let surname = SURNAMES.choose(rng).copied().unwrap_or("王");
    let a = GIVEN.choose(rng).copied().unwrap_or("建");
    if rng.random_bool(0.2) {
        format!("{surname}{a}")
    } else {
        let b = GIVEN.choose(rng).copied().unwrap_or("国");
        format!("{surname}{a}{b}")
    }
}

/// `count` distinct place names ending in `suffix`.
fn place_names(rng: &mut StdRng, count: usize, suffix: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let a = PLACE_WORDS.choose(rng).copied().unwrap_or("青山");
        let name = if seen.len() > PLACE_WORDS.len() / 2 || rng.random_bool(0.3) {
            let b = PLACE_WORDS.choose(rng).copied().unwrap_or("柳河");
            format!("{}{}{suffix}", a, b.chars().next().unwrap_or('口'))
        } else {
            format!("{a}{suffix}")
        };
        if seen.insert(name.clone()) {
            out.push(name);
        }
    }
    out
}

fn hash_like() -> String {
    format!("{}{}", new_id(), new_id()).replace('-', "")
}

impl Province {
    fn build(rng: &mut StdRng, counties: usize) -> Province {
        let mut p = Province {
            counties: Vec::new(),
            townships: Vec::new(),
            groups: Vec::new(),
            people: Vec::new(),
            units: Vec::new(),
            boxes: Vec::new(),
            focus: 0,
        };
        let password_hash = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$y0GmVcMEyl7Ix3bDKDbRxZ8gAOQ7AiOXb8oDVjwcmfU";
        let add_person =
            |p: &mut Province, rng: &mut StdRng, unit: &str, post: &str, rank: Option<&str>| {
                p.people.push(Person {
                    id: new_id().into(),
                    unit_id: unit.to_string().into(),
                    name: person_name(rng),
                    post: post.to_string(),
                    active: true,
                    leader_rank: rank.map(known),
                });
                p.people.len() - 1
            };
        let staff = |p: &Province, group: &str, username: String, person: Option<usize>| Staff {
            id: new_id().into(),
            display_name: username.clone(),
            username,
            password_hash: password_hash.to_string(),
            leading_group_id: Some(group.to_string().into()),
            active: true,
            role: if person.is_some() {
                Role::Member
            } else {
                Role::Viewer
            },
            person_id: person.map(|i| p.people[i].id.as_str().into()),
        };
        // A unit's leading group: three members linked to these people and one viewer.
        let add_group =
            |p: &mut Province, unit: &str, name: String, members: [usize; 3], prefix: String| {
                let group_id = new_id();
                let mut accounts: Vec<Staff> = members
                    .into_iter()
                    .enumerate()
                    .map(|(k, person)| staff(p, &group_id, format!("{prefix}-{k}"), Some(person)))
                    .collect();
                accounts.push(staff(p, &group_id, format!("{prefix}-viewer"), None));
                p.groups.push(Group {
                    id: group_id,
                    unit: unit.to_string(),
                    name,
                    staff: accounts,
                });
                p.groups.len() - 1
            };
        for (c, county_name) in COUNTY_NAMES.iter().take(counties).enumerate() {
            let county_unit = new_id();
            p.units.push(Unit {
                id: county_unit.clone().into(),
                parent_id: None,
                name: county_name.to_string(),
                kind: UnitKind::County,
                category: None,
            });
            add_person(
                &mut p,
                rng,
                &county_unit,
                "县委书记",
                Some("county_secretary"),
            );
            let head = add_person(
                &mut p,
                rng,
                &county_unit,
                "县委副书记",
                Some("county_committee"),
            );
            let discipline = add_person(
                &mut p,
                rng,
                &county_unit,
                "县纪委书记",
                Some("county_committee"),
            );
            let inspector_a = add_person(&mut p, rng, &county_unit, "县委办督查员", None);
            let inspector_b = add_person(&mut p, rng, &county_unit, "县委办督查员", None);
            let group = add_group(
                &mut p,
                &county_unit,
                format!("{county_name}创先争优活动领导小组"),
                [inspector_a, inspector_b, discipline],
                format!("c{c}"),
            );
            p.counties.push(County {
                unit: county_unit.clone(),
                group,
                head,
            });
            let township_names = place_names(rng, TOWNSHIPS, "镇");
            for (t, township_name) in township_names.into_iter().enumerate() {
                let unit = new_id();
                p.units.push(Unit {
                    id: unit.clone().into(),
                    parent_id: Some(county_unit.clone().into()),
                    name: township_name.clone(),
                    kind: UnitKind::Township,
                    category: None,
                });
                let head = add_person(&mut p, rng, &unit, "镇党委书记", Some("township_secretary"));
                add_person(&mut p, rng, &unit, "镇长", Some("township_committee"));
                let discipline_secretary =
                    add_person(&mut p, rng, &unit, "镇纪委书记", Some("township_committee"));
                let organiser =
                    add_person(&mut p, rng, &unit, "镇组织委员", Some("township_committee"));
                let office = add_person(&mut p, rng, &unit, "镇党政办主任", None);
                let group = add_group(
                    &mut p,
                    &unit,
                    format!("{township_name}创先争优活动领导小组"),
                    [discipline_secretary, organiser, office],
                    format!("c{c}-t{t}"),
                );
                let mut villages = Vec::with_capacity(VILLAGES);
                for village_name in place_names(rng, VILLAGES, "村") {
                    let village = new_id();
                    p.units.push(Unit {
                        id: village.clone().into(),
                        parent_id: Some(unit.clone().into()),
                        name: village_name.clone(),
                        kind: UnitKind::Village,
                        category: Some(UnitCategory::Rural),
                    });
                    let secretary = add_person(
                        &mut p,
                        rng,
                        &village,
                        "村党支部书记",
                        Some("grassroots_secretary"),
                    );
                    let director = add_person(&mut p, rng, &village, "村委会主任", None);
                    add_person(&mut p, rng, &village, "村民小组长", None);
                    add_person(&mut p, rng, &village, "", None);
                    let box_id = new_id();
                    p.boxes.push(OpinionBox {
                        id: box_id.clone().into(),
                        code: mashangshuo::domain::codes::new_box_code(),
                        unit_id: village.clone().into(),
                        name: format!("{village_name}意见箱"),
                    });
                    villages.push(Village {
                        unit: village,
                        name: village_name,
                        box_id,
                        secretary,
                        director,
                    });
                }
                let weight = if c == 0 && t == 0 {
                    3.0
                } else {
                    0.5 + rng.random::<f64>()
                };
                p.townships.push(Township {
                    unit,
                    name: township_name,
                    group,
                    county: c,
                    head,
                    discipline_secretary,
                    villages,
                    weight,
                });
            }
        }
        p.focus = 0;
        p
    }

    fn staff_count(&self) -> usize {
        self.groups.iter().map(|g| g.staff.len()).sum()
    }
}

// ---------------------------------------------------------------------------------------------
// Whom a text names, with the server's own rule (`named_in`) applied to the few directory
// entries that can match: a candidate is a person whose name or unit's name occurs in the text,
// or whose post does within the place; and, so that the "only holder of this post" counts stay
// those of the whole directory, every holder of a candidate's post in the place's units.

/// Needles (names, unit names) by their first two characters, with their entry.
type Needles = HashMap<(char, char), Vec<(Vec<char>, usize)>>;
/// Entries per unit id, with the forms of their post.
type UnitPosts = HashMap<String, Vec<(usize, Vec<Vec<char>>)>>;

struct Directory {
    entries: Vec<Entry>,
    posts: Vec<Vec<char>>,
    /// Names and unit names by their first two characters.
    needles: Needles,
    /// Entries per unit, with their post's forms (the post, and without its level character).
    by_unit: UnitPosts,
}

impl Directory {
    fn new(province: &Province) -> Directory {
        let unit_names: HashMap<&str, &str> = province
            .units
            .iter()
            .map(|u| (u.id.as_str(), u.name.as_str()))
            .collect();
        let entries: Vec<Entry> = province
            .people
            .iter()
            .map(|p| Entry {
                person_id: p.id.as_str().into(),
                unit_id: p.unit_id.to_string(),
                unit_name: unit_names
                    .get(p.unit_id.as_str())
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                name: p.name.clone(),
                post: p.post.clone(),
            })
            .collect();
        let mut needles: Needles = HashMap::new();
        let mut by_unit: UnitPosts = HashMap::new();
        let mut posts = Vec::with_capacity(entries.len());
        for (i, e) in entries.iter().enumerate() {
            for needle in [normalised(&e.name), normalised(&e.unit_name)] {
                if needle.len() >= 2 {
                    needles
                        .entry((needle[0], needle[1]))
                        .or_default()
                        .push((needle, i));
                }
            }
            let post = normalised(&e.post);
            let mut forms = Vec::new();
            if post.len() >= 2 {
                forms.push(post.clone());
                if let Some((first, rest)) = post.split_first()
                    && ['县', '市', '区', '乡', '镇', '村'].contains(first)
                    && rest.len() >= 3
                {
                    forms.push(rest.to_vec());
                }
            }
            by_unit
                .entry(e.unit_id.clone())
                .or_default()
                .push((i, forms));
            posts.push(post);
        }
        Directory {
            entries,
            posts,
            needles,
            by_unit,
        }
    }

    fn named(&self, text: &str, place: &Place<'_>) -> Vec<PersonId> {
        let t = normalised(text);
        let mut candidates = BTreeSet::new();
        for i in 0..t.len().saturating_sub(1) {
            if let Some(list) = self.needles.get(&(t[i], t[i + 1])) {
                for (needle, e) in list {
                    if t[i..].starts_with(needle) {
                        candidates.insert(*e);
                    }
                }
            }
        }
        let units = place
            .lineage
            .iter()
            .copied()
            .chain(place.territory.iter().copied());
        let mut seen_units = HashSet::new();
        let mut place_entries = Vec::new();
        for unit in units {
            if !seen_units.insert(unit) {
                continue;
            }
            for (e, forms) in self
                .by_unit
                .get(unit)
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                place_entries.push(*e);
                if forms
                    .iter()
                    .any(|f| t.windows(f.len()).any(|w| w == f.as_slice()))
                {
                    candidates.insert(*e);
                }
            }
        }
        if candidates.is_empty() {
            return Vec::new();
        }
        let posts: HashSet<&[char]> = candidates
            .iter()
            .map(|&e| self.posts[e].as_slice())
            .filter(|p| p.len() >= 2)
            .collect();
        let mut chosen = candidates;
        for e in place_entries {
            if posts.contains(self.posts[e].as_slice()) {
                chosen.insert(e);
            }
        }
        let few: Vec<Entry> = chosen
            .into_iter()
            .map(|e| self.entries[e].clone())
            .collect();
        named_in(text, &few, place)
    }
}

// ---------------------------------------------------------------------------------------------
// Generation.

#[derive(Default)]
struct Counts {
    opinions: usize,
    terms: usize,
    subjects: usize,
    messages: usize,
    issues: usize,
    measures: usize,
    responses: usize,
    answers: usize,
    slips: usize,
    reviews: usize,
    /// Opinions per group index.
    per_group: HashMap<usize, usize>,
}

struct Generated {
    counts: Counts,
    phases: Vec<(&'static str, Duration)>,
    round_a: String,
    round_b: String,
}

fn day(n: i64) -> Day {
    day_of_unix(n * DAY)
}

fn fill(template: &str, rng: &mut StdRng, village: &str, person: &str, post: &str) -> String {
    let mut out = template.to_string();
    if out.contains("{村}") {
        out = out.replace("{村}", village);
    }
    if out.contains("{组}") {
        out = out.replace("{组}", NUMERALS.choose(rng).copied().unwrap_or("一"));
    }
    if out.contains("{月}") {
        out = out.replace("{月}", &rng.random_range(2..9).to_string());
    }
    if out.contains("{n}") {
        out = out.replace("{n}", &rng.random_range(2..11).to_string());
    }
    if out.contains("{人}") {
        out = out.replace("{人}", person);
    }
    if out.contains("{职}") {
        out = out.replace("{职}", post);
    }
    out
}

/// Picks a state for an opinion or issue `age` days old.
/// The value of one of this generator's own stable names (a literal here, so a typo fails the
/// first run loudly).
fn known<T: StoredName>(name: &str) -> T {
    T::from_stored(name).unwrap_or_else(|| panic!("not a {}: {name:?}", T::SET))
}

fn state_for(rng: &mut StdRng, age: i64) -> &'static str {
    let table: &[(&str, u32)] = if age < 2 {
        &[("new", 70), ("accepted", 30)]
    } else if age < 15 {
        &[
            ("new", 10),
            ("accepted", 40),
            ("assigned", 25),
            ("rectifying", 15),
            ("closed", 8),
            ("rejected", 2),
        ]
    } else if age < 60 {
        &[
            ("new", 3),
            ("accepted", 10),
            ("assigned", 12),
            ("rectifying", 20),
            ("closed", 50),
            ("rejected", 5),
        ]
    } else {
        &[
            ("new", 1),
            ("accepted", 2),
            ("assigned", 3),
            ("rectifying", 8),
            ("closed", 80),
            ("rejected", 6),
        ]
    };
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut pick = rng.random_range(0..total);
    for (state, w) in table {
        if pick < *w {
            return state;
        }
        pick -= w;
    }
    "new"
}

/// How often each category of `Category::ALL` is chosen, in its order.
const CATEGORY_WEIGHTS: [u32; 6] = [45, 15, 15, 6, 3, 16];

fn category(rng: &mut StdRng) -> usize {
    let mut pick = rng.random_range(0..CATEGORY_WEIGHTS.iter().sum::<u32>());
    for (i, w) in CATEGORY_WEIGHTS.iter().enumerate() {
        if pick < *w {
            return i;
        }
        pick -= w;
    }
    0
}

/// One opinion being generated, with what its rows need.
struct Draft {
    opinion: Opinion,
    category: usize,
    title: &'static str,
    village: String,
    group: usize,
    released: i64,
    subjects: Vec<(PersonId, &'static str)>,
}

fn generate(
    conn: &mut DbConnection,
    province: &Province,
    size: usize,
    rng: &mut StdRng,
) -> Result<Generated, BoxError> {
    let today_n = unix_now() / DAY;
    let today = day(today_n);
    let mut phases = Vec::new();
    let mut counts = Counts::default();

    // The hierarchy.
    let started = Instant::now();
    conn.transaction(|conn| -> Result<(), BoxError> {
        insert_rows(conn, s::units::table, &province.units)?;
        insert_rows(conn, s::people::table, &province.people)?;
        let heads: Vec<Option<PersonId>> = province
            .groups
            .iter()
            .map(|g| {
                let head = province
                    .townships
                    .iter()
                    .find(|t| province.groups[t.group].id == g.id)
                    .map(|t| t.head)
                    .or_else(|| {
                        province
                            .counties
                            .iter()
                            .find(|c| province.groups[c.group].id == g.id)
                            .map(|c| c.head)
                    });
                head.map(|h| province.people[h].id.clone())
            })
            .collect();
        let groups: Vec<_> = province
            .groups
            .iter()
            .zip(heads)
            .map(|(g, head)| {
                (
                    LeadingGroup {
                        id: g.id.clone().into(),
                        unit_id: g.unit.clone().into(),
                        name: g.name.clone(),
                        head_person_id: head,
                    },
                    s::leading_groups::confirmed_since.eq(today.clone()),
                )
            })
            .collect();
        insert_rows(conn, s::leading_groups::table, &groups)?;
        let staff: Vec<_> = province
            .groups
            .iter()
            .flat_map(|g| &g.staff)
            .map(|a| {
                (
                    a.clone(),
                    s::staff::confirmed_on.eq(a.person_id.as_ref().map(|_| today.clone())),
                )
            })
            .collect();
        insert_rows(conn, s::staff::table, &staff)?;
        insert_rows(conn, s::boxes::table, &province.boxes)?;
        let rules: Vec<RoutingRule> = province
            .counties
            .iter()
            .map(|c| RoutingRule {
                unit_id: c.unit.clone().into(),
                category: Category::Discipline,
                leading_group_id: province.groups[c.group].id.clone().into(),
            })
            .collect();
        insert_rows(conn, s::routing_rules::table, &rules)?;
        Ok(())
    })?;
    phases.push(("hierarchy", started.elapsed()));

    // Where each village's opinions are matched against the directory: the village, its
    // township and county, and the handling group's territory.
    let directory = Directory::new(province);
    let township_territory: Vec<HashSet<&str>> = province
        .townships
        .iter()
        .map(|t| {
            std::iter::once(t.unit.as_str())
                .chain(t.villages.iter().map(|v| v.unit.as_str()))
                .collect()
        })
        .collect();
    let county_territory: Vec<HashSet<&str>> = (0..province.counties.len())
        .map(|c| {
            let mut set: HashSet<&str> = HashSet::new();
            set.insert(province.counties[c].unit.as_str());
            for (t, tw) in province.townships.iter().enumerate() {
                if tw.county == c {
                    set.extend(township_territory[t].iter().copied());
                }
            }
            set
        })
        .collect();
    let weights: Vec<f64> = province
        .townships
        .iter()
        .scan(0.0, |sum, t| {
            *sum += t.weight;
            Some(*sum)
        })
        .collect();
    let total_weight = weights.last().copied().unwrap_or(1.0);

    // The opinions, CHUNK per transaction.
    let started = Instant::now();
    let mut done = 0;
    while done < size {
        let n = CHUNK.max(size / 20).min(size - done);
        let mut drafts: Vec<Draft> = Vec::with_capacity(n);
        for _ in 0..n {
            let pick = rng.random::<f64>() * total_weight;
            let t = weights
                .partition_point(|w| *w < pick)
                .min(weights.len() - 1);
            let tw = &province.townships[t];
            let county = &province.counties[tw.county];
            let village = &tw.villages[rng.random_range(0..VILLAGES)];
            let age = (rng.random::<f64>().powf(1.3) * 365.0) as i64;
            let released = today_n - age;
            let received = released - i64::from(rng.random_bool(0.3));
            let (cat, title, problem) = if rng.random_range(0..RARE_EVERY) == 0 {
                RARE_PROBLEM
            } else {
                let wanted = category(rng);
                let of_cat: Vec<&(usize, &str, &str)> =
                    PROBLEMS.iter().filter(|p| p.0 == wanted).collect();
                **of_cat.choose(rng).ok_or("no template")?
            };
            let person = if rng.random_bool(0.6) {
                village.secretary
            } else {
                village.director
            };
            let person_name = &province.people[person].name;
            let post = ["村党支部书记", "村委会主任", "村会计"]
                .choose(rng)
                .copied()
                .unwrap_or("村会计");
            let mut body = String::new();
            body.push_str(&fill(
                OPENINGS.choose(rng).copied().unwrap_or(""),
                rng,
                &village.name,
                person_name,
                post,
            ));
            body.push_str(&fill(problem, rng, &village.name, person_name, post));
            if rng.random_bool(0.5) {
                body.push_str(&fill(
                    DETAILS.choose(rng).copied().unwrap_or(""),
                    rng,
                    &village.name,
                    person_name,
                    post,
                ));
            }
            if rng.random_bool(0.02) {
                body.push_str("我的电话是[手机号],可以联系我。");
            }
            if rng.random_bool(0.01) {
                let official = &province.people[tw.discipline_secretary].name;
                body.push_str(&format!("这件事跟镇上的{official}反映过也没用。"));
            }
            body.push_str(CLOSINGS.choose(rng).copied().unwrap_or(""));
            // Whom the villager chose it to be about, and where that sends it.
            let mut target_person = None;
            let mut target_unit = None;
            let mut escalation = None;
            let roll = rng.random::<f64>();
            if roll < 0.005 {
                target_person = Some(tw.head);
                escalation = Some("head_named");
            } else if roll < 0.035 {
                escalation = Some("requested");
            } else if roll < 0.075 {
                target_person = Some(person);
            } else if roll < 0.085 {
                target_unit = Some(village.unit.clone());
            }
            let to_county = escalation.is_some() || cat == 3;
            let group = if to_county { county.group } else { tw.group };
            let territory = if to_county {
                &county_territory[tw.county]
            } else {
                &township_territory[t]
            };
            let place = Place {
                lineage: vec![
                    village.unit.as_str(),
                    tw.unit.as_str(),
                    county.unit.as_str(),
                ],
                territory: territory.clone(),
            };
            let mut subjects: Vec<(PersonId, &'static str)> = directory
                .named(&body, &place)
                .into_iter()
                .map(|p| (p, "named"))
                .collect();
            if let Some(p) = target_person {
                subjects.push((province.people[p].id.as_str().into(), "chosen"));
            }
            let state = state_for(rng, age);
            let final_state = state == "closed" || state == "rejected";
            let closed = final_state.then(|| (released + rng.random_range(1..41)).min(today_n));
            let replied = if final_state {
                closed
            } else if state != "new" && rng.random_bool(0.4) {
                Some((released + rng.random_range(1..10)).min(today_n))
            } else {
                None
            };
            let masked = body.contains("[手机号]");
            let real_name = rng.random_bool(0.03);
            let opinion = Opinion {
                id: new_id().into(),
                box_id: village.box_id.clone().into(),
                leading_group_id: province.groups[group].id.clone().into(),
                category: Category::ALL[cat],
                body,
                state: known(state),
                received_on: day(received),
                receipt_hash: hash_like(),
                receipt_tag: Some(rng.random_range(0..(1i64 << 32))),
                reply: replied.map(|_| REPLIES.choose(rng).copied().unwrap_or("").to_string()),
                replied_on: replied.map(day),
                mask_counts: if masked {
                    r#"{"mobile":1}"#.into()
                } else {
                    "{}".into()
                },
                contact_name: real_name.then(|| person_name_of(rng)),
                contact_phone: real_name
                    .then(|| format!("13{:09}", rng.random_range(0..1_000_000_000u32))),
                released_on: Some(day(released)),
                release_by: None,
                closed_on: closed.map(day),
                due_on: Some(day(released + 15)),
                target_person_id: target_person.map(|p| province.people[p].id.as_str().into()),
                target_unit_id: target_unit.map(Into::into),
                escalation: escalation.map(known),
                issue_id: None,
            };
            *counts.per_group.entry(group).or_default() += 1;
            drafts.push(Draft {
                opinion,
                category: cat,
                title,
                village: village.name.clone(),
                group,
                released,
                subjects,
            });
        }

        // Merged issues: a fifth of the opinions that were taken up, by group and category,
        // two to eight each; the opinions take the issue's state.
        let mut open: HashMap<(usize, usize), (Vec<usize>, usize)> = HashMap::new();
        let mut finished: Vec<Vec<usize>> = Vec::new();
        for (i, d) in drafts.iter().enumerate() {
            if d.opinion.state == OpinionState::New || !rng.random_bool(0.2) {
                continue;
            }
            let entry = open
                .entry((d.group, d.category))
                .or_insert_with(|| (Vec::new(), 0));
            if entry.0.is_empty() {
                entry.1 = rng.random_range(2..9);
            }
            entry.0.push(i);
            if entry.0.len() >= entry.1 {
                finished.push(std::mem::take(&mut entry.0));
            }
        }
        finished.extend(open.into_values().map(|(m, _)| m).filter(|m| m.len() >= 2));
        let mut new_issues: Vec<Issue> = Vec::new();
        let mut new_measures: Vec<Measure> = Vec::new();
        for members in finished {
            let first = &drafts[members[0]];
            let found = (members
                .iter()
                .map(|&m| drafts[m].released)
                .max()
                .unwrap_or(today_n)
                + rng.random_range(0..4))
            .min(today_n);
            let age = today_n - found;
            let state = match state_for(rng, age) {
                "new" => "accepted",
                other => other,
            };
            let closed = (state == "closed" || state == "rejected")
                .then(|| (found + rng.random_range(5..41)).min(today_n));
            let replied = closed.or_else(|| {
                (state == "rectifying").then(|| (found + rng.random_range(1..10)).min(today_n))
            });
            let issue = Issue {
                id: new_id().into(),
                leading_group_id: first.opinion.leading_group_id.clone(),
                title: format!("{}{}问题", first.village, first.title),
                category: Category::ALL[first.category],
                state: known(state),
                reply: replied.map(|_| REPLIES.choose(rng).copied().unwrap_or("").to_string()),
                replied_on: replied.map(day),
                found_on: day(found),
                closed_on: closed.map(day),
                opinion_count: i32::try_from(members.len()).unwrap_or(i32::MAX),
            };
            if state != "accepted" {
                let group_people = &province.groups[first.group];
                for k in 0..rng.random_range(1..4) {
                    let due = found + 30 + k * 10;
                    let done = match state {
                        "closed" => Some((due - rng.random_range(0..20)).min(today_n)),
                        "rectifying" if rng.random_bool(0.5) && due - 20 <= today_n => {
                            Some((due - 20).max(found))
                        }
                        _ => None,
                    };
                    new_measures.push(Measure {
                        id: new_id().into(),
                        issue_id: issue.id.clone(),
                        text: MEASURES.choose(rng).copied().unwrap_or("").to_string(),
                        responsible: format!("{}({})", group_people.name, k + 1),
                        due_on: day(due),
                        evidence: done
                            .map(|_| format!("已完成,附照片{}张", rng.random_range(1..6))),
                        done_on: done.map(day),
                        set_on: day((found + 1).min(today_n)),
                    });
                }
            }
            for &m in &members {
                let o = &mut drafts[m].opinion;
                o.issue_id = Some(issue.id.clone());
                o.state = issue.state;
                o.closed_on = issue.closed_on.clone();
            }
            new_issues.push(issue);
        }

        // Threads: a reviewer asks, the villager answers, for an eighth of those taken up.
        let mut new_messages: Vec<Message> = Vec::new();
        for d in &drafts {
            if d.opinion.state == OpinionState::New || !rng.random_bool(0.12) {
                continue;
            }
            let mut sent = d.released;
            for seq in 1..=rng.random_range(1..5) {
                sent = (sent + rng.random_range(0..4)).min(today_n);
                let from_staff = seq % 2 == 1;
                let pool = if from_staff { QUESTIONS } else { ANSWERS };
                new_messages.push(Message {
                    id: new_id(),
                    opinion_id: d.opinion.id.to_string().into(),
                    from_staff,
                    body: pool.choose(rng).copied().unwrap_or("").to_string(),
                    sent_on: day(sent),
                    seq,
                });
            }
        }

        // The search terms, sorted so that each chunk walks the index once.
        let mut term_rows: Vec<(String, &str)> = Vec::new();
        for d in &drafts {
            for term in terms(&d.opinion.body) {
                term_rows.push((term, d.opinion.id.as_str()));
            }
        }
        term_rows.sort_unstable();
        let subject_rows: Vec<_> = drafts
            .iter()
            .flat_map(|d| {
                d.subjects.iter().map(|(person, source)| {
                    (
                        s::opinion_subjects::opinion_id.eq(d.opinion.id.as_str()),
                        s::opinion_subjects::person_id.eq(person.as_str()),
                        s::opinion_subjects::source.eq(*source),
                    )
                })
            })
            .collect();
        let opinion_rows: Vec<_> = drafts
            .iter()
            .map(|d| {
                (
                    &d.opinion,
                    s::opinions::terms_indexed.eq(true),
                    s::opinions::subjects_derived.eq(true),
                )
            })
            .collect();
        let term_values: Vec<_> = term_rows
            .iter()
            .map(|(term, id)| {
                (
                    s::opinion_terms::term.eq(term.as_str()),
                    s::opinion_terms::opinion_id.eq(*id),
                )
            })
            .collect();
        conn.transaction(|conn| -> Result<(), BoxError> {
            insert_rows(conn, s::issues::table, &new_issues)?;
            insert_rows(conn, s::opinions::table, &opinion_rows)?;
            insert_rows(conn, s::opinion_terms::table, &term_values)?;
            insert_rows(conn, s::opinion_subjects::table, &subject_rows)?;
            insert_rows(conn, s::opinion_messages::table, &new_messages)?;
            insert_rows(conn, s::measures::table, &new_measures)?;
            Ok(())
        })?;
        counts.opinions += drafts.len();
        counts.terms += term_values.len();
        counts.subjects += subject_rows.len();
        counts.messages += new_messages.len();
        counts.issues += new_issues.len();
        counts.measures += new_measures.len();
        done += n;
        if size >= 100_000 && done.is_multiple_of(100_000) {
            eprintln!(
                "  … {done} opinions, {} terms, {:.0} s",
                counts.terms,
                started.elapsed().as_secs_f64()
            );
        }
    }
    phases.push((
        "opinions, terms, subjects, threads, issues",
        started.elapsed(),
    ));

    // Two appraisal rounds per township, answered by about one villager per twenty opinions
    // the township's group received; leader reviews of the year.
    let started = Instant::now();
    let (round_a, round_b) = appraisal(conn, province, &mut counts, rng, today_n)?;
    phases.push((
        "appraisal rounds, answers, leader reviews",
        started.elapsed(),
    ));
    Ok(Generated {
        counts,
        phases,
        round_a,
        round_b,
    })
}

fn person_name_of(rng: &mut StdRng) -> String {
    person_name(rng)
}

fn rating(rng: &mut StdRng) -> &'static str {
    let roll = rng.random_range(0..100);
    let level = if roll < 55 {
        Rating::Satisfied
    } else if roll < 80 {
        Rating::FairlySatisfied
    } else if roll < 94 {
        Rating::BasicallySatisfied
    } else {
        Rating::Dissatisfied
    };
    level.as_str()
}

/// Returns the focus township's two round ids.
fn appraisal(
    conn: &mut DbConnection,
    province: &Province,
    counts: &mut Counts,
    rng: &mut StdRng,
    today_n: i64,
) -> Result<(String, String), BoxError> {
    let organisation = Questionnaire::organisation_template();
    let member = Questionnaire::member_template();
    let org_json = serde_json::to_string(&organisation)?;
    let member_json = serde_json::to_string(&member)?;
    let year: i32 = day(today_n)
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(2026);
    let mut focus_rounds = (String::new(), String::new());
    let mut questionnaires = Vec::new();
    let mut rounds = Vec::new();
    let mut subjects = Vec::new();
    let mut slips = Vec::new();
    let mut responses = Vec::new();
    let mut answers: Vec<AnswerRow> = Vec::new();
    let mut reviews = Vec::new();
    for (t, tw) in province.townships.iter().enumerate() {
        let group = &province.groups[tw.group];
        for (title, subject, json) in [
            (&organisation.title, Subject::Organisation, &org_json),
            (&member.title, Subject::Member, &member_json),
        ] {
            questionnaires.push(QuestionnaireRow {
                id: new_id(),
                leading_group_id: group.id.clone().into(),
                title: title.clone(),
                subject,
                items: json.clone(),
                updated_on: day(today_n - 200),
            });
        }
        let answered = (counts.per_group.get(&tw.group).copied().unwrap_or(0) / 20).max(12);
        let first = rng.random_range(0..VILLAGES - 5);
        let appraised = &tw.villages[first..first + 5];
        for (k, questionnaire, json) in [(0, &organisation, &org_json), (1, &member, &member_json)]
        {
            let (opens, closes) = if k == 0 {
                (today_n - 190, today_n - 160)
            } else {
                (today_n - 36, today_n - 6)
            };
            let round = Round {
                id: new_id().into(),
                leading_group_id: group.id.clone().into(),
                name: if k == 0 {
                    format!("{year}年上半年基层党组织群众评议")
                } else {
                    format!("{year}年下半年党员群众评议")
                },
                questionnaire: json.clone(),
                mode: if k == 0 {
                    RoundMode::Open
                } else {
                    RoundMode::Slips
                },
                public_code: mashangshuo::domain::codes::new_box_code(),
                opens_on: day(opens),
                closes_on: day(closes),
                closed_on: None,
                slips_issued: if k == 0 {
                    0
                } else {
                    i32::try_from(answered * 5 / 4).unwrap_or(i32::MAX)
                },
                created_on: day(opens - 3),
            };
            let subject_ids: Vec<String> = appraised
                .iter()
                .enumerate()
                .map(|(position, v)| {
                    let (id, label) = if k == 0 {
                        (v.unit.clone(), v.name.clone())
                    } else {
                        let p = &province.people[v.secretary];
                        (p.id.to_string(), format!("{}({})", p.name, v.name))
                    };
                    subjects.push(RoundSubjectRow {
                        round_id: round.id.clone(),
                        subject_id: id.clone(),
                        label,
                        unit_id: v.unit.clone().into(),
                        position: i32::try_from(position).unwrap_or_default(),
                        note: None,
                    });
                    id
                })
                .collect();
            if k == 1 {
                for n in 0..answered * 5 / 4 {
                    slips.push((
                        s::slips::code_hash.eq(hash_like()),
                        s::slips::round_id.eq(round.id.clone()),
                        s::slips::used.eq(n < answered),
                    ));
                }
            }
            for _ in 0..answered {
                let response = new_id();
                responses.push((
                    s::responses::id.eq(response.clone()),
                    s::responses::round_id.eq(round.id.clone()),
                    s::responses::change_hash.eq(hash_like()),
                    s::responses::held.eq(false),
                ));
                for subject in &subject_ids {
                    for item in questionnaire.asked() {
                        let (rated, text) = match item.kind {
                            ItemKind::Rating => (Some(known(rating(rng))), None),
                            ItemKind::Text if rng.random_bool(0.15) => (
                                None,
                                Some(
                                    PROBLEMS
                                        .choose(rng)
                                        .map(|p| p.2.replace(['{', '}'], ""))
                                        .unwrap_or_default(),
                                ),
                            ),
                            _ => continue,
                        };
                        answers.push(AnswerRow {
                            response_id: response.clone(),
                            subject_id: subject.clone(),
                            item_key: item.key.clone(),
                            rating: rated,
                            text,
                            round_id: round.id.clone(),
                        });
                    }
                }
            }
            if t == province.focus {
                if k == 0 {
                    focus_rounds.0 = round.id.to_string();
                } else {
                    focus_rounds.1 = round.id.to_string();
                }
            }
            rounds.push(round);
        }
        // The township secretary reviewed every village in both passes and the village
        // secretaries in the first.
        let reviewer = &province.people[tw.head].id;
        for v in &tw.villages {
            for (pass, kind, subject) in [
                (1, Reviewed::Unit, v.unit.as_str()),
                (2, Reviewed::Unit, v.unit.as_str()),
                (
                    1,
                    Reviewed::Person,
                    province.people[v.secretary].id.as_str(),
                ),
            ] {
                reviews.push(LeaderReview {
                    id: new_id(),
                    leading_group_id: group.id.clone().into(),
                    year,
                    pass,
                    reviewer_id: reviewer.clone(),
                    subject_kind: kind,
                    subject_id: subject.to_string(),
                });
            }
        }
        // Flush the answers now and then, so that memory stays bounded.
        if answers.len() > 200_000 || t + 1 == province.townships.len() {
            conn.transaction(|conn| -> Result<(), BoxError> {
                insert_rows(conn, s::questionnaires::table, &questionnaires)?;
                insert_rows(conn, s::rounds::table, &rounds)?;
                insert_rows(conn, s::round_subjects::table, &subjects)?;
                insert_rows(conn, s::slips::table, &slips)?;
                insert_rows(conn, s::responses::table, &responses)?;
                insert_rows(conn, s::answers::table, &answers)?;
                insert_rows(conn, s::leader_reviews::table, &reviews)?;
                Ok(())
            })?;
            counts.responses += responses.len();
            counts.answers += answers.len();
            counts.slips += slips.len();
            counts.reviews += reviews.len();
            questionnaires.clear();
            rounds.clear();
            subjects.clear();
            slips.clear();
            responses.clear();
            answers.clear();
            reviews.clear();
        }
    }
    Ok(focus_rounds)
}

// ---------------------------------------------------------------------------------------------
// Measuring.

struct Line {
    name: String,
    samples: Vec<Duration>,
    /// Whether the reviewer-page target applies.
    page: bool,
    note: String,
    /// Heap peak and VmHWM growth, for the exports.
    memory: Option<(usize, u64)>,
}

impl Line {
    fn quantile(&self, q: f64) -> f64 {
        let mut sorted = self.samples.clone();
        sorted.sort();
        if sorted.is_empty() {
            return f64::NAN;
        }
        let at = ((sorted.len() as f64 - 1.0) * q).round() as usize;
        sorted[at].as_secs_f64() * 1000.0
    }
}

/// Times `$make` (an expression giving a fresh future each time) `$runs` times after one
/// untimed warm-up run; its output is dropped after the clock stops.
macro_rules! measure {
    ($runs:expr, $make:expr) => {{
        std::hint::black_box($make.await.map_err(Failure::fail)?);
        let mut samples = Vec::with_capacity($runs);
        for _ in 0..$runs {
            let started = Instant::now();
            let out = $make.await.map_err(Failure::fail)?;
            samples.push(started.elapsed());
            std::hint::black_box(out);
        }
        samples
    }};
}

fn query(f: impl FnOnce(&mut QueueQuery)) -> QueueQuery {
    let mut q = QueueQuery::default();
    f(&mut q);
    q
}

fn reviewer(staff: &Staff) -> Reviewer {
    Reviewer {
        staff: staff.clone(),
        session_id: new_id(),
        confirmed: true,
    }
}

/// Holds `per` opinions in each of `groups` township groups, their batch overdue.
async fn hold_waiting(
    state: &AppState,
    province: &Province,
    groups: &[usize],
    per: usize,
) -> Result<(), BoxError> {
    let now = unix_now();
    let mut rows = Vec::new();
    for &t in groups {
        let tw = &province.townships[t];
        for k in 0..per {
            let village = &tw.villages[k % VILLAGES];
            rows.push(Opinion {
                id: new_id().into(),
                box_id: village.box_id.clone().into(),
                leading_group_id: province.groups[tw.group].id.clone().into(),
                category: Category::Suggestion,
                body: format!(
                    "{}的路灯又坏了,{}书记说过会修。希望尽快解决。",
                    village.name, province.people[village.secretary].name
                ),
                state: OpinionState::New,
                received_on: day_of_unix(now),
                receipt_hash: hash_like(),
                receipt_tag: Some(1),
                reply: None,
                replied_on: None,
                mask_counts: "{}".into(),
                contact_name: None,
                contact_phone: None,
                released_on: None,
                release_by: Some(now - 3600),
                closed_on: None,
                due_on: None,
                target_person_id: None,
                target_unit_id: None,
                escalation: None,
                issue_id: None,
            });
        }
    }
    state
        .db(move |conn| {
            for o in &rows {
                Opinion::insert(conn, o, &[])?;
            }
            Ok(())
        })
        .await
        .map_err(Failure::fail)
}

struct Report {
    backend: &'static str,
    size: usize,
    lines: Vec<Line>,
}

#[allow(clippy::too_many_lines)]
async fn bench(
    state: &AppState,
    province: &Province,
    generated: &Generated,
    runs: usize,
) -> Result<Vec<Line>, BoxError> {
    let mut lines = Vec::new();
    let focus = &province.townships[province.focus];
    let county = &province.counties[focus.county];
    let township_group = &province.groups[focus.group];
    let county_group = &province.groups[county.group];
    // The township reviewer is the group's 镇纪委书记 (opinions naming them are hidden from
    // them); the county reviewer a 县委办督查员.
    let t_rev = reviewer(&township_group.staff[0]);
    let c_rev = reviewer(&county_group.staff[0]);
    let lang = Lang::Zh;
    let mut push = |name: &str, samples: Vec<Duration>, page: bool, note: String| {
        lines.push(Line {
            name: name.to_string(),
            samples,
            page,
            note,
            memory: None,
        });
    };
    use mashangshuo::service::reviewing;

    let first = reviewing::queue(state, &t_rev, &QueueQuery::default())
        .await
        .map_err(Failure::fail)?;
    let cursor = first.next.clone().ok_or("the queue has a single page")?;
    let counted: u32 = reviewing::state_counts(state, &t_rev)
        .await
        .map_err(Failure::fail)?
        .iter()
        .map(|c| c.count)
        .sum();
    push(
        "T inbox page (staff::inbox)",
        measure!(
            runs,
            reviewing::inbox(state, &t_rev, &QueueQuery::default())
        ),
        true,
        format!("{counted} opinions visible to the reviewer"),
    );
    push(
        "T queue first page (reviewing::queue)",
        measure!(
            runs,
            reviewing::queue(state, &t_rev, &QueueQuery::default())
        ),
        true,
        String::new(),
    );
    let next = query(|q| q.after = Some(cursor.clone()));
    push(
        "T next page, keyset",
        measure!(runs, reviewing::queue(state, &t_rev, &next)),
        true,
        String::new(),
    );
    let rectifying = query(|q| q.state = Some("rectifying".into()));
    push(
        "T state = rectifying",
        measure!(runs, reviewing::queue(state, &t_rev, &rectifying)),
        true,
        String::new(),
    );
    let overdue = query(|q| q.overdue = Some("1".into()));
    push(
        "T overdue",
        measure!(runs, reviewing::queue(state, &t_rev, &overdue)),
        true,
        String::new(),
    );
    let common = query(|q| q.q = Some(COMMON_WORD.into()));
    let found = reviewing::queue(state, &t_rev, &common)
        .await
        .map_err(Failure::fail)?
        .opinions
        .len();
    push(
        "T search, common word 希望",
        measure!(runs, reviewing::inbox(state, &t_rev, &common)),
        true,
        format!("inbox page; {found} on the first page"),
    );
    let rare = query(|q| q.q = Some(RARE_WORD.into()));
    let found = reviewing::queue(state, &t_rev, &rare)
        .await
        .map_err(Failure::fail)?
        .opinions
        .len();
    push(
        "T search, rare word 沼气池",
        measure!(runs, reviewing::inbox(state, &t_rev, &rare)),
        true,
        format!("inbox page; {found} found"),
    );
    push(
        "T counts per state",
        measure!(runs, reviewing::state_counts(state, &t_rev)),
        true,
        String::new(),
    );
    push(
        "T issues list (issues::list)",
        measure!(runs, issues::list(state, &t_rev)),
        true,
        String::new(),
    );
    let year_ago = day_of_unix(unix_now() - 364 * DAY);
    let ledger_query = LedgerQuery {
        from: Some(year_ago.to_string()),
        to: Some(day_of_unix(unix_now()).to_string()),
    };
    let ledger = ledger::ledger(state, &t_rev, &ledger_query)
        .await
        .map_err(Failure::fail)?;
    push(
        "T ledger page, 12 months (issues::ledger)",
        measure!(runs, ledger::ledger(state, &t_rev, &ledger_query)),
        true,
        format!("{} issues", ledger.0.issues.len()),
    );
    let county_counted: u32 = reviewing::state_counts(state, &c_rev)
        .await
        .map_err(Failure::fail)?
        .iter()
        .map(|c| c.count)
        .sum();
    push(
        "C inbox page (staff::inbox)",
        measure!(
            runs,
            reviewing::inbox(state, &c_rev, &QueueQuery::default())
        ),
        true,
        format!("{county_counted} opinions visible"),
    );
    push(
        "C search, common word 希望",
        measure!(runs, reviewing::queue(state, &c_rev, &common)),
        true,
        String::new(),
    );
    push(
        "C 统计表 roll-up (statistics::report)",
        measure!(runs, statistics::report(state, &c_rev, None, lang)),
        true,
        format!("{TOWNSHIPS} townships"),
    );
    push(
        "C tables.xlsx (statistics::tables_download)",
        measure!(
            runs,
            statistics::tables_download(
                state,
                &c_rev,
                None,
                statistics::TablesFile::Workbook,
                lang
            )
        ),
        true,
        String::new(),
    );

    // 通报: two published notices and a draft with live figures (round results and ledger).
    let draft = |title: &str, round: &str| NoticeDraft {
        title: title.to_string(),
        body: "根据群众意见,镇领导小组对反映的问题逐项进行了核实和整改,现将有关情况通报如下。"
            .to_string(),
        round: round.to_string(),
        ledger: true,
        ledger_from: year_ago.to_string(),
        ledger_to: day_of_unix(unix_now()).to_string(),
    };
    for (title, round) in [
        ("上半年群众评议结果通报", generated.round_a.as_str()),
        ("整改落实情况通报", ""),
    ] {
        let id = notices::create(state, &t_rev, &draft(title, round))
            .await
            .map_err(Failure::fail)?;
        notices::publish(state, &t_rev, &id)
            .await
            .map_err(Failure::fail)?;
    }
    let draft_id = notices::create(
        state,
        &t_rev,
        &draft("下半年党员评议结果通报(草稿)", &generated.round_b),
    )
    .await
    .map_err(Failure::fail)?;
    push(
        "通报 public board /t/{unit} (notices::board)",
        measure!(runs, notices::board(state, &focus.unit)),
        true,
        "2 published".into(),
    );
    push(
        "通报 draft, live figures (notices::find)",
        measure!(runs, notices::find(state, &t_rev, &draft_id)),
        true,
        "round results + 12-month ledger".into(),
    );

    // Exports: time, file size and memory.
    for (name, who, group) in [
        ("T ledger.xlsx, 12 months", &t_rev, township_group),
        ("C ledger.xlsx, 12 months", &c_rev, county_group),
    ] {
        let issues_in = ledger::ledger(state, who, &ledger_query)
            .await
            .map_err(Failure::fail)?
            .0
            .issues
            .len();
        let mark = memory_mark();
        let bytes = ledger::ledger_workbook(state, who, &ledger_query, lang)
            .await
            .map_err(Failure::fail)?
            .bytes
            .len();
        let samples = measure!(
            runs,
            ledger::ledger_workbook(state, who, &ledger_query, lang)
        );
        let memory = memory_since(mark);
        lines.push(Line {
            name: format!("{name} (issues::ledger_workbook)"),
            samples,
            page: false,
            note: format!(
                "{} issues, file {} KiB; {} group",
                issues_in,
                bytes / 1024,
                group.name
            ),
            memory: Some(memory),
        });
    }

    // What every page above also pays: one audit entry.
    let mut push = |name: &str, samples: Vec<Duration>, note: String| {
        lines.push(Line {
            name: name.to_string(),
            samples,
            page: false,
            note,
            memory: None,
        });
    };
    push(
        "audit entry alone (audit::record)",
        measure!(
            runs,
            audit::record(
                state,
                &t_rev.staff.id,
                mashangshuo::domain::audit::AuditAction::ViewQueue,
                None
            )
        ),
        "included in every page above".into(),
    );
    // The queries alone, without the audit entry and the page's other reads.
    let scope = Scope {
        group_id: township_group.id.clone().into(),
        staff_id: t_rev.staff.id.clone(),
        person_id: t_rev.staff.person_id.clone(),
    };
    let today = day_of_unix(unix_now());
    for (name, text) in [
        ("T db only: queue first page", None),
        ("T db only: search 希望", Some(COMMON_WORD)),
        ("T db only: search 沼气池", Some(RARE_WORD)),
    ] {
        let filter = QueueFilter {
            text: text.and_then(parse_query),
            ..QueueFilter::default()
        };
        push(
            name,
            measure!(
                runs,
                state.db({
                    let (scope, filter, today) = (scope.clone(), filter.clone(), today.clone());
                    move |conn| {
                        Opinion::queue(conn, &scope, &filter, &today, PAGE_SIZE + 1)
                            .map(|r| r.len())
                    }
                })
            ),
            "Opinion::queue".into(),
        );
    }

    // The maintenance job: each run releases JOB_GROUPS batches of JOB_BATCH (held before the
    // clock starts), derives their subjects and indexes them; then a run with nothing to do.
    let groups: Vec<usize> = (0..JOB_GROUPS).map(|k| k * 3 + 1).collect();
    let mut samples = Vec::with_capacity(runs);
    let mut released = 0;
    for _ in 0..runs {
        hold_waiting(state, province, &groups, JOB_BATCH).await?;
        let started = Instant::now();
        let report = mashangshuo::jobs::run_once(state, unix_now())
            .await
            .map_err(Failure::fail)?;
        samples.push(started.elapsed());
        released += report.map_or(0, |r| r.released);
    }
    let slowest = samples
        .iter()
        .enumerate()
        .max_by_key(|(_, took)| **took)
        .map_or(0, |(k, _)| k + 1);
    push(
        "maintenance job, 15 released (jobs::run_once)",
        samples,
        format!(
            "{JOB_GROUPS} batches of {JOB_BATCH}; {} released per run; the slowest was run {slowest} of {runs}",
            released / runs.max(1)
        ),
    );
    push(
        "maintenance job, nothing due",
        measure!(runs, mashangshuo::jobs::run_once(state, unix_now())),
        String::new(),
    );
    Ok(lines)
}

/// One-shot: an admin adds a village secretary to the directory, so every opinion whose text
/// holds the post or the name is matched again (`subjects::derive_for_people`, what
/// `service::admin` runs), in a transaction rolled back afterwards.
fn derive_for_new_person(
    conn: &mut DbConnection,
    province: &Province,
) -> Result<(Duration, usize), BoxError> {
    let village = &province.townships[province.focus].villages[0];
    let person = Person {
        id: new_id().into(),
        unit_id: village.unit.clone().into(),
        name: "欧阳振华".into(),
        post: "村党支部书记".into(),
        active: true,
        leader_rank: Some(LeaderRank::GrassrootsSecretary),
    };
    let mut outcome = (Duration::ZERO, 0);
    let rolled_back: Result<(), DbError> = conn.write_transaction(|conn| {
        Person::insert(conn, &person)?;
        let started = Instant::now();
        let added =
            mashangshuo::db::subjects::derive_for_people(conn, &[person.id.as_str().into()])?;
        outcome = (started.elapsed(), added);
        Err(DbError::NotFound)
    });
    match rolled_back {
        Err(DbError::NotFound) => Ok(outcome),
        Err(other) => Err(Box::new(other)),
        Ok(()) => Ok(outcome),
    }
}

// ---------------------------------------------------------------------------------------------
// Driving one size on one backend.

struct Options {
    sizes: Vec<usize>,
    runs: usize,
    /// Skip the one-shot `derive_for_people` above this many opinions.
    derive_max: usize,
    /// Keep each SQLite database in `{keep}/{size}/` instead of a temporary folder; on
    /// PostgreSQL, leave the last size in the database.
    keep: Option<std::path::PathBuf>,
    /// Counties in the province (the figures are for one county and one township in it).
    counties: usize,
}

fn options() -> Result<Options, BoxError> {
    let mut o = Options {
        sizes: vec![10_000, 100_000, 1_000_000],
        runs: 20,
        derive_max: 100_000,
        keep: None,
        counties: COUNTIES,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(|v| v.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()?;
            }
            "--runs" => o.runs = value()?.parse()?,
            "--derive-max" => o.derive_max = value()?.parse()?,
            "--keep" => o.keep = Some(value()?.into()),
            "--counties" => o.counties = value()?.parse()?,
            "-h" | "--help" => {
                println!(
                    "province_bench [--sizes 10000,100000,1000000] [--runs 20] [--derive-max 100000] [--keep DIR] [--counties 10]\n\
                     SQLite (temporary file) unless DATABASE_URL names an empty PostgreSQL database."
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    if o.runs == 0 || o.sizes.contains(&0) || !(1..=COUNTIES).contains(&o.counties) {
        return Err("--runs and --sizes must be positive, --counties 1 to 10".into());
    }
    Ok(o)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn pg_reset(url: &str, check_empty: bool) -> Result<(), BoxError> {
    let mut pg = PgConnection::establish(url)?;
    if check_empty {
        let tables: Count = diesel::sql_query(
            "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
        )
        .get_result(&mut pg)?;
        if tables.n > 0 {
            return Err(format!(
                "DATABASE_URL names a database with {} tables in schema public; give an empty one",
                tables.n
            )
            .into());
        }
    }
    pg.batch_execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")?;
    Ok(())
}

fn database_size(conn: &mut DbConnection, sqlite_path: Option<&std::path::Path>) -> u64 {
    match conn {
        DbConnection::Postgresql(pg) => {
            diesel::sql_query("SELECT pg_database_size(current_database()) AS n")
                .get_result::<Count>(pg)
                .map(|c| u64::try_from(c.n).unwrap_or_default())
                .unwrap_or_default()
        }
        DbConnection::Sqlite(_) => sqlite_path
            .map(|p| {
                ["", "-wal"]
                    .iter()
                    .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", p.display())).ok())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or_default(),
    }
}

async fn one_size(
    size: usize,
    pg_url: Option<&str>,
    options: &Options,
) -> Result<Report, BoxError> {
    let dir = tempfile::tempdir()?;
    let folder = match &options.keep {
        Some(keep) if pg_url.is_none() => {
            let folder = keep.join(size.to_string());
            if folder.exists() {
                return Err(format!("{} exists already", folder.display()).into());
            }
            std::fs::create_dir_all(&folder)?;
            folder
        }
        _ => dir.path().to_path_buf(),
    };
    let sqlite_path = folder.join("bench.db");
    let url = match pg_url {
        Some(url) => url.to_string(),
        None => format!("sqlite://{}", sqlite_path.display()),
    };
    let backend = if pg_url.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let vars: HashMap<&str, String> = HashMap::from([
        ("DATABASE_URL", url.clone()),
        ("MASHANGSHUO_DATA_DIR", folder.display().to_string()),
        ("MASHANGSHUO_DEMO", "off".to_string()),
        ("MASHANGSHUO_JOB_INTERVAL_SECS", "0".to_string()),
        ("MASHANGSHUO_SECRET", hash_like()),
        ("MASHANGSHUO_BIND", "127.0.0.1:0".to_string()),
    ]);
    let config = Config::from_lookup(|k| vars.get(k).cloned())?;

    // Generation on a connection of its own, before the server's pool opens: on SQLite with
    // no journal instead of the write-ahead log (every page written once, not twice; a failed
    // run leaves a database nobody reads), without fsync and with a 1 GB page cache. The pool
    // then opens the file as the server does (WAL, synchronous=FULL) and finds the schema
    // migrated.
    let mut conn = match pg_url {
        Some(url) => DbConnection::Postgresql(PgConnection::establish(url)?),
        None => {
            mashangshuo::files::create_private_file(&sqlite_path)?;
            let mut c = SqliteConnection::establish(&sqlite_path.display().to_string())?;
            c.batch_execute(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; \
                 PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;",
            )?;
            DbConnection::Sqlite(c)
        }
    };
    mashangshuo::db::migrate_connection(&mut conn)?;
    let mut rng = StdRng::seed_from_u64(20 + size as u64);
    let started = Instant::now();
    let province = Province::build(&mut rng, options.counties);
    let mut generated = generate(&mut conn, &province, size, &mut rng)?;
    let settle = Instant::now();
    match &mut conn {
        // Planner statistics and the visibility map, as autovacuum keeps them in production.
        DbConnection::Postgresql(pg) => pg.batch_execute("VACUUM ANALYZE")?,
        // Back to the server's journal. SQLite gets no ANALYZE: nothing in production runs it.
        DbConnection::Sqlite(c) => c.batch_execute("PRAGMA journal_mode = WAL;")?,
    }
    generated
        .phases
        .push(("VACUUM ANALYZE / journal", settle.elapsed()));
    let generation = started.elapsed();
    drop(conn);
    let (state, _) = mashangshuo::startup::prepare(config).await?;
    let mut conn = state.pool.get()?;
    let db_bytes = database_size(&mut conn, Some(&sqlite_path));

    let c = &generated.counts;
    let focus = &province.townships[province.focus];
    println!();
    println!(
        "=== {backend} · {} opinions =================================================",
        thousands(size)
    );
    println!(
        "province: {} counties × {TOWNSHIPS} townships × {VILLAGES} villages; {} units, {} boxes, {} people, {} groups, {} staff accounts",
        province.counties.len(),
        province.units.len(),
        province.boxes.len(),
        province.people.len(),
        province.groups.len(),
        province.staff_count()
    );
    println!(
        "rows: {} opinions, {} search terms, {} subjects, {} messages, {} issues, {} measures, {} responses, {} answers, {} slips, {} leader reviews",
        thousands(c.opinions),
        thousands(c.terms),
        thousands(c.subjects),
        thousands(c.messages),
        thousands(c.issues),
        thousands(c.measures),
        thousands(c.responses),
        thousands(c.answers),
        thousands(c.slips),
        thousands(c.reviews)
    );
    println!(
        "generated in {:.1} s ({}); database {:.2} GiB",
        generation.as_secs_f64(),
        generated
            .phases
            .iter()
            .map(|(name, d)| format!("{name} {:.1} s", d.as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", "),
        db_bytes as f64 / (1u64 << 30) as f64
    );
    println!(
        "measured: township {} (group of {} opinions) and its county's group ({} opinions); {} runs each after one warm-up",
        focus.name,
        thousands(c.per_group.get(&focus.group).copied().unwrap_or(0)),
        thousands(
            c.per_group
                .get(&province.counties[focus.county].group)
                .copied()
                .unwrap_or(0)
        ),
        options.runs
    );

    let mut lines = bench(&state, &province, &generated, options.runs).await?;

    if size <= options.derive_max {
        let (took, added) = derive_for_new_person(&mut conn, &province)?;
        lines.push(Line {
            name: "admin adds a village secretary (derive_for_people)".into(),
            samples: vec![took],
            page: false,
            note: format!("once, rolled back; {added} subjects added"),
            memory: None,
        });
    }
    print_table(&lines);
    drop(conn);
    drop(state);
    Ok(Report {
        backend,
        size,
        lines,
    })
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 20) as f64
}

fn print_table(lines: &[Line]) {
    println!(
        "{:<52} {:>9} {:>9} {:>9}  note",
        "case", "p50 ms", "p95 ms", "max ms"
    );
    for line in lines {
        let (p50, p95, max) = (line.quantile(0.5), line.quantile(0.95), line.quantile(1.0));
        let mut note = line.note.clone();
        if line.page {
            let verdict = if p95 < TARGET_MS { "ok" } else { "MISSED" };
            note = format!("[{verdict} p95 < {TARGET_MS} ms] {note}");
        }
        if let Some((heap, hwm)) = line.memory {
            note = format!(
                "{note}; heap peak +{:.1} MiB, VmHWM +{:.1} MiB",
                mib(heap as u64),
                mib(hwm)
            );
        }
        println!(
            "{:<52} {:>9.2} {:>9.2} {:>9.2}  {}",
            pad(&line.name, 52),
            p50,
            p95,
            max,
            note
        );
    }
}

/// Pads by display width (a CJK character takes two columns).
fn pad(text: &str, width: usize) -> String {
    let shown: usize = text
        .chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum();
    let chars = text.chars().count();
    let target = width.saturating_sub(shown - chars.min(shown));
    format!("{text:<target$}")
}

fn print_growth(reports: &[Report]) {
    if reports.len() < 2 {
        return;
    }
    println!();
    println!(
        "=== growth: p50 per size, and how much it grew against the data ({}) ===",
        reports[0].backend
    );
    let header: Vec<String> = reports.iter().map(|r| thousands(r.size)).collect();
    println!("{:<52} {:>12}  growth", "case", header.join(" / "));
    for (i, line) in reports[0].lines.iter().enumerate() {
        let figures: Vec<f64> = reports
            .iter()
            .filter_map(|r| r.lines.get(i).map(|l| l.quantile(0.5)))
            .collect();
        let mut verdicts = Vec::new();
        for w in reports.windows(2).zip(figures.windows(2)) {
            let ((a, b), (fa, fb)) = ((&w.0[0], &w.0[1]), (w.1[0], w.1[1]));
            let data = b.size as f64 / a.size as f64;
            let grew = fb / fa.max(0.001);
            // Above the data's growth (with room for noise) is super-linear.
            let word = if grew > data * 1.3 && fb > 5.0 {
                "SUPER-LINEAR"
            } else if grew > data * 0.5 {
                "≈linear"
            } else if grew > 2.0 {
                "sub-linear"
            } else {
                "flat"
            };
            verdicts.push(format!("×{grew:.1} for ×{data:.0} data: {word}"));
        }
        let memory: Vec<String> = reports
            .iter()
            .filter_map(|r| r.lines.get(i).and_then(|l| l.memory))
            .map(|(heap, _)| format!("{:.1}", mib(heap as u64)))
            .collect();
        let memory = if memory.is_empty() {
            String::new()
        } else {
            format!("; heap peak MiB {}", memory.join(" / "))
        };
        println!(
            "{:<52} {:>12}  {}{}",
            pad(&line.name, 52),
            figures
                .iter()
                .map(|f| format!("{f:.1}"))
                .collect::<Vec<_>>()
                .join(" / "),
            verdicts.join("; "),
            memory
        );
    }
}

fn main() -> Result<(), BoxError> {
    let options = options()?;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("error"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let pg_url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|u| u.starts_with("postgres://") || u.starts_with("postgresql://"));
    if let Some(url) = &pg_url {
        pg_reset(url, true)?;
    }
    println!(
        "province_bench: sizes {:?}, {} runs, {}; {} cores",
        options.sizes,
        options.runs,
        if pg_url.is_some() {
            "PostgreSQL"
        } else {
            "SQLite (temporary file)"
        },
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    let mut reports = Vec::new();
    for (n, &size) in options.sizes.iter().enumerate() {
        let report =
            actix_web::rt::System::new().block_on(one_size(size, pg_url.as_deref(), &options));
        let last = n + 1 == options.sizes.len();
        match &pg_url {
            // With --keep, the last size stays in the database (to inspect query plans).
            Some(_) if last && options.keep.is_some() => {
                println!("kept in DATABASE_URL: the {size} opinions' database");
            }
            Some(url) => pg_reset(url, false)?,
            None => {}
        }
        reports.push(report?);
    }
    print_growth(&reports);
    Ok(())
}
