//! The demo ledger: a county year as a newcomer would meet it (the four streams of
//! DOMAIN.md §1 with their real counts, the real items of §6, about 25 county units), built
//! through the same validated API as the intake form. A real installation starts empty;
//! the app seeds this only when started with `--demo` on an empty data folder.

use crate::queries::items::ItemQuery;
use crate::db::Db;
use crate::error::Result;
use crate::model::{AssignmentInput, CountyRole, ItemInput, Kind, ProposerInput, SessionInput, UnitInput, UnitRole};
use crate::workflow::StepInput;

use std::collections::HashMap;

/// (full name, short name, contact, office phone)
const UNITS: &[(&str, &str, &str, &str)] = &[
    ("精河县发展和改革委员会", "县发改委", "王志刚", "0909-5321101"),
    ("精河县财政局", "县财政局", "李红梅", "0909-5321102"),
    ("精河县教育局", "县教育局", "马晓燕", "0909-5321103"),
    ("精河县卫生健康委员会", "县卫健委", "古丽米拉·阿不都热合曼", "0909-5321104"),
    ("精河县住房和城乡建设局", "县住建局", "赵建国", "0909-5321105"),
    ("精河县交通运输局", "县交通局", "孙立新", "0909-5321106"),
    ("精河县农业农村局", "县农业农村局", "努尔兰·别克", "0909-5321107"),
    ("精河县水利局", "县水利局", "周海涛", "0909-5321108"),
    ("精河县自然资源局", "县自然资源局", "吴晓东", "0909-5321109"),
    ("博州生态环境局精河县分局", "县环保分局", "郑丽", "0909-5321110"),
    ("精河县市场监督管理局", "县市场监管局", "冯涛", "0909-5321111"),
    ("精河县人力资源和社会保障局", "县人社局", "陈静", "0909-5321112"),
    ("精河县民政局", "县民政局", "阿依古丽·吐尔逊", "0909-5321113"),
    ("精河县文化体育广播电视和旅游局", "县文体广旅局", "巴特尔·孟克", "0909-5321114"),
    ("精河县商务和工业信息化局", "县商工局", "杨帆", "0909-5321115"),
    ("精河县公安局", "县公安局", "刘强", "0909-5321116"),
    ("精河县应急管理局", "县应急局", "何军", "0909-5321117"),
    ("精河县林业和草原局", "县林草局", "买买提·依明", "0909-5321118"),
    ("精河工业园区管委会", "工业园区", "高峰", "0909-5321119"),
    ("精河县医疗保障局", "县医保局", "林芳", "0909-5321120"),
    ("精河县城市管理局", "县城管局", "黄磊", "0909-5321121"),
    ("精河镇人民政府", "精河镇", "徐婷", "0909-5321122"),
    ("大河沿子镇人民政府", "大河沿子镇", "沙吾列·哈力木", "0909-5321123"),
    ("托里镇人民政府", "托里镇", "韩冬", "0909-5321124"),
    ("茫丁乡人民政府", "茫丁乡", "米娜瓦尔·艾买提", "0909-5321125"),
];

/// A subject an item can be about: (subject, 建议 category, 提案 category, lead unit, assisting unit).
const TOPICS: &[(&str, &str, &str, &str, &str)] = &[
    ("加快城区老旧小区改造", "社会建设", "工交邮电", "县住建局", "县财政局"),
    ("完善城区停车设施规划建设", "工交财贸", "工交邮电", "县住建局", "县公安局"),
    ("提升农村公路养护水平", "工交财贸", "工交邮电", "县交通局", "县财政局"),
    ("开通县城至乡镇公交线路", "工交财贸", "工交邮电", "县交通局", "精河镇"),
    ("完善新能源汽车充电设施", "工交财贸", "工交邮电", "县发改委", "县住建局"),
    ("推进供水、供暖、绿化水管网改造", "社会建设", "工交邮电", "县住建局", "县水利局"),
    ("繁荣早市夜市经济，实现商家市民双赢", "工交财贸", "财税金融", "县商工局", "县市场监管局"),
    ("促进中小企业发展 扩大劳动就业", "劳动人事", "财税金融", "县人社局", "县商工局"),
    ("加大对小微企业的金融支持", "工交财贸", "财税金融", "县财政局", "县发改委"),
    ("推动枸杞产业精深加工", "农林水牧", "农业水利", "县农业农村局", "工业园区"),
    ("加强高标准农田建设", "农林水牧", "农业水利", "县农业农村局", "县自然资源局"),
    ("推广高效节水灌溉技术", "农林水牧", "农业水利", "县水利局", "县农业农村局"),
    ("加强艾比湖湿地保护", "农林水牧", "资源环境", "县林草局", "县环保分局"),
    ("治理城区冬季燃煤污染", "社会建设", "资源环境", "县环保分局", "县住建局"),
    ("推进农村生活垃圾分类处理", "社会建设", "资源环境", "县住建局", "茫丁乡"),
    ("加强防风固沙林带建设", "农林水牧", "资源环境", "县林草局", "县自然资源局"),
    ("改善乡村学校办学条件", "科教文卫", "教育事业", "县教育局", "县财政局"),
    ("加强农村幼儿园师资队伍建设", "科教文卫", "教育事业", "县教育局", "县人社局"),
    ("推进职业教育与园区企业合作", "科教文卫", "教育事业", "县教育局", "工业园区"),
    ("关注中小学生心理健康教育", "科教文卫", "教育事业", "县教育局", "县卫健委"),
    ("建设老年人日间照料中心", "社会建设", "医疗卫生", "县民政局", "县卫健委"),
    ("加快建设0-3岁婴幼儿看护体系", "社会建设", "医疗卫生", "县卫健委", "县民政局"),
    ("加强和完善公共急救培训体系建设", "科教文卫", "医疗卫生", "县卫健委", "县应急局"),
    ("提升乡镇卫生院服务能力", "科教文卫", "医疗卫生", "县卫健委", "县医保局"),
    ("完善城乡居民医保异地结算", "社会建设", "医疗卫生", "县医保局", "县卫健委"),
    ("推进智慧医疗建设", "科教文卫", "科学技术", "县卫健委", "县发改委"),
    ("加快农业科技成果转化", "农林水牧", "科学技术", "县农业农村局", "工业园区"),
    ("推进工业园区数字化改造", "工交财贸", "科学技术", "工业园区", "县商工局"),
    ("加强全民健身场地建设", "科教文卫", "文体宣传", "县文体广旅局", "县住建局"),
    ("挖掘精河历史文化资源", "科教文卫", "文体宣传", "县文体广旅局", "县教育局"),
    ("发展乡村旅游", "工交财贸", "文体宣传", "县文体广旅局", "县农业农村局"),
    ("加强农家书屋管理使用", "科教文卫", "文体宣传", "县文体广旅局", "托里镇"),
    ("加强食品安全监管", "社会建设", "政治法律", "县市场监管局", "县公安局"),
    ("推进社区网格化治理", "社会建设", "政治法律", "县民政局", "县公安局"),
    ("加强农村道路交通安全管理", "社会建设", "政治法律", "县公安局", "县交通局"),
    ("提升防汛抗旱应急能力", "农林水牧", "农业水利", "县应急局", "县水利局"),
    ("加强城市精细化管理", "社会建设", "工交邮电", "县城管局", "县住建局"),
    ("解决农民工工资拖欠问题", "劳动人事", "政治法律", "县人社局", "县住建局"),
    ("做好高校毕业生就业服务", "劳动人事", "教育事业", "县人社局", "县教育局"),
    ("加强乡村振兴人才队伍建设", "劳动人事", "农业水利", "县人社局", "县农业农村局"),
    ("改善大河沿子镇饮水条件", "农林水牧", "农业水利", "大河沿子镇", "县水利局"),
    ("加快托里镇集镇道路建设", "工交财贸", "工交邮电", "托里镇", "县交通局"),
    ("建设精河镇农贸市场", "工交财贸", "财税金融", "精河镇", "县市场监管局"),
    ("加强牧区草原生态补奖落实", "农林水牧", "资源环境", "县林草局", "县财政局"),
    ("规范涉企收费减轻企业负担", "工交财贸", "财税金融", "县市场监管局", "县发改委"),
    ("加强残疾人康复服务", "社会建设", "医疗卫生", "县民政局", "县卫健委"),
    ("做好移风易俗宣传", "其它", "文体宣传", "县文体广旅局", "县民政局"),
];

/// A real item: (proposers, title, lead unit, category).
type RealItem = (&'static [&'static str], &'static str, &'static str, &'static str);

/// The real items of DOMAIN.md §6, filed in the county CPPCC stream.
const REAL_PROPOSALS: &[RealItem] = &[
    (&["刘文彬", "张宝成"], "关于促进中小企业发展 扩大劳动就业方面的提案", "县人社局", "财税金融"),
    (&["张宝成", "吕方方"], "关于繁荣早市夜市经济，实现商家市民双赢的提案", "县商工局", "财税金融"),
    (&["图尔荪·艾尔肯"], "关于加强和完善公共急救培训体系建设的提案", "县卫健委", "医疗卫生"),
    (&["妇联界", "王爱新"], "关于加快建设0-3岁婴幼儿看护体系建设的提案", "县卫健委", "医疗卫生"),
    (&["田鸿"], "关于建设老年人日间照料中心的提案", "县民政局", "医疗卫生"),
    (&["祖力胡马·艾合麦提"], "关于加快阿拉尔基础设施和公共服务设施建设，提高城市吸引力的提案", "县住建局", "工交邮电"),
    (&["马如国"], "关于完善新能源汽车充电设施的提案", "县发改委", "工交邮电"),
    (&["冯汉超", "牛智", "刘小梅"], "关于供水、供暖、绿化水管网改造的提案", "县住建局", "工交邮电"),
];

/// The real suggestions of DOMAIN.md §6, filed in the prefecture congress stream.
const REAL_SUGGESTIONS: &[RealItem] = &[
    (&["美志高"], "关于林芝县乡学校配备多媒体一体机电脑专业维修人员的建议", "县教育局", "科教文卫"),
    (&["乔次仁"], "关于加快实施巴宜区布久乡孜热村升级改造项目的建议", "县住建局", "农林水牧"),
];

const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
const GIVEN: &[&str] = &["建华", "秀英", "志强", "海燕", "国庆", "丽娟", "新民", "红霞", "文军", "晓燕", "春生", "玉兰", "永刚", "桂芳", "振华", "雪梅", "立新", "凤英", "德明", "燕芹"];
const MINORITY_NAMES: &[&str] = &["阿依古丽·吐尔逊", "买买提·依明", "努尔兰·别克", "巴特尔·孟克", "古丽米拉·阿不都热合曼", "热娜·艾力", "叶尔兰·哈布力", "米娜瓦尔·艾买提", "吐尔洪·阿西木", "其米格·乌兰"];
const DELEGATIONS: &[&str] = &["精河镇代表团", "大河沿子镇代表团", "托里镇代表团", "茫丁乡代表团", "县直机关代表团"];
const SECTORS: &[&str] = &["经济界", "教育界", "医药卫生界", "农业界", "妇联界", "科技界", "文化艺术界", "少数民族界", "社会福利和社会保障界"];
const LEADERS: &[&str] = &["县委常委、副县长 张建军", "副县长 艾尔肯·吐尔地", "副县长 刘海英", "县委常委、常务副县长 赵新民"];

/// A small deterministic generator (xorshift64), so the demo is the same on every machine
/// and a fuzz run can be run again from its seed.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Dice {
        Dice(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// A number in 0..n (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn person(&mut self) -> String {
        if self.chance(20) {
            self.pick(MINORITY_NAMES).to_string()
        } else {
            format!("{}{}", self.pick(SURNAMES), self.pick(GIVEN))
        }
    }
    fn mobile(&mut self) -> String {
        format!("139{:08}", self.next() % 100_000_000)
    }
}

/// One stream of the demo year: its session and how many items it has, by county role.
struct Stream {
    kind: Kind,
    level: &'static str,
    year: i32,
    session: &'static str,
    lead: usize,
    assist: usize,
    first_number: u32,
    assigned_on: &'static str,
}

const STREAMS: &[Stream] = &[
    Stream { kind: Kind::Suggestion, level: "州", year: 2025, session: "州十六届人大二次会议", lead: 13, assist: 23, first_number: 103, assigned_on: "2025-03-17" },
    Stream { kind: Kind::Proposal, level: "州", year: 2025, session: "政协博州十五届二次会议", lead: 11, assist: 34, first_number: 21, assigned_on: "2025-03-17" },
    Stream { kind: Kind::Suggestion, level: "县", year: 2025, session: "精河县十八届人大五次会议", lead: 25, assist: 0, first_number: 1, assigned_on: "2025-03-20" },
    Stream { kind: Kind::Proposal, level: "县", year: 2025, session: "政协精河县十一届五次会议", lead: 43, assist: 0, first_number: 1, assigned_on: "2025-03-20" },
    // The B items of 2024 still followed in 2025 (州人大 13, 州政协 8, as in the notice).
    Stream { kind: Kind::Suggestion, level: "州", year: 2024, session: "州十六届人大一次会议", lead: 13, assist: 0, first_number: 88, assigned_on: "2024-03-15" },
    Stream { kind: Kind::Proposal, level: "州", year: 2024, session: "政协博州十五届一次会议", lead: 8, assist: 0, first_number: 14, assigned_on: "2024-03-15" },
];

/// The subject of a title: 关于X的建议 → X.
fn subject_of(title: &str) -> &str {
    let subject = title.strip_prefix("关于").unwrap_or(title);
    ["方面的提案", "的提案", "的建议"].iter().find_map(|end| subject.strip_suffix(end)).unwrap_or(subject)
}

/// What the demo put into the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub units: usize,
    pub sessions: usize,
    pub items: usize,
}

/// The day the demo's progress is written for; the start command opens the demo on it, in
/// the middle of the handling season, so the reminders and task lists have work to show.
pub const DEMO_TODAY: &str = "2025-04-15";

/// Fills an empty ledger with the demo year, its progress as of [`DEMO_TODAY`].
pub fn seed(db: &mut Db) -> Result<DemoSummary> {
    let mut unit_ids = HashMap::new();
    for (name, short_name, contact, phone) in UNITS {
        let id = db.create_unit(&UnitInput {
            name: name.to_string(),
            short_name: short_name.to_string(),
            contact: contact.to_string(),
            phone: phone.to_string(),
        })?;
        unit_ids.insert(*short_name, id);
    }
    let categories = db.list_categories()?;
    let category_id = |kind: Kind, name: &str| categories.iter().find(|c| c.kind == kind && c.name == name).map(|c| c.id);

    let mut dice = Dice::new(0x5EED_2025);
    let mut items = 0;
    for (s, stream) in STREAMS.iter().enumerate() {
        let session_id = db.create_session(&SessionInput {
            kind: stream.kind.as_str().into(),
            level: stream.level.into(),
            year: stream.year.to_string(),
            name: stream.session.into(),
        })?;
        let real: &[RealItem] = match (stream.kind, stream.level, stream.year) {
            (Kind::Proposal, "县", 2025) => REAL_PROPOSALS,
            (Kind::Suggestion, "州", 2025) => REAL_SUGGESTIONS,
            _ => &[],
        };
        let mut number = stream.first_number;
        for n in 0..stream.lead + stream.assist {
            let topic = &TOPICS[(n * 7 + s * 11) % TOPICS.len()];
            let topic_category = if stream.kind == Kind::Suggestion { topic.1 } else { topic.2 };
            let (names, title, lead_unit, category): (Vec<String>, String, &str, &str) = match real.get(n) {
                Some((names, title, unit, category)) => {
                    (names.iter().map(|s| s.to_string()).collect(), title.to_string(), unit, category)
                }
                None => {
                    let count = 1 + dice.below(3);
                    let names = (0..count).map(|_| dice.person()).collect();
                    (names, format!("关于{}的{}", topic.0, stream.kind), topic.3, topic_category)
                }
            };
            let county_role = if n < stream.lead { "主办" } else if dice.chance(8) { "参考" } else { "协办" };
            let is_key = dice.chance(10);
            let groups = if stream.kind == Kind::Suggestion { DELEGATIONS } else { SECTORS };
            let proposers = names
                .iter()
                .enumerate()
                .map(|(i, name)| ProposerInput {
                    is_collective: name.ends_with('界'),
                    delegation: if name.ends_with('界') { String::new() } else { dice.pick(groups).to_string() },
                    phone: if i == 0 { dice.mobile() } else { String::new() },
                    name: name.clone(),
                })
                .collect::<Vec<_>>();
            let mut assignments = vec![AssignmentInput {
                unit_id: Some(unit_ids[lead_unit]),
                role: "主办".into(),
                leader: format!("副局长 {}", dice.person()),
                handler: dice.person(),
                phone: dice.mobile(),
            }];
            if topic.4 != lead_unit && dice.chance(60) {
                assignments.push(AssignmentInput {
                    unit_id: Some(unit_ids[topic.4]),
                    role: "协办".into(),
                    leader: String::new(),
                    handler: dice.person(),
                    phone: dice.mobile(),
                });
            }
            let signers_total = if proposers.len() == 1 && !proposers[0].is_collective && dice.chance(15) {
                (3 + dice.below(10)).to_string()
            } else {
                String::new()
            };
            db.create_item(&ItemInput {
                session_id: Some(session_id),
                number: number.to_string(),
                full_text: format!(
                    "{subject}事关群众切身利益，群众反映较为集中。\n建议：一是摸清底数，制定工作方案；二是加大资金投入，\
                     明确责任单位和完成时限；三是加强督促检查，及时向群众公开进展。",
                    subject = subject_of(&title)
                ),
                title,
                category_id: category_id(stream.kind, category),
                county_role: county_role.into(),
                is_key,
                supervising_leader: if is_key { dice.pick(LEADERS).to_string() } else { String::new() },
                assigned_on: stream.assigned_on.into(),
                signers_total,
                note: String::new(),
                proposers,
                assignments,
            })?;
            number += 1 + dice.below(4) as u32;
            items += 1;
        }
    }
    seed_progress(db, &mut dice)?;
    Ok(DemoSummary { units: UNITS.len(), sessions: STREAMS.len(), items })
}

/// Records the workflow as a county office would have it on [`DEMO_TODAY`]: the 2024 items
/// replied as B and looked back on in October 2024, the 2025 items mostly on time with a
/// few late units, some drafts already in and one returned.
fn seed_progress(db: &mut Db, dice: &mut Dice) -> Result<()> {
    let step = |name: &str, on: &str, unit: Option<i64>| StepInput { step: name.into(), happened_on: on.into(), unit_id: unit, ..Default::default() };
    for row in db.list_items(&ItemQuery::default())? {
        let item = db.get_item(row.id)?;
        let lead = item.assignments.iter().find(|a| a.role == UnitRole::Lead).map(|a| a.unit_id);
        let assists: Vec<i64> = item.assignments.iter().filter(|a| a.role == UnitRole::Assist).map(|a| a.unit_id).collect();
        let y = item.session.year;
        // Nothing happens before the item was assigned.
        let earliest = item.assigned_on.map(|a| a + chrono::Days::new(1));
        let on = |m: u32, d: u32| {
            let day = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a real demo date");
            earliest.map_or(day, |e| day.max(e)).to_string()
        };
        if item.county_role == CountyRole::Reference {
            continue;
        }
        let late = y >= 2025 && dice.chance(6);
        for unit in item.assignments.iter().map(|a| a.unit_id) {
            if !(late && dice.chance(40)) {
                db.record_step(item.id, &step("签收", &on(3, 18 + dice.below(3) as u32), Some(unit)))?;
            }
        }
        if item.county_role == CountyRole::Assist {
            if !late {
                db.record_step(item.id, &step("协办意见", &on(4, 1 + dice.below(6) as u32), lead))?;
            }
            continue;
        }
        if late && dice.chance(50) {
            continue; // a unit that has sent nothing yet
        }
        db.record_step(item.id, &step("承办情况表", &on(3, 21 + dice.below(4) as u32), lead))?;
        if late {
            continue;
        }
        db.record_step(item.id, &StepInput {
            method: ["面商", "走访", "座谈", "电话"][dice.below(4)].into(),
            participants: format!("{}、承办人", item.proposers[0].name),
            ..step("面商", &on(3, 26 + dice.below(5) as u32), lead)
        })?;
        for unit in &assists {
            db.record_step(item.id, &step("协办意见", &on(4, 1 + dice.below(6) as u32), Some(*unit)))?;
        }
        let finished = y < 2025;
        if !finished && !dice.chance(35) {
            continue;
        }
        db.record_step(item.id, &step("答复样稿", &on(4, 8 + dice.below(4) as u32), lead))?;
        if !finished && dice.chance(25) {
            db.record_step(item.id, &StepInput { passed: Some(false), reason: "答复内容过于笼统，请补充具体措施和完成时限。".into(), ..step("初审", &on(4, 14), None) })?;
            continue;
        }
        db.record_step(item.id, &StepInput { passed: Some(true), ..step("初审", &on(4, 14), None) })?;
        if !finished {
            continue;
        }
        db.record_step(item.id, &StepInput { leader: LEADERS[dice.below(LEADERS.len())].into(), ..step("审定", &on(4, 25), None) })?;
        db.record_step(item.id, &StepInput {
            class: "B".into(),
            doc_number: format!("精政函〔{y}〕{}号", 20 + dice.below(60)),
            signed_by: "张建军".into(),
            ..step("正式答复", &on(5, 20), lead)
        })?;
        db.record_step(item.id, &StepInput {
            channel: "面商".into(),
            work: "满意".into(),
            result: if dice.chance(30) { "基本满意" } else { "满意" }.into(),
            ..step("征求意见", &on(5, 28), None)
        })?;
        db.record_step(item.id, &step("备案", &on(6, 5), None))?;
        db.record_step(item.id, &StepInput { progress: "项目已列入年度计划，资金正在落实。".into(), ..step("回头看", &on(10, 9), None) })?;
        db.record_step(item.id, &StepInput { mode: "主动公开".into(), ..step("公开", &on(10, 30), None) })?;
    }
    Ok(())
}

/// A clerk's own ledger of earlier years, as she keeps it in one workbook, for trying the
/// import of a whole ledger (and for its tests): a sheet a year (2021年 … 2024年), both
/// prefecture streams mixed in each, told apart by 类型 and 届次; results in words; ratings
/// in one column in 2021 and 2022 and in two later; 面商方式 without dates; a 回头看情况 column
/// in which half the B items of the years before 2024 were found solved the next July.
pub struct EarlierYears {
    pub bytes: Vec<u8>,
    /// Per year: the rows of 州人大建议 and of 州政协提案.
    pub counts: Vec<(i32, usize, usize)>,
    /// The B items the file says are still followed (no 回头看 found them solved).
    pub still_b: usize,
    /// The titles of those, for finding them on screen.
    pub still_b_titles: Vec<String>,
}

/// The workbook of [`EarlierYears`], its suggestions of category `suggestion_category` and
/// its proposals of `proposal_category`; the units are the demo's 县发改委 and 县教育局 by
/// their short names.
pub fn earlier_years_workbook(suggestion_category: &str, proposal_category: &str) -> Result<EarlierYears> {
    use crate::output::workbook::{add_table, new_workbook, Cell, Column, Table};
    let mut book = new_workbook();
    let (mut counts, mut still_b_titles) = (Vec::new(), Vec::new());
    for year in 2021..=2024 {
        let two_ratings = year >= 2023;
        let mut headers = vec!["序号", "类型", "届次", "编号", "标题", "领衔人", "类别", "主办单位", "交办日期", "面商方式", "答复日期", "办理结果"];
        headers.extend(if two_ratings { vec!["对办理工作的评价", "对办理结果的评价"] } else { vec!["满意度"] });
        headers.push("回头看情况");
        let columns: Vec<Column> = headers.iter().map(|h| Column { header: h, width: if *h == "标题" { 30.0 } else { 12.0 } }).collect();
        let (suggestions, proposals) = (4 + (year as usize % 3), 3 + (year as usize % 2));
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for (stream, count) in [("州人大建议", suggestions), ("州政协提案", proposals)] {
            let sitting = ["一", "二", "三", "四", "五"][(year - 2020) as usize];
            let (noun, session, category) = match stream {
                "州人大建议" if year == 2024 => ("建议", "州十六届人大一次会议".to_string(), suggestion_category),
                "州人大建议" => ("建议", format!("州十五届人大{sitting}次会议"), suggestion_category),
                _ => ("提案", format!("州政协十二届{sitting}次会议"), proposal_category),
            };
            for n in 1..=count {
                let b = n % 4 == 1 || n % 4 == 2;
                let solved = b && year < 2024 && n % 4 == 1;
                let title = format!("关于{year}年第{n}项{stream}事项的{noun}");
                let lookback = match (b, solved) {
                    (true, true) => format!("{}年7月17日回头看：已解决", year + 1),
                    (true, false) if year < 2024 => format!("{}年7月17日回头看：正在推进", year + 1),
                    _ => String::new(),
                };
                if b && !solved {
                    still_b_titles.push(title.clone());
                }
                let mut cells = vec![
                    (rows.len() + 1).to_string(), stream.to_string(), session.clone(), n.to_string(), title,
                    format!("代表{year}{n}"), category.to_string(), ["县发改委", "县教育局"][n % 2].to_string(),
                    format!("{year}-03-1{}", n % 9), ["走访", "座谈", "电话"][n % 3].to_string(), format!("{year}年5月{}日", 10 + n),
                    ["已经解决", "列入计划", "列入计划逐步解决", "留作参考"][n % 4].to_string(),
                ];
                cells.extend(if two_ratings { vec!["满意".to_string(), "基本满意".to_string()] } else { vec!["满意".to_string()] });
                cells.push(lookback);
                rows.push(cells.into_iter().map(Cell::Text).collect());
            }
        }
        let sheet_name = format!("{year}年");
        add_table(&mut book, Table { sheet_name: &sheet_name, title: format!("精河县{year}年建议提案办理台账"), left_line: String::new(), right_line: String::new(), columns: &columns, rows })?;
        counts.push((year, suggestions, proposals));
    }
    Ok(EarlierYears { bytes: book.save_to_buffer()?, counts, still_b: still_b_titles.len(), still_b_titles })
}

