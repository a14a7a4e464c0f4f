//! Deterministic synthetic data for scale tests (`xfdesk gen`): realistic
//! Chinese names (compound and polyphonic surnames included), valid resident
//! IDs with real area codes, phones, five years of cases with a realistic
//! category mix and 50-800 character complaints, repeat petitioners (some
//! with 30+ cases), group visits and key persons.
//!
//! The same seed and sizes give the same data: the generator draws from one
//! seeded RNG and produces batches in a fixed order.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};

use crate::domain::deadline;
use crate::domain::id_card::{self, Sex};
use crate::domain::lifecycle::Satisfaction;
use crate::domain::phone::PhoneKind;
use crate::domain::{
    Case, CaseEvent, CaseFlags, CaseStatus, ExternalRef, IdType, KeyPersonKind, Petitioner, PetitionerPhone,
    PhoneOwner, RepeatKind, numbering,
};
use crate::store::bulk::Batch;
use crate::store::reference::ReferenceData;

/// Rows per batch (one transaction each) unless the caller says otherwise.
pub const BATCH: usize = 20_000;
/// Share of petitioners who come back again and again, and their share of all cases.
const HEAVY_SHARE: f64 = 0.01;
const HEAVY_CASES: f64 = 0.12;
/// Share of cases that are group visits.
const GROUP_SHARE: f64 = 0.02;
const YEARS: u64 = 5;

/// Surnames with rough weights (per mille); the tail includes compound and
/// polyphonic ones so that search is tested on them.
const SURNAMES: &[(&str, u32)] = &[
    ("王", 72),
    ("李", 72),
    ("张", 68),
    ("刘", 53),
    ("陈", 45),
    ("杨", 31),
    ("赵", 23),
    ("黄", 22),
    ("周", 21),
    ("吴", 20),
    ("徐", 17),
    ("孙", 16),
    ("胡", 14),
    ("朱", 13),
    ("高", 13),
    ("林", 12),
    ("何", 12),
    ("郭", 12),
    ("马", 11),
    ("罗", 10),
    ("梁", 9),
    ("宋", 9),
    ("郑", 9),
    ("谢", 8),
    ("韩", 8),
    ("唐", 8),
    ("冯", 8),
    ("于", 7),
    ("董", 7),
    ("萧", 6),
    ("程", 6),
    ("曹", 6),
    ("袁", 6),
    ("邓", 6),
    ("许", 6),
    ("傅", 5),
    ("沈", 5),
    ("曾", 5),
    ("彭", 5),
    ("吕", 5),
    ("苏", 5),
    ("卢", 5),
    ("蒋", 5),
    ("蔡", 5),
    ("贾", 4),
    ("丁", 4),
    ("魏", 4),
    ("薛", 4),
    ("叶", 4),
    ("阎", 4),
    ("余", 4),
    ("潘", 4),
    ("杜", 4),
    ("戴", 4),
    ("夏", 4),
    ("钟", 4),
    ("汪", 3),
    ("田", 3),
    ("任", 3),
    ("姜", 3),
    ("范", 3),
    ("方", 3),
    ("石", 3),
    ("姚", 3),
    ("谭", 3),
    ("廖", 3),
    ("邹", 3),
    ("熊", 3),
    ("金", 3),
    ("陆", 3),
    ("郝", 3),
    ("孔", 3),
    ("白", 3),
    ("崔", 3),
    ("康", 3),
    ("毛", 3),
    ("邱", 3),
    ("秦", 3),
    ("江", 3),
    ("史", 3),
    ("顾", 3),
    ("侯", 3),
    ("邵", 3),
    ("孟", 3),
    ("龙", 3),
    ("万", 3),
    ("段", 3),
    ("雷", 3),
    ("单", 2),
    ("解", 2),
    ("仇", 1),
    ("区", 1),
    ("查", 1),
    ("覃", 1),
    ("翟", 1),
    ("欧阳", 2),
    ("司马", 1),
    ("上官", 1),
    ("诸葛", 1),
    ("皇甫", 1),
    ("令狐", 1),
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "兰", "霞", "平", "刚", "桂", "华", "建", "国", "文", "红", "玉", "志", "春", "海", "梅", "林", "德", "宝", "福",
    "荣", "凤", "云", "琴", "淑", "珍", "新", "忠", "金", "辉", "波", "斌", "鹏", "飞", "晓", "丹", "燕", "鑫", "宇",
    "浩", "俊", "婷", "雪", "慧", "立", "永", "长", "山", "成", "喜", "庆", "贵", "有", "双", "彩", "翠", "爱",
];

/// Real county-level area codes: mostly the city around the district, some from afar.
const AREAS: &[&str] = &[
    "410803", "410803", "410803", "410803", "410802", "410811", "410804", "410821", "410822", "410823", "410825",
    "410882", "410883", "410102", "410105", "410122", "410702", "410711", "410902", "411102", "130102", "140105",
    "370102", "320102", "420102", "510104", "440106", "110105", "310101", "330106",
];

const ROADS: &[&str] = &[
    "建设路",
    "解放路",
    "人民路",
    "和平路",
    "胜利街",
    "工业路",
    "光明路",
    "团结街",
    "文化路",
    "民主路",
    "幸福街",
    "新华路",
    "朝阳路",
    "站前路",
    "府前路",
    "湖滨路",
    "西关大街",
    "东环路",
    "北山路",
    "柳林大道",
];

const CLERKS: &[&str] = &["周敏", "李静", "王磊", "赵晓红", "陈刚", "孙丽"];

/// Category names (second level) with weights, and the fragments its complaints are made of.
struct Topic {
    category: &'static str,
    weight: u32,
    purpose: &'static str,
    titles: &'static [&'static str],
    facts: &'static [&'static str],
    demands: &'static [&'static str],
    respondents: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        category: "房屋征收拆迁安置",
        weight: 14,
        purpose: "求决",
        titles: &["拆迁安置房迟迟不能交付", "征收补偿标准过低", "过渡费停发", "安置房面积认定有争议"],
        facts: &[
            "{year}年签订征收补偿协议，约定过渡期二十四个月，至今安置房仍未交付。",
            "过渡费自去年起停止发放，一家人只能租房居住，生活十分困难。",
            "征收部门认定的房屋面积比房产证少了{n}平方米，补偿款因此少了{money}元。",
            "多次到征收服务中心询问，工作人员均答复正在协调，没有明确时间。",
            "同一片区的邻居拿到的补偿标准比我家高，怀疑存在暗箱操作。",
            "安置小区已经停工半年多，工地无人看管。",
        ],
        demands: &["尽快交付安置房并补发过渡费。", "按市场评估价重新核定补偿。", "公开征收补偿标准和评估报告。"],
        respondents: &["区房屋征收服务中心", "区住房和城乡建设局"],
    },
    Topic {
        category: "拖欠农民工工资",
        weight: 11,
        purpose: "求决",
        titles: &["建筑工地拖欠农民工工资", "劳务公司拖欠工资", "包工头欠薪失联"],
        facts: &[
            "我们在{place}的工地干了{n}个月，总包单位以甲方没有付款为由拖欠工资。",
            "共拖欠{n}名工人工资约{money}元，劳务班组长已经联系不上。",
            "多次到工地和公司讨要，对方一直推脱，还威胁要报警。",
            "春节临近，大家急需用钱回家，家里老人孩子都等着这笔钱。",
            "我们有考勤记录和班组长签字的欠条。",
        ],
        demands: &["督促用工单位足额支付拖欠工资。", "依法追究总包单位和劳务分包的责任。"],
        respondents: &["某建筑工程有限公司", "某劳务分包有限公司", "区人力资源和社会保障局"],
    },
    Topic {
        category: "物业管理",
        weight: 9,
        purpose: "求决",
        titles: &["小区物业乱收费", "物业服务不到位", "物业公司拒不退出小区"],
        facts: &[
            "物业公司未经业主大会同意，擅自将物业费由每平方米八角上调到一元二角。",
            "电梯经常故障，楼道卫生无人打扫，监控长期损坏。",
            "物业对未交费业主停水停电，老人孩子生活受到严重影响。",
            "业主大会已经投票解聘物业，但物业公司拒不交接。",
            "公共收益账目从未公开，业主无法知道钱花在哪里。",
        ],
        demands: &["撤销违规涨价，整改服务质量。", "公开公共收益账目。", "依法更换物业服务企业。"],
        respondents: &["某物业服务有限公司", "区住房和城乡建设局"],
    },
    Topic {
        category: "问题楼盘/房地产",
        weight: 7,
        purpose: "求决",
        titles: &["商品房延期交房", "楼盘停工烂尾", "无法办理不动产权证"],
        facts: &[
            "{year}年购买{place}的商品房，合同约定两年交房，开发商资金链断裂后项目停工至今。",
            "该项目有{n}户购房人，房贷照常在还，却住不上房。",
            "交房多年一直办不了不动产权证，孩子上学落户都受到影响。",
            "开发商已经人去楼空，售楼处大门紧锁。",
        ],
        demands: &["推动项目复工并按期交房。", "协调办理不动产权证。"],
        respondents: &["某房地产开发有限公司", "区住房和城乡建设局", "区自然资源局"],
    },
    Topic {
        category: "社保待遇",
        weight: 7,
        purpose: "求决",
        titles: &["视同缴费年限认定有误", "养老金核定偏低", "工伤待遇未落实"],
        facts: &[
            "本人{year}年参加工作，企业改制时被买断工龄，档案中有招工表和调资表。",
            "办理退休时社保部门只认定了部分视同缴费年限，养老金明显偏低。",
            "多次补交材料，均被告知档案材料不全，不予认定。",
            "工伤认定已经下来一年多，单位至今没有支付一次性伤残补助金。",
        ],
        demands: &["重新认定缴费年限，重新核定养老金。", "落实工伤保险待遇。"],
        respondents: &["区人力资源和社会保障局"],
    },
    Topic {
        category: "土地承包",
        weight: 6,
        purpose: "求决",
        titles: &["土地承包款分配不公", "承包地被村委会收回", "土地流转费未兑现"],
        facts: &[
            "村里将集体机动地对外发包，所得承包款从未向村民公开。",
            "外嫁女和新生人口没有分到应有份额，村委会说是村民代表会议决定的。",
            "我家承包的{n}亩地被村委会以修路为名收回，没有任何补偿。",
            "流转合同约定的流转费已经两年没有兑现。",
        ],
        demands: &["公开承包合同和收支账目。", "依法重新分配承包款。", "归还承包地或依法补偿。"],
        respondents: &["村民委员会", "区农业农村局"],
    },
    Topic {
        category: "环境污染",
        weight: 5,
        purpose: "求决",
        titles: &["养殖场粪污直排", "工厂排放废气", "河道污染严重"],
        facts: &[
            "村东侧养殖场将粪污直接排入河沟，气味刺鼻，河水发黑。",
            "附近工厂夜间偷排废气，周边居民经常闻到刺鼻气味。",
            "夏季蚊蝇滋生，影响村民生活和农田灌溉。",
            "多次拨打12345热线，整改后不久又恢复原样。",
        ],
        demands: &["责令企业整改，依法查处违法排污。", "治理河道污染。"],
        respondents: &["区生态环境分局"],
    },
    Topic {
        category: "噪声扰民",
        weight: 4,
        purpose: "求决",
        titles: &["夜间施工噪声扰民", "商铺音响噪声扰民"],
        facts: &[
            "{place}的工地长期在夜间十点后施工，噪声巨大，严重影响休息。",
            "楼下商铺每天用大功率音响招揽顾客，从早响到晚。",
            "家中有高考学生和病人，实在无法忍受。",
        ],
        demands: &["依法查处违规施工，限定施工时段。"],
        respondents: &["区生态环境分局", "区城市管理局"],
    },
    Topic {
        category: "低保救助",
        weight: 4,
        purpose: "求决",
        titles: &["申请低保被拒", "低保被取消", "申请临时救助"],
        facts: &[
            "本人患有慢性病，需要长期治疗，没有固定收入。",
            "申请低保时社区答复名下有一辆旧电动三轮车，不符合条件。",
            "低保被突然取消，没有任何书面通知和理由。",
            "独自抚养上学的孩子，家庭生活十分困难。",
        ],
        demands: &["重新审核低保申请。", "给予临时救助。"],
        respondents: &["区民政局", "街道办事处"],
    },
    Topic {
        category: "企业改制",
        weight: 4,
        purpose: "求决",
        titles: &["企业改制职工安置遗留问题", "改制经济补偿金未足额发放"],
        facts: &[
            "原区属企业{year}年改制时，部分职工的经济补偿金未足额发放。",
            "医疗保险也没有按改制方案接续，退休后看病无法报销。",
            "当年改制方案承诺的事项至今没有落实。",
        ],
        demands: &["补发经济补偿金，落实改制承诺。"],
        respondents: &["区人力资源和社会保障局", "区国有资产服务中心"],
    },
    Topic {
        category: "退役军人",
        weight: 3,
        purpose: "求决",
        titles: &["退役军人待遇落实问题", "退役士兵安置问题"],
        facts: &[
            "本人{year}年入伍，退役后被安置到区属企业，企业破产后下岗。",
            "应享受的优待和困难帮扶一直没有落实。",
            "多次向有关部门反映，均答复不属于其职责范围。",
        ],
        demands: &["落实退役军人相关待遇。"],
        respondents: &["区退役军人事务局"],
    },
    Topic {
        category: "投资受损/非法集资",
        weight: 3,
        purpose: "求决",
        titles: &["投资理财公司跑路", "非法集资受损"],
        facts: &[
            "某投资公司以高息为诱饵吸收群众资金，本人投入{money}元。",
            "公司去年突然关门，负责人失联，涉及群众{n}余人。",
            "公安机关已经立案，但追赃挽损进展缓慢。",
        ],
        demands: &["加快追赃挽损进度，公开案件进展。"],
        respondents: &["区公安分局", "区金融工作服务中心"],
    },
    Topic {
        category: "拖欠工程款",
        weight: 3,
        purpose: "求决",
        titles: &["政府投资项目拖欠工程款", "工程款结算纠纷"],
        facts: &[
            "本公司承建的道路改造工程已竣工验收，审计结算后尚欠工程款{money}元。",
            "因工程款不到位，公司拖欠材料商和工人款项，多次被起诉。",
        ],
        demands: &["按合同和审计结果支付工程款。"],
        respondents: &["区住房和城乡建设局", "区城市管理局"],
    },
    Topic {
        category: "干部违纪",
        weight: 3,
        purpose: "检举控告",
        titles: &["检举村干部侵占集体资金", "反映干部作风问题"],
        facts: &[
            "反映某村主要干部在村道硬化工程中虚报工程量，并将工程款转入亲属账户。",
            "具体情况和相关线索已形成书面材料，请求组织调查。",
        ],
        demands: &["依纪依法调查处理。"],
        respondents: &["村党支部", "镇人民政府"],
    },
    Topic {
        category: "违法占地",
        weight: 3,
        purpose: "检举控告",
        titles: &["基本农田违法建房", "违法占地建厂"],
        facts: &["有人在基本农田上建设厂房和院落，已建成{n}平方米。", "镇里多次制止但一直没有拆除。"],
        demands: &["依法查处，恢复耕地。"],
        respondents: &["区自然资源局", "镇人民政府"],
    },
    Topic {
        category: "入学招生",
        weight: 3,
        purpose: "咨询",
        titles: &["随迁子女入学咨询", "学区划分咨询"],
        facts: &[
            "本人在本区务工{n}年，有居住证和社保缴费记录，孩子今年到了入学年龄。",
            "询问随迁子女就近入学需要准备哪些材料、在哪里报名。",
        ],
        demands: &["告知入学政策和办理流程。"],
        respondents: &["区教育局"],
    },
    Topic {
        category: "医疗纠纷",
        weight: 2,
        purpose: "申诉",
        titles: &["对医疗事故鉴定结论不服", "医疗纠纷赔偿问题"],
        facts: &[
            "家属在区某医院手术后出现并发症，医学会鉴定结论为不构成医疗事故。",
            "家属认为鉴定程序存在问题，病历有涂改痕迹。",
        ],
        demands: &["重新组织鉴定，依法追究责任。"],
        respondents: &["区卫生健康委员会"],
    },
    Topic {
        category: "城市管理",
        weight: 3,
        purpose: "意见建议",
        titles: &["建议增设公共停车位", "建议改造背街小巷", "建议增设公厕"],
        facts: &[
            "老城区老旧小区集中，停车位严重不足，车辆乱停乱放堵塞消防通道。",
            "背街小巷路面破损严重，雨天积水，居民出行不便。",
            "建议利用闲置空地建设临时停车场，并在夜间开放部分单位停车场。",
        ],
        demands: &["采纳建议，改善居民出行条件。"],
        respondents: &["区城市管理局"],
    },
    Topic {
        category: "涉法涉诉",
        weight: 2,
        purpose: "申诉",
        titles: &["对法院判决不服", "要求重新审理案件"],
        facts: &[
            "本人与邻居宅基地纠纷一案，法院判决我方败诉，本人认为判决认定事实错误。",
            "已经上诉被驳回，现要求有关部门重新处理。",
        ],
        demands: &["重新审理案件。"],
        respondents: &["区人民法院"],
    },
    Topic {
        category: "预付卡纠纷",
        weight: 2,
        purpose: "求决",
        titles: &["健身房关门预付卡无法退费", "培训机构跑路"],
        facts: &["商家突然停业，老板失联，{n}名会员的预付款无法退还。", "每人金额从几千元到两万元不等。"],
        demands: &["追查经营者，依法退还预付款。"],
        respondents: &["区市场监督管理局"],
    },
    Topic {
        category: "惠农补贴",
        weight: 2,
        purpose: "求决",
        titles: &["耕地地力保护补贴未到账", "惠农补贴发放不公"],
        facts: &["部分农户本年度耕地地力保护补贴没有到账，村里说是面积核实有误。", "一直没有给出具体说法。"],
        demands: &["核实面积，补发补贴。"],
        respondents: &["镇人民政府", "区农业农村局"],
    },
];

/// Sentences that fit any complaint, used to reach the drawn length.
const FILLERS: &[&str] = &[
    "我们多次找有关部门反映，至今没有得到解决。",
    "这件事已经拖了很长时间，家里老人身体也不好。",
    "希望领导能够重视，给我们一个明确的答复。",
    "我们都是普通老百姓，只想依法维护自己的合法权益。",
    "相关材料和照片已经复印，可以提交给有关部门核实。",
    "之前有关部门答应过要处理，但一直没有下文。",
    "周边很多群众都有同样的问题，大家意见很大。",
    "我们相信政府一定能够公平公正地处理这件事。",
];

/// ID numbers and case-number series already used in the database.
#[derive(Debug, Clone, Default)]
pub struct Taken {
    pub id_numbers: HashSet<String>,
    /// Series key → last sequence number.
    pub series: HashMap<String, u32>,
}

pub struct GenOptions {
    pub petitioners: usize,
    pub cases: usize,
    pub seed: u64,
    pub number_prefix: String,
    /// The newest case is registered just before this moment.
    pub end: NaiveDateTime,
    /// Rows per batch (one transaction each).
    pub batch: usize,
}

pub struct Generator<'r> {
    opts: GenOptions,
    refs: &'r ReferenceData,
    rng: fastrand::Rng,
    first_pid: i64,
    first_cid: i64,
    petitioners_done: usize,
    cases_done: usize,
    used_ids: HashSet<String>,
    last_case_of: Vec<Option<i64>>,
    series: HashMap<String, u32>,
    topic_weights: u32,
    surname_weights: u32,
    paths: HashMap<CaseStatus, Vec<CaseStatus>>,
}

impl<'r> Generator<'r> {
    /// What the database already holds, so generated rows never clash with it.
    pub fn new(opts: GenOptions, refs: &'r ReferenceData, first_pid: i64, first_cid: i64, taken: Taken) -> Self {
        let rng = fastrand::Rng::with_seed(opts.seed);
        let n = opts.petitioners;
        Generator {
            opts,
            refs,
            rng,
            first_pid,
            first_cid,
            petitioners_done: 0,
            cases_done: 0,
            used_ids: taken.id_numbers,
            last_case_of: vec![None; n],
            series: taken.series,
            topic_weights: TOPICS.iter().map(|t| t.weight).sum(),
            surname_weights: SURNAMES.iter().map(|s| s.1).sum(),
            paths: CaseStatus::ALL.iter().map(|s| (*s, s.path_from_registered())).collect(),
        }
    }

    /// Petitioners and cases produced so far.
    pub fn produced(&self) -> (usize, usize) {
        (self.petitioners_done, self.cases_done)
    }

    /// Rows produced so far and the total, for progress display.
    pub fn progress(&self) -> (usize, usize) {
        (self.petitioners_done + self.cases_done, self.opts.petitioners + self.opts.cases)
    }

    /// The next batch: all petitioners first, then the cases in date order.
    pub fn next_batch(&mut self) -> Option<Batch> {
        let mut batch = Batch::default();
        if self.petitioners_done < self.opts.petitioners {
            let end = (self.petitioners_done + self.opts.batch.max(1)).min(self.opts.petitioners);
            for i in self.petitioners_done..end {
                let p = self.petitioner(i);
                let at = self.start();
                batch.petitioners.push((self.first_pid + i as i64, p, at));
            }
            self.petitioners_done = end;
            return Some(batch);
        }
        if self.cases_done < self.opts.cases && self.opts.petitioners > 0 {
            let end = (self.cases_done + self.opts.batch.max(1)).min(self.opts.cases);
            for k in self.cases_done..end {
                let (id, case, trail) = self.case(k);
                if let Some(e) = trail.iter().find(|e| e.action == "转送" || e.action == "交办") {
                    let kind = if e.action == "转送" { "转送" } else { "交办" };
                    batch.assignments.push((id, kind, self.unit_for(&case), e.at));
                }
                batch.clocks.extend(deadline::met_clocks(&trail).into_iter().map(|c| (id, c)));
                if let Some(done) = trail.iter().find(|e| e.action == "答复" || e.action == "办结")
                    && self.rng.u8(..10) < 7
                {
                    let bureau = self.rating();
                    let unit = self.rating();
                    batch.evaluations.push((id, bureau, unit, (done.at + Days::new(3)).min(self.opts.end)));
                }
                batch.cases.push((id, case, trail));
            }
            self.cases_done = end;
            return Some(batch);
        }
        None
    }

    /// A follow-up's 满意度: mostly satisfied.
    fn rating(&mut self) -> Satisfaction {
        match self.rng.u8(..100) {
            0..75 => Satisfaction::Satisfied,
            75..90 => Satisfaction::Basic,
            _ => Satisfaction::Unsatisfied,
        }
    }

    fn start(&self) -> NaiveDateTime {
        self.opts.end - Days::new(365 * YEARS)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.rng.usize(..items.len())]
    }

    fn name(&mut self) -> String {
        let mut roll = self.rng.u32(..self.surname_weights);
        let mut surname = SURNAMES[0].0;
        for (s, w) in SURNAMES {
            if roll < *w {
                surname = s;
                break;
            }
            roll -= w;
        }
        let given_len = if self.rng.u8(..10) < 3 { 1 } else { 2 };
        let mut name = surname.to_string();
        for _ in 0..given_len {
            let g = *self.pick(GIVEN);
            name.push_str(g);
        }
        name
    }

    fn resident_id(&mut self, sex: Sex) -> (String, NaiveDate) {
        loop {
            let area = *self.pick(AREAS);
            let birth = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap() + Days::new(self.rng.u64(..23_000));
            let seq = self.rng.u32(..500) * 2 + u32::from(sex == Sex::Male);
            let first17 = format!("{area}{}{seq:03}", birth.format("%Y%m%d"));
            let id = format!("{first17}{}", id_card::check_char(&first17).expect("17 digits"));
            if self.used_ids.insert(id.clone()) {
                return (id, birth);
            }
        }
    }

    fn mobile(&mut self) -> String {
        let second = self.pick(&['3', '5', '7', '8', '9']);
        format!("1{second}{:09}", self.rng.u32(..1_000_000_000))
    }

    fn petitioner(&mut self, i: usize) -> Petitioner {
        let sex = if self.rng.bool() { Sex::Male } else { Sex::Female };
        let (id_number, birth) = self.resident_id(sex);
        let mut phones = vec![PetitionerPhone {
            number: self.mobile(),
            kind: PhoneKind::Mobile,
            owner: PhoneOwner::Own,
            note: String::new(),
        }];
        if self.rng.u8(..5) == 0 {
            let note = (*self.pick(&["儿子", "女儿", "配偶", "兄弟"])).to_string();
            phones.push(PetitionerPhone {
                number: self.mobile(),
                kind: PhoneKind::Mobile,
                owner: PhoneOwner::Relative,
                note,
            });
        }
        let street = self.pick(&self.refs.streets).clone();
        let heavy = self.is_heavy(i);
        let key_person = if (heavy && self.rng.u8(..10) < 3) || self.rng.u16(..200) == 0 {
            vec![*self.pick(&KeyPersonKind::ALL)]
        } else {
            Vec::new()
        };
        Petitioner {
            id: None,
            name: self.name(),
            id_type: Some(IdType::ResidentId),
            id_number: Some(id_number),
            id_override_reason: None,
            sex: Some(sex),
            birth_date: Some(birth),
            phones,
            address: format!("{}{}{}号", street.name, self.pick(ROADS), self.rng.u32(1..300)),
            street_code: Some(street.code),
            workplace: String::new(),
            key_person,
        }
    }

    fn heavy_count(&self) -> usize {
        ((self.opts.petitioners as f64 * HEAVY_SHARE) as usize).max(1)
    }

    fn is_heavy(&self, i: usize) -> bool {
        i < self.heavy_count()
    }

    fn case_petitioner(&mut self) -> usize {
        if self.rng.f64() < HEAVY_CASES {
            self.rng.usize(..self.heavy_count())
        } else {
            self.rng.usize(..self.opts.petitioners)
        }
    }

    fn topic(&mut self) -> &'static Topic {
        let mut roll = self.rng.u32(..self.topic_weights);
        for t in TOPICS {
            if roll < t.weight {
                return t;
            }
            roll -= t.weight;
        }
        &TOPICS[0]
    }

    fn fill(&mut self, template: &str, place: &str) -> String {
        let year = (self.opts.end.date().format("%Y").to_string().parse::<u32>().unwrap_or(2026)) - self.rng.u32(1..25);
        template
            .replace("{year}", &year.to_string())
            .replace("{n}", &self.rng.u32(3..300).to_string())
            .replace("{money}", &(self.rng.u32(1..500) * 1000).to_string())
            .replace("{place}", place)
    }

    fn content(&mut self, topic: &Topic, place: &str, target: usize) -> String {
        let mut text = String::new();
        let mut chars = 0;
        let mut facts: Vec<&str> = topic.facts.to_vec();
        self.rng.shuffle(&mut facts);
        let mut pool = facts.into_iter();
        while chars < target {
            let sentence = match pool.next() {
                Some(f) => self.fill(f, place),
                None => (*self.pick(FILLERS)).to_string(),
            };
            chars += sentence.chars().count();
            text.push_str(&sentence);
        }
        if chars > target + 20 || chars > 800 {
            // Cut on a character, end the sentence.
            text = text.chars().take(target.min(799)).collect();
            text.push('。');
        }
        text
    }

    /// The unit a case goes to: the district body it names, else its street's office.
    fn unit_for(&self, case: &Case) -> String {
        if self.refs.units.iter().any(|u| u.name == case.respondent) {
            return case.respondent.clone();
        }
        let street = case.problem_street_code.as_deref().and_then(|c| self.refs.street(c));
        match street {
            Some(s) if s.name.ends_with('镇') => format!("{}人民政府", s.name),
            Some(s) => format!("{}办事处", s.name),
            None => "区信访联席办".into(),
        }
    }

    fn status_for(&mut self, age_days: u64) -> CaseStatus {
        use CaseStatus::*;
        let r = self.rng.u8(..100);
        let table: &[(u8, CaseStatus)] = match age_days {
            0..15 => &[(30, Registered), (60, Assigned), (80, Forwarded), (90, Accepted), (100, Closed)],
            15..90 => &[(35, InProgress), (55, Accepted), (70, Assigned), (80, Extended), (90, Replied), (100, Closed)],
            90..365 => &[
                (45, Closed),
                (60, Replied),
                (65, UnderReview),
                (70, ReviewReplied),
                (80, InProgress),
                (85, Extended),
                (95, Informed),
                (100, ChannelledToLegal),
            ],
            // A year on, every case has ended one way or another.
            _ => &[
                (72, Closed),
                (82, Concluded),
                (89, Informed),
                (94, ChannelledToLegal),
                (97, NotAccepted),
                (100, NoLongerAccepted),
            ],
        };
        table.iter().find(|(limit, _)| r < *limit).map_or(Closed, |(_, s)| *s)
    }

    fn case(&mut self, k: usize) -> (i64, Case, Vec<CaseEvent>) {
        let id = self.first_cid + k as i64;
        let span_secs = (365 * YEARS * 86_400) as f64;
        let offset = span_secs * (k as f64 + self.rng.f64()) / self.opts.cases as f64;
        let drawn_day = (self.start() + chrono::Duration::seconds(offset as i64)).date();
        let time = NaiveTime::from_hms_opt(8 + self.rng.u32(..9), self.rng.u32(..60), self.rng.u32(..60)).unwrap();
        let mut registered_at = drawn_day.and_time(time);
        if registered_at > self.opts.end {
            // Today's cases: earlier today, never in the future.
            registered_at = self.opts.end - chrono::Duration::seconds(self.rng.i64(60..4 * 3600));
        }
        let day = registered_at.date();
        let age = (self.opts.end.date() - day).num_days().max(0) as u64;

        let topic = self.topic();
        let rep = self.case_petitioner();
        let group = self.rng.f64() < GROUP_SHARE;
        let mut petitioner_ids = vec![self.first_pid + rep as i64];
        let people_count = if group {
            for _ in 0..self.rng.usize(1..5) {
                let other = self.first_pid + self.rng.usize(..self.opts.petitioners) as i64;
                if !petitioner_ids.contains(&other) {
                    petitioner_ids.push(other);
                }
            }
            self.rng.u32(5..80)
        } else {
            1
        };
        let linked = self.last_case_of[rep];
        self.last_case_of[rep] = Some(id);

        let form = if self.rng.u8(..10) < 6 { "LF" } else { *self.pick(&["LX", "WX", "WX", "LD", "YJ"]) };
        let letter = self.refs.form(form).map_or('X', |f| f.letter);
        let series = numbering::series_key(&self.opts.number_prefix, day, letter);
        let seq = self.series.entry(series).and_modify(|s| *s += 1).or_insert(1);
        let number = numbering::format(&self.opts.number_prefix, day, letter, *seq);

        let street = self.pick(&self.refs.streets).clone();
        let place = format!("{}{}", street.name, self.pick(ROADS));
        let target = self.rng.usize(50..=800);
        let content = self.content(topic, &place, target);
        let purpose = self.refs.purpose_by_name(topic.purpose).cloned();
        let status = self.status_for(age);
        let clerk = (*self.pick(CLERKS)).to_string();
        let flags = CaseFlags {
            litigation: topic.category == "涉法涉诉",
            skip_level: self.rng.u8(..100) < 3,
            joint: group && self.rng.bool(),
            anonymous: false,
            threat: self.rng.u16(..1000) < 8,
            urgent: group && self.rng.u8(..10) == 0,
            confidential: topic.purpose == "检举控告" && self.rng.bool(),
        };
        let external_refs = if self.rng.u8(..20) == 0 {
            vec![ExternalRef {
                system: "市信访局".into(),
                number: format!("JZXF{}{:06}", day.format("%Y"), id % 1_000_000),
            }]
        } else {
            Vec::new()
        };
        let case = Case {
            id: Some(id),
            number,
            registered_at,
            clerk: clerk.clone(),
            window: format!("{}号窗口", self.rng.u8(1..4)),
            form_code: form.into(),
            source: if form == "LF" { "群众来访".into() } else { "网上信访平台".into() },
            people_count,
            involved_count: group.then_some(people_count),
            category_code: self.refs.category_by_name(topic.category).map(|c| c.code.clone()),
            purpose_code: purpose.as_ref().map(|p| p.code.clone()),
            class: purpose.map_or(crate::domain::CaseClass::Other, |p| p.class),
            problem_street_code: Some(street.code),
            problem_address: place,
            title: (*self.pick(topic.titles)).to_string(),
            content,
            demands: (*self.pick(topic.demands)).to_string(),
            respondent: (*self.pick(topic.respondents)).to_string(),
            flags,
            repeat_kind: if linked.is_some() { RepeatKind::Repeat } else { RepeatKind::First },
            linked_case_id: linked,
            status,
            external_refs,
            petitioner_ids,
        };
        let trail = self.trail(&case, age);
        (id, case, trail)
    }

    fn trail(&mut self, case: &Case, age: u64) -> Vec<CaseEvent> {
        let path = &self.paths[&case.status];
        let step = (age / (path.len() as u64 + 1)).clamp(1, 20);
        let mut at = case.registered_at;
        let mut events = vec![CaseEvent::registration(case, 0, at)];
        let mut from = CaseStatus::Registered;
        for to in path {
            // Most steps are taken in time, some late (the relay clock is 15 days).
            at = (at + Days::new(self.rng.u64(1..=step))).min(self.opts.end);
            events.push(
                CaseEvent::new(0, at, &case.clerk, to.entry_action(), "")
                    .changing(Some(from.label()), Some(to.label())),
            );
            from = *to;
        }
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs() -> ReferenceData {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("r.db")).unwrap();
        ReferenceData::load(store.conn()).unwrap()
    }

    fn opts(seed: u64) -> GenOptions {
        GenOptions {
            petitioners: 300,
            cases: 1000,
            seed,
            number_prefix: "410803".into(),
            end: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_opt(12, 0, 0).unwrap(),
            batch: BATCH,
        }
    }

    fn all(seed: u64, refs: &ReferenceData) -> (Vec<Petitioner>, Vec<Case>) {
        let mut g = Generator::new(opts(seed), refs, 1, 1, Taken::default());
        let (mut ps, mut cs) = (Vec::new(), Vec::new());
        while let Some(b) = g.next_batch() {
            ps.extend(b.petitioners.into_iter().map(|(_, p, _)| p));
            cs.extend(b.cases.into_iter().map(|(_, c, _)| c));
        }
        (ps, cs)
    }

    #[test]
    fn same_seed_same_data_and_every_id_valid() {
        let refs = refs();
        let (p1, c1) = all(7, &refs);
        let (p2, c2) = all(7, &refs);
        assert_eq!(p1, p2);
        assert_eq!(c1, c2);
        let (p3, _) = all(8, &refs);
        assert_ne!(p1, p3);
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        for p in &p1 {
            let id = p.id_number.as_deref().unwrap();
            assert!(id_card::validate(id, today).is_ok(), "{id}");
        }
        let unique: HashSet<_> = p1.iter().map(|p| p.id_number.clone()).collect();
        assert_eq!(unique.len(), p1.len());
    }

    #[test]
    fn cases_are_realistic() {
        let refs = refs();
        let (_, cases) = all(1, &refs);
        assert_eq!(cases.len(), 1000);
        assert!(cases.iter().all(|c| (50..=800).contains(&c.content.chars().count())), "50-800 characters");
        assert!(cases.iter().any(|c| c.is_group_visit()));
        assert!(cases.iter().any(|c| c.repeat_kind == RepeatKind::Repeat && c.linked_case_id.is_some()));
        assert!(cases.windows(2).all(|w| w[0].registered_at.date() <= w[1].registered_at.date()));
        let numbers: HashSet<_> = cases.iter().map(|c| c.number.clone()).collect();
        assert_eq!(numbers.len(), cases.len(), "case numbers unique");
        let mut per_person: HashMap<i64, usize> = HashMap::new();
        for c in &cases {
            *per_person.entry(c.petitioner_ids[0]).or_default() += 1;
        }
        assert!(per_person.values().any(|n| *n >= 30), "some petitioners come back 30+ times");
    }
}
