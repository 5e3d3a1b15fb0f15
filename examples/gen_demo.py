#!/usr/bin/env python3
"""Generate the demo company data for salesops: 茗源茶业 (a Chinese tea company).

Run `python3 examples/gen_demo.py` from anywhere; it rewrites every CSV in
examples/demo/ deterministically (fixed seed, no wall clock, sorted output).
Python 3.11 standard library only.
"""

import csv
import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
import random

OUT = Path(__file__).resolve().parent / "demo"
rng = random.Random(20261123)

START = date(2025, 1, 1)
CUTOFF = date(2026, 10, 31)  # last order date and "as of" date for aging
CENT = Decimal("0.01")


def money(x):
    return format(Decimal(x).quantize(CENT, rounding=ROUND_HALF_UP), "f")


def days(a, b):
    return (b - a).days


def rand_date(a, b):
    return a + timedelta(days=rng.randint(0, days(a, b)))


# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------
ALL_PROVINCES = ("北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 "
                 "河南 湖北 湖南 广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 "
                 "台湾 香港 澳门").split()
UNCOVERED = ["台湾", "澳门"]

REGIONS = [  # code, name, parent, rep-code prefix, areas
    ("NORTH", "华北区", "", "N", ["北京", "天津", "河北", "山西", "内蒙古"]),
    ("NE", "东北区", "", "NE", ["辽宁", "吉林", "黑龙江"]),
    ("EAST", "华东区", "", "E", ["江苏", "浙江", "安徽", "福建", "江西", "山东"]),
    ("EAST-SH", "上海大区", "EAST", "SH", ["上海"]),
    ("SOUTH", "华南区", "", "S", ["广东", "广西", "海南", "香港"]),
    ("CENTRAL", "华中区", "", "C", ["河南", "湖北", "湖南"]),
    ("SW", "西南区", "", "SW", ["重庆", "四川", "贵州", "云南", "西藏"]),
    ("NW", "西北区", "", "NW", ["陕西", "甘肃", "青海", "宁夏", "新疆"]),
]
AREA_REGION = {a: r[0] for r in REGIONS for a in r[4]}

# yearly growth by region (overall roughly +15%)
REGION_GROWTH = {"NORTH": 1.10, "NE": 1.04, "EAST": 1.13, "EAST-SH": 1.18, "SOUTH": 1.15,
                 "CENTRAL": 1.22, "SW": 1.38, "NW": 1.26}

CITIES = {
    "北京": ["北京"], "天津": ["天津"], "河北": ["石家庄", "唐山", "保定", "廊坊", "邯郸"],
    "山西": ["太原", "大同", "运城"], "内蒙古": ["呼和浩特", "包头", "鄂尔多斯"],
    "辽宁": ["沈阳", "大连", "鞍山"], "吉林": ["长春", "吉林", "延吉"], "黑龙江": ["哈尔滨", "大庆", "齐齐哈尔"],
    "上海": ["上海"], "江苏": ["南京", "苏州", "无锡", "常州", "南通", "扬州", "徐州"],
    "浙江": ["杭州", "宁波", "温州", "绍兴", "金华", "湖州", "嘉兴"], "安徽": ["合肥", "芜湖", "黄山", "六安"],
    "福建": ["福州", "厦门", "泉州", "宁德", "南平"], "江西": ["南昌", "九江", "赣州", "景德镇"],
    "山东": ["济南", "青岛", "烟台", "潍坊", "临沂", "日照"], "河南": ["郑州", "洛阳", "信阳", "开封"],
    "湖北": ["武汉", "宜昌", "襄阳", "恩施"], "湖南": ["长沙", "株洲", "岳阳", "常德"],
    "广东": ["广州", "深圳", "东莞", "佛山", "潮州", "汕头", "珠海"], "广西": ["南宁", "桂林", "柳州"],
    "海南": ["海口", "三亚"], "香港": ["香港"], "重庆": ["重庆"], "四川": ["成都", "绵阳", "雅安", "宜宾"],
    "贵州": ["贵阳", "遵义", "都匀"], "云南": ["昆明", "普洱", "大理", "临沧", "景洪"],
    "西藏": ["拉萨", "林芝"], "陕西": ["西安", "宝鸡", "咸阳", "汉中"], "甘肃": ["兰州", "天水"],
    "青海": ["西宁"], "宁夏": ["银川"], "新疆": ["乌鲁木齐", "喀什"], "台湾": ["台北", "高雄"], "澳门": ["澳门"],
}
AREA_WEIGHT = {
    "北京": 12, "天津": 5, "河北": 6, "山西": 3, "内蒙古": 2, "辽宁": 5, "吉林": 3, "黑龙江": 3,
    "上海": 14, "江苏": 14, "浙江": 15, "安徽": 5, "福建": 10, "江西": 3, "山东": 10, "河南": 6,
    "湖北": 6, "湖南": 5, "广东": 20, "广西": 4, "海南": 2, "香港": 2, "重庆": 5, "四川": 8,
    "贵州": 3, "云南": 4, "西藏": 1, "陕西": 4, "甘肃": 2, "青海": 1, "宁夏": 1, "新疆": 2,
}

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------
SURNAMES = [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
            ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
            ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
            ("罗", "luo"), ("高", "gao"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
            ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
            ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("潘", "pan"),
            ("袁", "yuan"), ("蔡", "cai"), ("蒋", "jiang"), ("余", "yu"), ("杜", "du"), ("叶", "ye"),
            ("程", "cheng"), ("魏", "wei"), ("苏", "su"), ("吕", "lv"), ("丁", "ding"), ("沈", "shen"),
            ("姚", "yao"), ("钟", "zhong"), ("方", "fang"), ("陆", "lu"), ("范", "fan"), ("金", "jin"),
            ("廖", "liao"), ("夏", "xia"), ("崔", "cui"), ("任", "ren"), ("欧阳", "ouyang")]
GIVEN = [("敏", "min"), ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("静", "jing"), ("丽", "li"),
         ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
         ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"),
         ("霞", "xia"), ("平", "ping"), ("刚", "gang"), ("桂英", "guiying"), ("建华", "jianhua"),
         ("晓东", "xiaodong"), ("海燕", "haiyan"), ("志强", "zhiqiang"), ("文静", "wenjing"), ("丹", "dan"),
         ("鹏", "peng"), ("浩", "hao"), ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("宇", "yu"),
         ("欣怡", "xinyi"), ("子涵", "zihan"), ("俊杰", "junjie"), ("思远", "siyuan"), ("嘉怡", "jiayi"),
         ("建国", "jianguo"), ("国强", "guoqiang"), ("玉兰", "yulan"), ("春梅", "chunmei"), ("红", "hong"),
         ("亮", "liang"), ("斌", "bin"), ("慧", "hui"), ("颖", "ying"), ("晨", "chen"), ("博", "bo"),
         ("凯", "kai"), ("梦瑶", "mengyao"), ("雨桐", "yutong"), ("一鸣", "yiming"), ("立新", "lixin"),
         ("卫东", "weidong"), ("淑珍", "shuzhen"), ("佳", "jia"), ("倩", "qian"), ("萍", "ping"),
         ("振华", "zhenhua"), ("晓燕", "xiaoyan"), ("文博", "wenbo"), ("海涛", "haitao"), ("丽华", "lihua")]
BRANDS = [("茗香", "mingxiang"), ("清源", "qingyuan"), ("一叶", "yiye"), ("品茗", "pinming"), ("聚福", "jufu"),
          ("瑞丰", "ruifeng"), ("德馨", "dexin"), ("雅韵", "yayun"), ("和记", "heji"), ("隆兴", "longxing"),
          ("鸿运", "hongyun"), ("松风", "songfeng"), ("竹韵", "zhuyun"), ("云水", "yunshui"), ("静心", "jingxin"),
          ("悦来", "yuelai"), ("嘉禾", "jiahe"), ("润泽", "runze"), ("兰亭", "lanting"), ("福满", "fuman"),
          ("永盛", "yongsheng"), ("泰和", "taihe"), ("怡然", "yiran"), ("古道", "gudao"), ("山野", "shanye"),
          ("茶缘", "chayuan"), ("知味", "zhiwei"), ("仁和", "renhe"), ("金叶", "jinye"), ("春晓", "chunxiao"),
          ("望月", "wangyue"), ("南山", "nanshan"), ("东篱", "dongli"), ("听泉", "tingquan"), ("问茶", "wencha"),
          ("归朴", "guipu"), ("善水", "shanshui"), ("明德", "mingde"), ("华茂", "huamao"), ("宏达", "hongda"),
          ("锦程", "jincheng"), ("百川", "baichuan"), ("新禾", "xinhe"), ("博雅", "boya"), ("天元", "tianyuan")]

used_phones = set()  # normalised 11-digit numbers
used_emails = set()  # lower-cased


def person_name():
    s = rng.choices(SURNAMES, weights=[6 if i < 10 else 2 if i < 30 else 1 for i in range(len(SURNAMES))])[0]
    g = rng.choice(GIVEN)
    return s, g


def new_mobile():
    while True:
        pre = rng.choice(["135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
                          "186", "187", "188", "189", "177", "180"])
        num = pre + "".join(str(rng.randint(0, 9)) for _ in range(8))
        if num not in used_phones and num != "13900001111":
            used_phones.add(num)
            return num


def unique_email(local, domain):
    base, n = local, 1
    while f"{local}@{domain}".lower() in used_emails:
        n += 1
        local = f"{base}{n}"
    used_emails.add(f"{local}@{domain}".lower())
    return f"{local}@{domain}"


# ---------------------------------------------------------------------------
# Reps
# ---------------------------------------------------------------------------
EXTRA_REP = {"EAST": 3, "SOUTH": 3}  # others have 2 plain reps
LEFT_REP = "E05"
reps = []  # dicts
used_rep_names = set()
for code, rname, parent, prefix, areas in REGIONS:
    n_rep = EXTRA_REP.get(code, 2)
    roles = ["manager", "supervisor"] + ["rep"] * n_rep
    for i, role in enumerate(roles, start=1):
        while True:
            s, g = person_name()
            if s[0] + g[0] not in used_rep_names:
                used_rep_names.add(s[0] + g[0])
                break
        rc = f"{prefix}{i:02d}"
        mgr = "" if role == "manager" else (f"{prefix}01" if role == "supervisor" else f"{prefix}02")
        p = new_mobile()
        reps.append({
            "code": rc, "name": s[0] + g[0], "region": code, "role": role, "manager": mgr,
            "phone": f"{p[:3]} {p[3:7]} {p[7:]}",
            "email": unique_email(f"{s[1]}.{g[1]}", "mingyuan.cn"),
            "status": "left" if rc == LEFT_REP else "active",
        })
REP_BY_CODE = {r["code"]: r for r in reps}
assert REP_BY_CODE[LEFT_REP]["role"] == "rep"
REGION_MANAGER = {r["region"]: r["code"] for r in reps if r["role"] == "manager"}

# ---------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------
# (name, unit, list price)
CATALOG = {
    ("绿茶", "GT"): [
        ("西湖龙井 明前特级 250g", "盒", 1280), ("西湖龙井 雨前一级 250g", "盒", 568), ("洞庭碧螺春 特级 250g", "盒", 498),
        ("黄山毛峰 一级 200g", "罐", 168), ("六安瓜片 特级 250g", "盒", 388), ("信阳毛尖 明前 250g", "盒", 298),
        ("太平猴魁 特级 200g", "盒", 680), ("安吉白茶 明前 125g", "罐", 238), ("峨眉竹叶青 论道 120g", "盒", 458),
        ("恩施玉露 一级 200g", "罐", 218), ("都匀毛尖 特级 250g", "盒", 268), ("庐山云雾 一级 250g", "罐", 198),
        ("日照绿茶 口粮罐 250g", "罐", 69.9), ("龙井 口粮装 100g", "罐", 49.9)],
    ("红茶", "BT"): [
        ("正山小种 特级 250g", "罐", 198), ("金骏眉 特级 250g", "盒", 888), ("祁门红茶 祁红香螺 200g", "罐", 268),
        ("滇红金芽 一级 250g", "罐", 238), ("英德红茶 英红九号 250g", "盒", 188), ("坦洋工夫 特级 250g", "罐", 228),
        ("宜兴红茶 150g", "罐", 128), ("九曲红梅 一级 200g", "罐", 178), ("川红工夫 特级 250g", "盒", 218),
        ("古树红茶 滇红 357g 饼", "饼", 328), ("红茶 口粮袋泡 50袋", "盒", 39.9), ("正山小种 口粮罐 200g", "罐", 89.9)],
    ("乌龙茶", "OT"): [
        ("安溪铁观音 清香型 250g", "罐", 198), ("安溪铁观音 浓香型 250g", "罐", 218), ("武夷大红袍 特级 250g", "盒", 598),
        ("武夷肉桂 正岩 250g", "盒", 688), ("武夷水仙 老枞 250g", "盒", 458), ("凤凰单丛 鸭屎香 250g", "罐", 268),
        ("凤凰单丛 蜜兰香 250g", "罐", 288), ("冻顶乌龙 300g", "罐", 368), ("漳平水仙 茶饼 250g", "盒", 158),
        ("东方美人 特级 150g", "罐", 498), ("高山乌龙 300g", "罐", 328), ("铁观音 口粮装 500g", "盒", 128)],
    ("普洱茶", "PE"): [
        ("勐海 经典熟茶饼 357g", "饼", 168), ("冰岛 古树生茶饼 357g", "饼", 2680), ("老班章 古树生茶饼 357g", "饼", 2380),
        ("易武 古树生茶饼 357g", "饼", 980), ("布朗山 熟茶饼 357g", "饼", 238), ("宫廷普洱 熟散茶 250g", "罐", 158),
        ("新会小青柑 普洱 250g", "罐", 198), ("普洱沱茶 熟茶 250g", "盒", 88), ("昔归 古树生茶饼 357g", "饼", 1680),
        ("景迈山 古树生茶饼 357g", "饼", 780), ("2015年 老熟茶饼 357g", "饼", 598), ("普洱 口粮砖 250g", "件", 78)],
    ("白茶", "WT"): [
        ("福鼎 白毫银针 特级 200g", "盒", 1180), ("福鼎 白牡丹 一级 300g", "饼", 368), ("福鼎 寿眉饼 350g", "饼", 198),
        ("政和 贡眉 250g", "罐", 168), ("2018年 老白茶饼 350g", "饼", 588), ("荒野白茶 牡丹 300g", "饼", 428),
        ("白茶 小方片 200g", "盒", 138), ("白毫银针 口粮罐 100g", "罐", 268), ("老寿眉 散茶 500g", "盒", 228),
        ("月光白 200g", "饼", 158)],
    ("花茶", "FT"): [
        ("茉莉花茶 飘雪 250g", "罐", 128), ("茉莉龙珠 特级 250g", "罐", 198), ("桂花乌龙 200g", "罐", 98),
        ("玫瑰花茶 平阴重瓣 100g", "罐", 58), ("桐乡胎菊 80g", "罐", 48), ("金银花 50g", "罐", 38),
        ("碧潭飘雪 特级 150g", "罐", 238), ("桂花红茶 200g", "罐", 88), ("茉莉银针 150g", "罐", 168),
        ("养生花草茶 组合装", "盒", 68)],
    ("茶具", "TW"): [
        ("宜兴紫砂壶 西施 原矿朱泥", "件", 980), ("宜兴紫砂壶 石瓢", "件", 1280), ("景德镇 青花盖碗", "件", 128),
        ("汝窑 品茗杯 (6只)", "套", 168), ("建盏 兔毫 束口", "件", 388), ("耐热玻璃公道杯", "件", 48),
        ("竹制储水茶盘", "件", 268), ("便携旅行茶具套装", "套", 158), ("白瓷功夫茶具套装", "套", 298),
        ("日式手工铸铁壶 1.2L", "件", 880), ("黑檀茶道六君子", "套", 98), ("白瓷品茗杯 (6只)", "套", 88),
        ("静音电陶炉", "件", 458), ("锡制茶叶罐", "件", 368), ("粗陶茶洗", "件", 78), ("青瓷侧把壶", "件", 198)],
    ("礼盒", "GB"): [
        ("明前龙井 臻品礼盒", "盒", 1680), ("金骏眉 尊享礼盒", "盒", 1280), ("普洱 珍藏礼盒", "盒", 1880),
        ("中秋 月满茶香礼盒", "盒", 498), ("春节 福运茶礼", "盒", 398), ("企业定制 茶礼套装", "套", 688),
        ("白茶 岁月礼盒", "盒", 598), ("茶具茶叶 组合礼盒", "套", 888), ("大红袍 岩韵礼盒", "盒", 768),
        ("花茶 四季礼盒", "盒", 198), ("名茶品鉴 八味礼盒", "盒", 328), ("新春 年货礼盒", "盒", 258)],
}
products = []
no_floor = set(rng.sample(range(98), 10))
idx = 0
for (cat, prefix), items in CATALOG.items():
    for n, (pname, unit, price) in enumerate(items, start=1):
        lp = Decimal(str(price))
        lo, hi = lp * Decimal("0.35"), lp * Decimal("0.60")
        cost = (lo + (hi - lo) * Decimal(rng.randint(15, 85)) / 100).quantize(CENT)
        if idx in no_floor:
            floor = ""
        else:
            f_lo, f_hi = math.ceil(lp * Decimal("0.80")), math.floor(lp * Decimal("0.90"))
            floor = money(rng.randint(f_lo, f_hi))
        products.append({"sku": f"{prefix}-{n:03d}", "name": pname, "category": cat, "unit": unit,
                         "list_price": money(lp), "floor_price": floor, "cost": money(cost)})
        idx += 1
assert len(products) == 98
PROD = {p["sku"]: p for p in products}
for p in products:  # popularity: cheaper items sell more often
    lp = float(p["list_price"])
    p["_w"] = rng.lognormvariate(0, 0.5) * (1.0 if lp < 300 else 0.6 if lp < 1000 else 0.3)

# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------
N_ACTIVE, N_LEADS = 305, 15
covered = [a for r in REGIONS for a in r[4]]
areas = list(covered)  # at least one customer in every covered province
while len(areas) < N_ACTIVE + N_LEADS - 3:
    areas.append(rng.choices(covered, weights=[AREA_WEIGHT[a] for a in covered])[0])
rng.shuffle(areas)

used_cust_names = set()


def company_names(city, channel):
    """(display name, legal company name, brand pinyin)"""
    while True:
        b, bpy = rng.choice(BRANDS)
        if channel == "agent":
            kind = rng.choice(["商贸", "茶业"])
            name = f"{city}{b}{kind}有限公司"
            legal = name
        else:
            kind = rng.choices(["茶行", "茶楼", "商贸", "酒店", "科技"], weights=[40, 15, 20, 15, 10])[0]
            if kind == "茶行":
                name, legal = f"{city}{b}茶行", f"{city}{b}茶叶有限公司"
            elif kind == "茶楼":
                name, legal = f"{b}茶楼({city})", f"{city}{b}餐饮管理有限公司"
            elif kind == "商贸":
                name = legal = f"{city}{b}商贸有限公司"
            elif kind == "酒店":
                name, legal = f"{city}{b}大酒店", f"{city}{b}酒店管理有限公司"
            else:
                name = legal = f"{city}{b}科技有限公司"
        if name not in used_cust_names:
            used_cust_names.add(name)
            return name, legal, bpy, kind


def personal_name():
    while True:
        s, g = person_name()
        name = s[0] + g[0]
        if name not in used_cust_names:
            used_cust_names.add(name)
            return name, s[1], g[1]


customers = []


def make_customer(area, channel, status, created):
    city = rng.choice(CITIES[area])
    c = {"area": area, "city": city, "channel": channel, "status": status, "created": created,
         "tier": "", "terms_days": "", "owner": ""}
    if channel == "online":
        name, spy, gpy = personal_name()
        c["name"] = name
        c["company"] = company_names(city, "offline")[1] if rng.random() < 0.15 else ""
        c["segment"] = rng.choices(["电商", "零售", "企业礼品", ""], weights=[45, 25, 10, 20])[0]
        if rng.random() < 0.5:
            c["email"] = unique_email(str(rng.randint(10000000, 2999999999)), "qq.com")
        else:
            c["email"] = unique_email(f"{gpy}{spy}{rng.randint(1, 99)}", rng.choice(["163.com", "126.com", "qq.com"]))
        ph = new_mobile()
        c["phone"] = ph
        kind = ""
    else:
        name, legal, bpy, kind = company_names(city, channel)
        c["name"], c["company"] = name, legal
        if channel == "agent":
            c["segment"] = rng.choices(["零售", "企业礼品", "电商"], weights=[60, 30, 10])[0]
        else:
            c["segment"] = {"茶行": "零售", "茶楼": "餐饮酒店", "商贸": rng.choice(["零售", "企业礼品"]),
                            "酒店": "餐饮酒店", "科技": "企业礼品"}[kind]
            if rng.random() < 0.08:
                c["segment"] = ""
        c["email"] = "" if rng.random() < 0.06 else unique_email(
            rng.choice([bpy, f"{bpy}tea", f"{bpy}.sales"]), rng.choice(["163.com", "126.com", "qq.com", "sina.com"]))
        ph = new_mobile()
        c["phone"] = f"{ph[:3]} {ph[3:7]} {ph[7:]}" if rng.random() < 0.3 else ph
    c["_kind"] = kind
    return c


# active customers: created 2024-10..2026-10 (before their first order)
for i, area in enumerate(areas[:N_ACTIVE - 3]):
    ch = rng.choices(["online", "offline", "agent"], weights=[45, 40, 15])[0]
    if rng.random() < (0.65 if ch == "agent" else 0.4):
        cr = rand_date(date(2024, 10, 1), date(2024, 12, 31))
    else:
        cr = rand_date(date(2025, 1, 1), date(2026, 10, 20))
    customers.append(make_customer(area, ch, "active", cr))
# exactly 3 customers in uncovered areas (no owner)
customers.append(make_customer("台湾", "online", "active", rand_date(date(2025, 1, 1), date(2025, 12, 31))))
customers.append(make_customer("台湾", "online", "active", rand_date(date(2025, 3, 1), date(2026, 6, 30))))
customers.append(make_customer("澳门", "offline", "active", rand_date(date(2024, 10, 1), date(2025, 8, 31))))
# leads: created 2026-11-05..2026-11-20, never ordered
for area in areas[N_ACTIVE - 3:]:
    ch = rng.choices(["online", "offline", "agent"], weights=[45, 40, 15])[0]
    customers.append(make_customer(area, ch, "lead", rand_date(date(2026, 11, 5), date(2026, 11, 20))))

# duplicate pair 1: same person, same phone written two ways
c1 = next(c for c in customers if c["channel"] == "online" and c["area"] == "浙江" and c["status"] == "active")
used_phones.discard(c1["phone"])
c1["phone"] = "+86 139-0000-1111"
d1 = dict(c1)
d1["phone"] = "13900001111"
d1["email"] = ""
d1["created"] = c1["created"] + timedelta(days=200)
customers.append(d1)
# duplicate pair 2: same shop twice, emails differ only in case
c2 = next(c for c in customers if c["channel"] == "offline" and c["area"] == "福建" and c["status"] == "active"
          and c["_kind"] == "茶行")
used_emails.discard(c2["email"].lower())
c2.update(city="厦门", name="厦门鹭茗茶行", company="厦门鹭茗茶叶有限公司", email="luming.tea@163.com")
d2 = dict(c2)
d2["name"] = "鹭茗茶行(厦门总店)"
d2["phone"] = new_mobile()
d2["email"] = "LuMing.Tea@163.com"
d2["created"] = c2["created"] + timedelta(days=150)
customers.append(d2)

# codes in creation order
customers.sort(key=lambda c: (c["created"], c["name"], c["phone"]))
for i, c in enumerate(customers, start=1):
    c["code"] = f"C{i:04d}"
CUST = {c["code"]: c for c in customers}

# owners
plain_reps = defaultdict(list)
for r in reps:
    if r["role"] == "rep" and r["status"] == "active":
        plain_reps[r["region"]].append(r["code"])
sup_of = {r["region"]: r["code"] for r in reps if r["role"] == "supervisor"}
for c in customers:
    reg = AREA_REGION.get(c["area"])
    if reg is None or (c["channel"] == "online" and rng.random() < 0.10):
        c["owner"] = ""
    elif c["channel"] != "online" and rng.random() < 0.12:
        c["owner"] = sup_of[reg]  # key accounts with the supervisor
    else:
        c["owner"] = rng.choice(plain_reps[reg])
# the departed rep still owns a few early EAST customers
east_early = [c for c in customers if AREA_REGION.get(c["area"]) == "EAST" and c["status"] == "active"
              and c["owner"] and c["created"] < date(2025, 3, 1) and c not in (c1, d1, c2, d2)]
for c in rng.sample(east_early, 4):
    c["owner"] = LEFT_REP
# duplicates share the owner of the original
d1["owner"], d2["owner"] = c1["owner"], c2["owner"]

# terms: agents 60, some key offline accounts 45
for c in customers:
    if c["channel"] == "agent":
        c["terms_days"] = "60"
key_offline = [c for c in customers if c["channel"] == "offline" and c["status"] == "active"
               and c["_kind"] in ("商贸", "酒店", "科技") and c["owner"]]
for c in rng.sample(key_offline, 8):
    c["terms_days"] = "45"
    c["_key"] = True

for c in customers:
    w = rng.lognormvariate(0, 0.7)
    if c["channel"] == "agent":
        w *= 0.8
    if c.get("_key"):
        w *= 2.5
    c["_w"] = w

# ---------------------------------------------------------------------------
# Orders
# ---------------------------------------------------------------------------


def festival(d):
    """(volume multiplier, tag)"""
    y, m = d.year, d.month
    if date(2025, 1, 2) <= d <= date(2025, 1, 26):
        return 2.0, "gift"            # before 春节 2025-01-29
    if date(2025, 1, 27) <= d <= date(2025, 2, 5):
        return 0.45, ""
    if date(2026, 1, 5) <= d <= date(2026, 2, 14):
        return 1.9, "gift"            # before 春节 2026-02-17
    if date(2026, 2, 15) <= d <= date(2026, 2, 24):
        return 0.45, ""
    if m == 6 and d.day <= 18:
        return 1.8, "promo"           # 618
    if date(2025, 9, 5) <= d <= date(2025, 10, 5):
        return 1.9, "gift"            # before 中秋 2025-10-06
    if date(2026, 8, 28) <= d <= date(2026, 9, 24):
        return 1.9, "gift"            # before 中秋 2026-09-25
    if y == 2025 and m == 11 and d.day <= 11:
        return 2.3, "promo"           # 双十一
    if date(2026, 10, 1) <= d <= date(2026, 10, 7):
        return 0.8, ""
    if m in (7, 8):
        return 0.85, ""
    if m == 12:
        return 1.15, ""
    if m == 1:
        return 1.3, "gift"
    return 1.0, ""


def poisson(lam):
    L, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= L:
            return k
        k += 1


by_group = defaultdict(list)
for c in customers:
    if c["status"] == "active":
        by_group[(AREA_REGION.get(c["area"], "OTHER"), c["channel"])].append(c)
group_share = {g: sum(c["_w"] for c in cs) for g, cs in by_group.items()}
tot = sum(group_share.values())
BASE = 12.3  # orders per day at the start of 2025 (before seasonality)

prod_list = products
cat_of = {p["sku"]: p["category"] for p in products}


def pick_lines(c, tag):
    n = rng.choices([1, 2, 3, 4, 5, 6], weights=[24, 28, 21, 13, 8, 6])[0]
    weights = []
    for p in prod_list:
        w = p["_w"]
        if tag == "gift" and p["category"] == "礼盒":
            w *= 3.5
        if c["channel"] == "agent" and p["category"] in ("礼盒", "茶具"):
            w *= 1.5
        if c["segment"] == "企业礼品" and p["category"] == "礼盒":
            w *= 2
        weights.append(w)
    lines, seen = [], []
    while len(lines) < n:
        if seen and rng.random() < 0.012:
            sku = rng.choice(seen)  # rare repeated SKU in one order
        else:
            sku = rng.choices(prod_list, weights=weights)[0]["sku"]
            if sku in seen:
                continue
        seen.append(sku)
        cat = cat_of[sku]
        lp = float(PROD[sku]["list_price"])
        if c["channel"] == "agent" and cat in ("礼盒", "茶具"):
            if lp >= 1000:
                q = rng.choice([5, 6, 10, 12, 20])
            elif lp >= 500:
                q = rng.choice([10, 12, 20, 24, 30, 50])
            else:
                q = rng.choice([10, 12, 20, 24, 30, 40, 50, 60, 80, 100, 120, 150, 200])
        elif c["channel"] == "agent":
            q = rng.randint(5, 20)
        elif c["channel"] == "online":
            q = rng.choices([1, 2, 3, 4, 5, 6, 10], weights=[50, 22, 10, 6, 5, 3, 4])[0]
        else:
            q = rng.choices(range(1, 21), weights=[1 / k ** 0.9 for k in range(1, 21)])[0]
        r = rng.random()
        disc = "" if r < 0.70 else rng.choice(["3%", "5%", "5%", "8%"])
        lines.append([sku, q, disc])
    return lines


orders = []
d = START
while d <= CUTOFF:
    mult, tag = festival(d)
    if d.weekday() >= 5:
        mult *= 0.92
    t = days(START, d) / 365.0
    for g in sorted(by_group):
        growth = REGION_GROWTH.get(g[0], 1.1) ** t
        lam = BASE * group_share[g] / tot * mult * growth
        k = poisson(lam)
        if not k:
            continue
        elig = [c for c in by_group[g] if c["created"] < d]
        if not elig:
            continue
        ws = [c["_w"] * (2.0 if tag == "promo" and c["channel"] == "online" else 1.0)
              * (1.6 if tag == "gift" and c["segment"] == "企业礼品" else 1.0) for c in elig]
        for _ in range(k):
            c = rng.choices(elig, weights=ws)[0]
            orders.append({"date": d, "cust": c, "lines": pick_lines(c, tag)})
    d += timedelta(days=1)

# every active customer orders at least once
has_order = {o["cust"]["code"] for o in orders}
for c in customers:
    if c["status"] == "active" and c["code"] not in has_order:
        od = rand_date(c["created"] + timedelta(days=1), CUTOFF)
        orders.append({"date": od, "cust": c, "lines": pick_lines(c, festival(od)[1])})

orders.sort(key=lambda o: (o["date"], o["cust"]["code"]))
seq = Counter()
for o in orders:
    y = o["date"].year % 100
    seq[y] += 1
    o["id"] = f"SO{y}-{seq[y]:06d}"

# policy-breaking discounts: ~40 lines 12-25%, 3 lines 35%
all_lines = [(oi, li) for oi, o in enumerate(orders) for li in range(len(o["lines"]))]
special = rng.sample(all_lines, 43)
for n, (oi, li) in enumerate(special):
    orders[oi]["lines"][li][2] = "35%" if n < 3 else rng.choice(["12%", "15%", "18%", "20%", "22%", "25%"])

# Prices. Every line gets its unit price: the list price in force on its date.
# Three SKUs were raised on 2026-06-01 (products.csv holds the price before, price_changes.csv the change);
# two more are raised on 2026-12-01, an upcoming change for the adjustment notice.
PRICE_RAISED = date(2026, 6, 1)
raised = sorted(rng.sample([p["sku"] for p in products if p["floor_price"]], 3))
upcoming = sorted(rng.sample([p["sku"] for p in products if p["floor_price"] and p["sku"] not in raised], 2))


def scaled(v, f):
    return money((Decimal(v) * Decimal(f)).quantize(CENT, rounding=ROUND_HALF_UP))


price_changes = []
for sku_ in raised:
    p = PROD[sku_]
    price_changes.append([sku_, PRICE_RAISED.isoformat(), scaled(p["list_price"], "1.08"), scaled(p["floor_price"], "1.08"),
                          scaled(p["cost"], "1.06"), "原料成本上涨"])
for sku_ in upcoming:
    p = PROD[sku_]
    price_changes.append([sku_, "2026-12-01", scaled(p["list_price"], "1.05"), scaled(p["floor_price"], "1.05"), "",
                          "春节备货调价"])
NEW_LIST = {r[0]: r[2] for r in price_changes if r[1] == PRICE_RAISED.isoformat()}
for o in orders:
    for ln in o["lines"]:
        ln.append(NEW_LIST[ln[0]] if ln[0] in NEW_LIST and o["date"] >= PRICE_RAISED else PROD[ln[0]]["list_price"])

# Policy breaks in October 2026, so that `prices check --period 2026-10` shows every kind of finding:
# a few lines sold under the floor price (also off the list price), two under cost, and one region that
# sells one SKU far below the others (regional spread).
october = [(oi, li) for oi, o in enumerate(orders) if o["date"] >= date(2026, 10, 1)
           for li in range(len(o["lines"])) if o["lines"][li][0] not in NEW_LIST and not o["lines"][li][2]]
for n, (oi, li) in enumerate(rng.sample(october, 6)):
    ln = orders[oi]["lines"][li]
    p = PROD[ln[0]]
    ln[3] = scaled(p["cost"], "0.90") if n < 2 else scaled(p["list_price"], "0.80")
spread_sku = max(((s_, sum(1 for o in orders if o["date"] >= date(2026, 10, 1) and AREA_REGION.get(o["cust"]["area"]) == "SW"
                           for ln in o["lines"] if ln[0] == s_)) for s_ in PROD if s_ not in NEW_LIST),
                 key=lambda t: (t[1], t[0]))[0]
for o in orders:
    if o["date"] >= date(2026, 10, 1) and AREA_REGION.get(o["cust"]["area"]) == "SW":
        for ln in o["lines"]:
            if ln[0] == spread_sku and not ln[2]:
                ln[3] = scaled(PROD[spread_sku]["list_price"], "0.82")

# order-level fields
CARRIERS = [("顺丰", 45), ("京东物流", 25), ("中通", 20), ("EMS", 10)]
used_tracking = set()


def tracking(carrier):
    while True:
        if carrier == "顺丰":
            t = "SF14" + str(rng.randint(0, 10 ** 8 - 1)).zfill(8)
        elif carrier == "京东物流":
            t = "JDV" + str(rng.randint(10 ** 11, 10 ** 12 - 1))
        elif carrier == "中通":
            t = "7" + str(rng.randint(10 ** 12, 10 ** 13 - 1))
        else:
            t = "1" + str(rng.randint(10 ** 11, 10 ** 12 - 1))
        if t not in used_tracking:
            used_tracking.add(t)
            return t


for o in orders:
    c = o["cust"]
    age = days(o["date"], CUTOFF)
    o["province"] = ""
    if rng.random() < 0.05:
        o["province"] = rng.choice([a for a in covered if a != c["area"]])
    if rng.random() < 0.02:
        st = "cancelled"
    elif o["date"] < date(2026, 10, 1):
        st = "delivered" if rng.random() < 0.03 else "completed"
    elif age <= 2:
        st = rng.choices(["confirmed", "shipped"], weights=[70, 30])[0]
    elif age <= 7:
        st = rng.choices(["confirmed", "shipped", "delivered"], weights=[15, 55, 30])[0]
    else:
        st = rng.choices(["confirmed", "shipped", "delivered"], weights=[5, 10, 85])[0]
    if st in ("shipped", "delivered", "completed"):
        maxd = min(3, age)
        if maxd < 1:
            st = "confirmed"
        else:
            o["ship"] = o["date"] + timedelta(days=rng.randint(1, maxd))
            o["carrier"] = rng.choices([c_ for c_, _ in CARRIERS], weights=[w for _, w in CARRIERS])[0]
            o["tracking"] = tracking(o["carrier"])
    o["status"] = st


def line_amount(q, price, disc):
    rate = Decimal(disc.rstrip("%")) / 100 if disc else Decimal(0)
    return (Decimal(q) * Decimal(price) * (1 - rate)).quantize(CENT, rounding=ROUND_HALF_UP)


for o in orders:
    o["amount"] = sum((line_amount(q, pr, dc) for s, q, dc, pr in o["lines"]), Decimal(0))

# ---------------------------------------------------------------------------
# Payments
# ---------------------------------------------------------------------------
payments = []


def method_for(c):
    if c["channel"] == "online":
        return rng.choice(["alipay", "alipay", "wechat", "wechat", "card"])
    if c["channel"] == "agent":
        return "transfer"
    return rng.choices(["transfer", "wechat", "alipay", "card"], weights=[45, 20, 15, 20])[0]


def pay_full(o, latest):
    """one payment, or two partial payments summing exactly to the amount"""
    a, d0 = o["amount"], o["date"]
    span = max(0, days(d0, min(latest, CUTOFF)))
    if rng.random() < 0.2 and a >= Decimal("100"):
        first = (a * Decimal(rng.randint(30, 70)) / 100).quantize(CENT)
        p1 = d0 + timedelta(days=rng.randint(0, span))
        p2 = p1 + timedelta(days=rng.randint(0, max(0, days(p1, min(latest, CUTOFF)))))
        m = method_for(o["cust"])
        payments.append([o["id"], p1, first, m])
        payments.append([o["id"], p2, a - first, m])
    else:
        payments.append([o["id"], d0 + timedelta(days=rng.randint(0, span)), a, method_for(o["cust"])])


def pay_part(o, latest):
    a = o["amount"]
    part = (a * Decimal(rng.randint(20, 70)) / 100).quantize(CENT)
    if part > 0:
        span = max(0, days(o["date"], min(latest, CUTOFF)))
        payments.append([o["id"], o["date"] + timedelta(days=rng.randint(0, span)), part, method_for(o["cust"])])


for o in orders:
    if o["status"] == "cancelled":
        continue
    c = o["cust"]
    terms = int(c["terms_days"] or 30)
    age = days(o["date"], CUTOFF)
    if c["channel"] == "online" and rng.random() < 0.96:
        payments.append([o["id"], o["date"], o["amount"], method_for(c)])
        continue
    latest = o["date"] + timedelta(days=terms + 20)
    r = rng.random()
    if age > 90:
        if r < 0.97:
            pay_full(o, latest)
        elif r < 0.985:
            pay_part(o, latest)
        # else: stays unpaid
    else:
        p_full = 0.75 if age > terms else 0.20 + 0.5 * age / terms
        if r < p_full:
            pay_full(o, latest)
        elif r < p_full + 0.12:
            pay_part(o, latest)

payments.sort(key=lambda p: (p[1], p[0], p[2]))
for i, p in enumerate(payments, start=1):
    p.append(f"PAY-{i:06d}")

# ---------------------------------------------------------------------------
# Returns
# ---------------------------------------------------------------------------
REASONS = [("破损", "quality", 30), ("包装破损", "quality", 10), ("发错货", "quality", 15), ("茶叶受潮", "quality", 8),
           ("口味不符", "customer", 22), ("客户取消", "customer", 15)]
eligible = []
for o in orders:
    if o["status"] not in ("delivered", "completed") or days(o["ship"], CUTOFF) < 3:
        continue
    cnt = Counter(ln[0] for ln in o["lines"])
    for s, q, _, _ in o["lines"]:
        if cnt[s] == 1:
            eligible.append((o, s, q))
returns = []
for o, s, q in rng.sample(eligible, 150):
    rq = 1 if q == 1 or rng.random() < 0.5 else rng.randint(1, min(q, 5) if rng.random() < 0.9 else q)
    rd = o["ship"] + timedelta(days=rng.randint(3, min(20, days(o["ship"], CUTOFF))))
    reason, kind, _ = rng.choices(REASONS, weights=[w for _, _, w in REASONS])[0]
    returns.append([o["id"], s, rq, rd, reason, kind])
returns.sort(key=lambda r: (r[3], r[0], r[1]))

# ---------------------------------------------------------------------------
# Write
# ---------------------------------------------------------------------------
OUT.mkdir(parents=True, exist_ok=True)


def write(name, header, rows):
    with open(OUT / name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


write("regions.csv", ["code", "name", "parent", "manager", "areas"],
      [[c, n, p, REGION_MANAGER[c], ";".join(a)] for c, n, p, _, a in REGIONS])
write("reps.csv", ["code", "name", "region", "role", "manager", "phone", "email", "status"],
      [[r[k] for k in ("code", "name", "region", "role", "manager", "phone", "email", "status")]
       for r in sorted(reps, key=lambda r: r["code"])])
write("products.csv", ["sku", "name", "category", "unit", "list_price", "floor_price", "cost"],
      [[p[k] for k in ("sku", "name", "category", "unit", "list_price", "floor_price", "cost")]
       for p in sorted(products, key=lambda p: p["sku"])])
CUST_COLS = ["code", "name", "area", "city", "company", "phone", "email", "channel", "segment", "owner", "tier",
             "status", "terms_days", "created"]
write("customers.csv", CUST_COLS,
      [[c[k].isoformat() if k == "created" else c[k] for k in CUST_COLS] for c in customers])
order_rows = []
for o in orders:
    c = o["cust"]
    for s, q, dc, pr in o["lines"]:
        p = PROD[s]
        shipped = "ship" in o
        order_rows.append([o["id"], o["date"].isoformat(), c["code"], c["name"], c["owner"], c["channel"],
                           o["province"], o["status"], s, p["name"], p["category"], q, pr, dc,
                           "", "", "", o["ship"].isoformat() if shipped else "",
                           o.get("carrier", ""), o.get("tracking", "")])
write("orders.csv", ["order_id", "order_date", "customer", "customer_name", "rep", "channel", "province", "status",
                     "sku", "product_name", "category", "quantity", "unit_price", "discount", "amount", "unit_cost",
                     "profit", "ship_date", "carrier", "tracking"], order_rows)
write("payments.csv", ["order_id", "date", "amount", "method", "reference"],
      [[p[0], p[1].isoformat(), money(p[2]), p[3], p[4]] for p in payments])
write("price_changes.csv", ["sku", "effective", "list_price", "floor_price", "cost", "reason"], price_changes)

# Market observations in autumn 2026; three are below the floor price.
PLATFORMS = [("天猫", "tmall.com"), ("京东", "jd.com"), ("拼多多", "pinduoduo.com"), ("抖音", "douyin.com")]
SELLERS = ["茗香小铺", "茶缘旗舰店", "好茶直营", "山野茶庄", "闽南茶行"]
observations = []
obs_skus = sorted(rng.sample([p["sku"] for p in products if p["floor_price"]], 12))
for n, sku_ in enumerate(obs_skus):
    p = PROD[sku_]
    factor = "0.75" if n < 3 else rng.choice(["0.92", "0.95", "0.98", "1.00"])
    plat, host = rng.choice(PLATFORMS)
    od = date(2026, 9, 1) + timedelta(days=rng.randint(0, 60))
    observations.append([od.isoformat(), sku_, scaled(p["list_price"], factor), plat, rng.choice(SELLERS),
                         rng.choice(covered), f"https://{host}/item/{rng.randint(10 ** 8, 10 ** 9 - 1)}"])
observations.sort()
write("observations.csv", ["date", "sku", "price", "platform", "seller", "area", "url"], observations)

# Annual revenue targets per region: each year's is last year's sales times a stretch, some regions
# stretched harder than they can grow (they fall behind), others less (they run ahead).
region_year = Counter()
for o in orders:
    if o["status"] != "cancelled":
        region_year[(AREA_REGION.get(o["cust"]["area"]), o["date"].year)] += o["amount"]
STRETCH = {"NORTH": "1.18", "NE": "1.15", "EAST": "1.08", "EAST-SH": "1.10", "SOUTH": "1.20", "CENTRAL": "1.12",
           "SW": "1.05", "NW": "1.25"}
target_rows = []
for code, *_ in REGIONS:
    # A parent region's figures include its sub-regions, so its target does too.
    base25 = sum((region_year[(r[0], 2025)] for r in REGIONS if r[0] == code or r[2] == code), Decimal(0))
    for year, base in ((2025, base25 / Decimal("1.12")), (2026, base25)):
        t = (base * Decimal(STRETCH[code]) / 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 10000
        target_rows.append(["region", code, str(year), f"{t}.00", "", ""])
write("targets.csv", ["scope", "code", "period", "revenue", "quantity", "profit"], target_rows)
write("returns.csv", ["order_id", "sku", "quantity", "date", "reason", "kind"],
      [[r[0], r[1], r[2], r[3].isoformat(), r[4], r[5]] for r in returns])

# ---------------------------------------------------------------------------
# Self-check (re-reads the written files)
# ---------------------------------------------------------------------------


def read(name):
    with open(OUT / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


R, P_, PR, C, O, PAY, RET = (read(n) for n in ("regions.csv", "reps.csv", "products.csv", "customers.csv",
                                                 "orders.csv", "payments.csv", "returns.csv"))
order_ids = list(dict.fromkeys(r["order_id"] for r in O))
print(f"regions   {len(R)}\nreps      {len(P_)}\nproducts  {len(PR)}\ncustomers {len(C)}"
      f"\norders    {len(order_ids)}\nlines     {len(O)}\npayments  {len(PAY)}\nreturns   {len(RET)}")

# coverage
area_owner = Counter(a for r in R for a in r["areas"].split(";"))
assert all(v == 1 for v in area_owner.values()), "an area is in two regions"
assert len(area_owner) == 32 and set(area_owner) == set(ALL_PROVINCES) - set(UNCOVERED)
assert not (set(UNCOVERED) & set(area_owner))
region_of_area = {a: r["code"] for r in R for a in r["areas"].split(";")}
# reference integrity
rcodes = {r["code"] for r in R}
repm = {p["code"]: p for p in P_}
assert all(p["region"] in rcodes for p in P_)
assert all(r["manager"] in repm and repm[r["manager"]]["role"] == "manager"
           and repm[r["manager"]]["region"] == r["code"] for r in R)
assert all(r["parent"] == "" or r["parent"] in rcodes for r in R)
for reg in rcodes:
    roles = Counter(p["role"] for p in P_ if p["region"] == reg)
    assert roles["manager"] == 1 and roles["supervisor"] == 1 and 2 <= roles["rep"] <= 3
assert len({p["phone"] for p in P_}) == len(P_) and len({p["email"] for p in P_}) == len(P_)
assert sum(p["status"] == "left" for p in P_) == 1
custm = {c["code"]: c for c in C}
skus = {p["sku"]: p for p in PR}
for c in C:
    if c["owner"]:
        assert c["owner"] in repm and repm[c["owner"]]["region"] == region_of_area.get(c["area"]), c
    assert c["tier"] == ""
assert sum(c["area"] in UNCOVERED for c in C) == 3
assert any(c["owner"] == LEFT_REP for c in C)
for r in O:
    c = custm[r["customer"]]
    assert r["sku"] in skus and r["rep"] == c["owner"] and (r["rep"] == "" or r["rep"] in repm)
    assert r["customer_name"] == c["name"] and r["channel"] == c["channel"]
    assert c["status"] == "active" and c["created"] < r["order_date"]
    assert 1 <= int(r["quantity"]) <= (200 if c["channel"] == "agent" and r["category"] in ("礼盒", "茶具") else 20)
assert all(c["code"] in {r["customer"] for r in O} for c in C if c["status"] == "active")
assert not any(c["status"] == "lead" and c["code"] in {r["customer"] for r in O} for c in C)
# order-level columns agree
OL = ["order_date", "customer", "customer_name", "rep", "channel", "province", "status", "ship_date", "carrier",
      "tracking"]
first = {}
for r in O:
    first.setdefault(r["order_id"], r)
    assert all(first[r["order_id"]][k] == r[k] for k in OL)
assert [(first[i]["order_date"], i) for i in order_ids] == sorted((first[i]["order_date"], i) for i in order_ids)
trk = [first[i]["tracking"] for i in order_ids if first[i]["tracking"]]
assert len(trk) == len(set(trk))
# order amounts (exact decimal)
amt = defaultdict(Decimal)
lines_of = defaultdict(list)
for r in O:
    amt[r["order_id"]] += line_amount(int(r["quantity"]), r["unit_price"], r["discount"])
    lines_of[r["order_id"]].append(r)
paid = defaultdict(Decimal)
for p in PAY:
    o = first[p["order_id"]]
    assert o["status"] != "cancelled" and o["order_date"] <= p["date"] <= CUTOFF.isoformat()
    paid[p["order_id"]] += Decimal(p["amount"])
assert all(paid[i] <= amt[i] for i in paid), "overpaid order"
assert len({p["reference"] for p in PAY}) == len(PAY)
# returns
seen_ret = set()
for r in RET:
    ls = [l for l in lines_of[r["order_id"]] if l["sku"] == r["sku"]]
    assert len(ls) == 1 and int(r["quantity"]) <= int(ls[0]["quantity"])
    assert ls[0]["status"] in ("delivered", "completed")
    assert r["date"] <= CUTOFF.isoformat()
    assert (r["order_id"], r["sku"]) not in seen_ret
    seen_ret.add((r["order_id"], r["sku"]))
# duplicates present
norm = Counter("".join(ch for ch in c["phone"] if ch.isdigit()).removeprefix("86")[-11:] for c in C if c["phone"])
assert sum(v > 1 for v in norm.values()) == 1 and norm["13900001111"] == 2
em = Counter(c["email"].lower() for c in C if c["email"])
assert sum(v > 1 for v in em.values()) == 1 and em["luming.tea@163.com"] == 2
assert len({c["email"] for c in C if c["email"]}) == sum(1 for c in C if c["email"])  # exact case differs
# discounts
dc = Counter(r["discount"] for r in O)
high = sum(v for k, v in dc.items() if k and 12 <= int(k[:-1]) <= 25)
assert dc["35%"] == 3 and high == 40
# aging buckets as of CUTOFF (terms default 30)
buckets = Counter()
for i in order_ids:
    o = first[i]
    if o["status"] == "cancelled":
        continue
    out = amt[i] - paid[i]
    if out <= 0:
        continue
    terms = int(custm[o["customer"]]["terms_days"] or 30)
    dpd = days(date.fromisoformat(o["order_date"]) + timedelta(days=terms), CUTOFF)
    b = "not_due" if dpd < 0 else "0-30" if dpd <= 30 else "31-60" if dpd <= 60 else "61-90" if dpd <= 90 else "90+"
    buckets[b] += out
for b in ("not_due", "0-30", "31-60", "61-90", "90+"):
    assert buckets[b] > 0, b
print("receivables as of", CUTOFF, {b: money(buckets[b]) for b in ("not_due", "0-30", "31-60", "61-90", "90+")})
print("self-check OK")
