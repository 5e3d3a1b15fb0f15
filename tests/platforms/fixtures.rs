//! The platform order exports of tests/fixtures/platforms, written in each platform's own shape:
//! 淘宝 and 京东 in GBK with CRLF lines, 淘宝's headers ending in spaces and its numbers wrapped in
//! `="…"`, 拼多多 in UTF-8 with a BOM and a tab before its tracking numbers, 抖店 as an .xlsx workbook;
//! masked phones, buyers and provinces as the platforms mask them. Deterministic: the same bytes on
//! every run (`platforms::generator_writes_the_committed_fixtures`).
//!
//! The orders, and what they must import as (the tests check these figures):
//! - TB-1001 tea_lover, 3 lines (100 + 2×35.50 + 120 = 291.00 at list), paid 262.00 with 10.00 postage:
//!   252.00 spread 86.60 / 61.48 / 103.92; 交易成功 → completed; 浙江省 → EAST.
//! - TB-1002 tea_lover again: 35.50, shipped by 圆通速递 YT7788990011; 江苏省 → EAST.
//! - TB-1003 小王: closed after paying 100.00, refunded 100.00 → completed with a 100.00 return.
//! - TB-1004 小李: 240.00 paid, 20.00 refunded: listed in the refunds file, not returned.
//! - TB-1005 awaiting payment, TB-1006 closed unpaid: skipped.
//! - JD-2001 jd_zhang, 2 lines (200 + 35.50), 225.00 paid: 191.08 / 33.92; address 上海上海市… (no
//!   spaces) → EAST; 完成 → completed.
//! - JD-2002 jd_zhang: 126.00 with 6.00 postage → 120.00; SKU from 商家SKUID; 广东深圳市… → SOUTH.
//! - JD-2003 已取消: skipped. In jd-later.csv, JD-2002 is 已取消: the stored order is cancelled.
//! - PDD-260305-01 江苏: 71 at list, 60.00 paid → confirmed, customer PDD-江苏.
//! - PDD-260305-02 广东: shipped 中通快递 75300112233 on 2026-03-06.
//! - PDD-260305-03 广东: received, 售后 退款成功 → completed with a 120.00 return.
//! - PDD-260305-04 已取消: skipped. PDD-260305-05: province **** → PDD-地区未知, no region.
//! - DY-6901 浙江: 2 lines, 135.50; line 2 refunded (退款成功) → completed, 35.50 returned.
//! - DY-6902 广东: shipped. DY-6903 待支付: skipped. DY-6904 closed after a full refund of 100.00.

use std::path::Path;

/// Write every fixture into `dir`.
pub fn generate(dir: &Path) -> std::io::Result<()> {
    write_gbk(&dir.join("taobao-orders.csv"), &taobao_orders())?;
    write_gbk(&dir.join("taobao-items.csv"), &taobao_items())?;
    write_gbk(&dir.join("jd-orders.csv"), &jd_orders(JD_ROWS))?;
    write_gbk(&dir.join("jd-later.csv"), &jd_orders(JD_LATER))?;
    write_gbk(
        &dir.join("jd-unknown-status.csv"),
        &jd_orders(JD_UNKNOWN_STATUS),
    )?;
    write_bom(&dir.join("pdd-orders.csv"), &pdd_orders(PDD_ROWS))?;
    write_bom(&dir.join("pdd-later.csv"), &pdd_orders(PDD_LATER))?;
    std::fs::write(dir.join("douyin-orders.xlsx"), douyin_xlsx())?;
    Ok(())
}

/// The files `generate` writes.
pub const FILES: &[&str] = &[
    "douyin-orders.xlsx",
    "jd-later.csv",
    "jd-orders.csv",
    "jd-unknown-status.csv",
    "pdd-later.csv",
    "pdd-orders.csv",
    "taobao-items.csv",
    "taobao-orders.csv",
];

fn write_gbk(path: &Path, text: &str) -> std::io::Result<()> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "no GBK form for some of {path:?}");
    std::fs::write(path, bytes)
}

fn write_bom(path: &Path, text: &str) -> std::io::Result<()> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(text.as_bytes());
    std::fs::write(path, bytes)
}

/// A CSV line as spreadsheets write it: cells with a comma or quote quoted.
fn line(cells: &[&str], end: &str) -> String {
    let cells: Vec<String> = cells
        .iter()
        .map(|c| {
            if !c.starts_with("=\"") && c.contains([',', '"', '\n']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.to_string()
            }
        })
        .collect();
    format!("{}{end}", cells.join(","))
}

/// `="…"`: how 淘宝 keeps Excel from turning a long number into 1.23E+17.
fn wrapped(n: &str) -> String {
    if n.is_empty() {
        String::new()
    } else {
        format!("=\"{n}\"")
    }
}

fn taobao_orders() -> String {
    // The real export's headers, several with the trailing space 淘宝 writes.
    let head = [
        "订单编号",
        "买家会员名",
        "买家支付宝账号",
        "买家应付货款",
        "买家应付邮费",
        "总金额",
        "买家实际支付金额",
        "订单状态",
        "买家留言",
        "收货人姓名",
        "收货地址 ",
        "运送方式",
        "联系手机",
        "订单创建时间",
        "订单付款时间 ",
        "宝贝标题 ",
        "宝贝种类 ",
        "物流单号 ",
        "物流公司",
        "订单备注",
        "宝贝总数量",
        "店铺名称",
        "订单关闭原因",
        "退款金额",
    ];
    #[rustfmt::skip]
    let rows: &[[&str; 24]] = &[
        ["1001", "tea_lover", "ta***@163.com", "291.00", "10.00", "301.00", "262.00", "交易成功", "", "张*", "浙江省 杭州市 西湖区 文三路***号", "快递", "138****1234", "2026-03-01 10:15:32", "2026-03-01 10:16:01", "西湖龙井，茶杯，紫砂壶", "3", "YT6600112233", "圆通速递", "", "4", "茗香茶庄", "", "0.00"],
        ["1002", "tea_lover", "ta***@163.com", "35.50", "0.00", "35.50", "35.50", "卖家已发货，等待买家确认", "", "张*", "江苏省 南京市 鼓楼区 中山路***号", "快递", "138****1234", "2026-03-02 21:03:11", "2026-03-02 21:03:40", "茶杯", "1", "YT7788990011", "圆通速递", "", "1", "茗香茶庄", "", "0.00"],
        ["1003", "小王", "wa***@qq.com", "100.00", "0.00", "100.00", "100.00", "交易关闭", "", "王*", "广东省 深圳市 南山区 科技园***号", "快递", "139****5678", "2026-03-03 08:00:00", "2026-03-03 08:01:12", "西湖龙井", "1", "", "", "", "1", "茗香茶庄", "退款", "100.00"],
        ["1004", "小李", "li***@126.com", "240.00", "0.00", "240.00", "240.00", "交易成功", "包装好一点", "李*", "江苏省 苏州市 姑苏区 人民路***号", "快递", "137****0000", "2026-03-04 12:30:00", "2026-03-04 12:31:00", "紫砂壶", "1", "SF1234567890", "顺丰速运", "", "2", "茗香茶庄", "", "20.00"],
        ["1005", "小赵", "zh***@qq.com", "35.50", "0.00", "35.50", "0.00", "等待买家付款", "", "赵*", "浙江省 宁波市 海曙区 ***", "快递", "136****1111", "2026-03-05 09:00:00", "", "茶杯", "1", "", "", "", "1", "茗香茶庄", "", "0.00"],
        ["1006", "小钱", "qi***@qq.com", "100.00", "0.00", "100.00", "0.00", "交易关闭", "", "钱*", "上海 上海市 徐汇区 ***", "快递", "135****2222", "2026-03-05 10:00:00", "", "西湖龙井", "1", "", "", "", "1", "茗香茶庄", "买家不想买了", "0.00"],
    ];
    let mut out = line(&head, "\r\n");
    for r in rows {
        let mut cells: Vec<String> = r.iter().map(|c| c.to_string()).collect();
        cells[0] = wrapped(r[0]);
        cells[17] = wrapped(r[17]);
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        out.push_str(&line(&refs, "\r\n"));
    }
    out
}

fn taobao_items() -> String {
    let head = [
        "订单编号",
        "标题",
        "价格",
        "购买数量",
        "外部系统编号",
        "商品属性",
        "套餐信息",
        "备注",
        "订单状态",
        "商家编码",
    ];
    #[rustfmt::skip]
    let rows: &[[&str; 10]] = &[
        ["1001", "西湖龙井 明前特级 100g", "100.00", "1", "", "规格：100g", "", "", "交易成功", "TEA-01"],
        ["1001", "青瓷茶杯 两只装", "35.50", "2", "", "颜色：青", "", "", "交易成功", "CUP-02"],
        ["1001", "宜兴紫砂壶", "120.00", "1", "", "容量：200ml", "", "", "交易成功", "POT-03"],
        ["1002", "青瓷茶杯 两只装", "35.50", "1", "", "颜色：青", "", "", "卖家已发货，等待买家确认", "CUP-02"],
        ["1003", "西湖龙井 明前特级 100g", "100.00", "1", "", "规格：100g", "", "", "交易关闭", "TEA-01"],
        ["1004", "宜兴紫砂壶", "120.00", "2", "", "容量：200ml", "", "", "交易成功", "POT-03"],
        ["1005", "青瓷茶杯 两只装", "35.50", "1", "", "颜色：青", "", "", "等待买家付款", "CUP-02"],
        ["1006", "西湖龙井 明前特级 100g", "100.00", "1", "", "规格：100g", "", "", "交易关闭", "TEA-01"],
    ];
    let mut out = line(&head, "\r\n");
    for r in rows {
        let mut cells: Vec<String> = r.iter().map(|c| c.to_string()).collect();
        cells[0] = wrapped(r[0]);
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        out.push_str(&line(&refs, "\r\n"));
    }
    out
}

const JD_HEAD: [&str; 20] = [
    "订单号",
    "商品ID",
    "商品名称",
    "订购数量",
    "支付方式",
    "下单时间",
    "京东价",
    "订单金额",
    "结算金额",
    "应付金额",
    "订单状态",
    "订单类型",
    "下单帐号",
    "客户姓名",
    "客户地址",
    "联系电话",
    "运费金额",
    "货号",
    "订单完成时间",
    "商家SKUID",
];

#[rustfmt::skip]
const JD_ROWS: &[[&str; 20]] = &[
    ["2001", "100011", "西湖龙井 明前特级 100g", "2", "在线支付", "2026-03-02 09:00:00", "100.00", "235.50", "225.00", "225.00", "完成", "SOP", "jd_zhang", "张**", "上海上海市浦东新区张江路***号", "138****3333", "0.00", "TEA-01", "2026-03-05 18:00:00", ""],
    ["2001", "100012", "青瓷茶杯 两只装", "1", "在线支付", "2026-03-02 09:00:00", "35.50", "235.50", "225.00", "225.00", "完成", "SOP", "jd_zhang", "张**", "上海上海市浦东新区张江路***号", "138****3333", "0.00", "CUP-02", "2026-03-05 18:00:00", ""],
    ["2002", "100013", "宜兴紫砂壶", "1", "在线支付", "2026-03-06 14:20:00", "120.00", "126.00", "126.00", "126.00", "等待出库", "SOP", "jd_zhang", "张**", "广东深圳市南山区粤海街道***", "138****3333", "6.00", "", "", "POT-03"],
    ["2003", "100011", "西湖龙井 明前特级 100g", "1", "在线支付", "2026-03-07 08:00:00", "100.00", "100.00", "100.00", "100.00", "已取消", "SOP", "jd_li", "李**", "北京北京市朝阳区***", "139****4444", "0.00", "TEA-01", "", ""],
];

/// A later export: 2002 was cancelled before it left the warehouse (京东 refunds it itself).
#[rustfmt::skip]
const JD_LATER: &[[&str; 20]] = &[
    ["2002", "100013", "宜兴紫砂壶", "1", "在线支付", "2026-03-06 14:20:00", "120.00", "126.00", "126.00", "126.00", "已取消", "SOP", "jd_zhang", "张**", "广东深圳市南山区粤海街道***", "138****3333", "6.00", "", "", "POT-03"],
];

#[rustfmt::skip]
const JD_UNKNOWN_STATUS: &[[&str; 20]] = &[
    ["2101", "100011", "西湖龙井 明前特级 100g", "1", "在线支付", "2026-03-08 09:00:00", "100.00", "100.00", "100.00", "100.00", "完成", "SOP", "jd_wang", "王**", "江苏南京市玄武区***", "137****5555", "0.00", "TEA-01", "2026-03-10 10:00:00", ""],
    ["2102", "100012", "青瓷茶杯 两只装", "1", "在线支付", "2026-03-08 10:00:00", "35.50", "35.50", "35.50", "35.50", "暂停", "SOP", "jd_wang", "王**", "江苏南京市玄武区***", "137****5555", "0.00", "CUP-02", "", ""],
];

fn jd_orders(rows: &[[&str; 20]]) -> String {
    let mut out = line(&JD_HEAD, "\r\n");
    for r in rows {
        out.push_str(&line(r, "\r\n"));
    }
    out
}

const PDD_HEAD: [&str; 22] = [
    "商品",
    "订单号",
    "订单状态",
    "商品总价(元)",
    "店铺优惠折扣(元)",
    "平台优惠折扣(元)",
    "邮费(元)",
    "用户实付金额(元)",
    "商家实收金额(元)",
    "商品数量(件)",
    "收货人",
    "手机",
    "省",
    "市",
    "支付时间",
    "订单成交时间",
    "商品id",
    "商家编码-SKU维度",
    "快递单号",
    "快递公司",
    "发货时间",
    "售后状态",
];

#[rustfmt::skip]
const PDD_ROWS: &[[&str; 22]] = &[
    ["青瓷茶杯 两只装", "260305-01", "待发货", "71.00", "6.00", "5.00", "0.00", "60.00", "65.00", "2", "***", "***", "江苏省", "无锡市", "2026-03-05 20:11:09", "2026-03-05 20:11:09", "5501", "CUP-02", "", "", "", "无售后或售后取消"],
    ["宜兴紫砂壶", "260305-02", "已发货，待收货", "120.00", "0.00", "0.00", "0.00", "120.00", "120.00", "1", "***", "***", "广东省", "广州市", "2026-03-05 21:00:00", "2026-03-05 21:00:00", "5502", "POT-03", "\t75300112233", "中通快递", "2026-03-06 10:00:00", "无售后或售后取消"],
    ["宜兴紫砂壶", "260305-03", "已收货", "120.00", "0.00", "0.00", "0.00", "120.00", "120.00", "1", "***", "***", "广东省", "佛山市", "2026-03-05 22:00:00", "2026-03-05 22:00:00", "5502", "POT-03", "\t75300112244", "中通快递", "2026-03-06 11:00:00", "退款成功"],
    ["西湖龙井 明前特级 100g", "260305-04", "已取消", "100.00", "0.00", "0.00", "0.00", "100.00", "100.00", "1", "***", "***", "浙江省", "杭州市", "", "2026-03-05 23:00:00", "5503", "TEA-01", "", "", "", "无售后或售后取消"],
    ["西湖龙井 明前特级 100g", "260305-05", "待发货", "100.00", "0.00", "10.00", "0.00", "90.00", "100.00", "1", "***", "***", "****", "****", "2026-03-05 23:30:00", "2026-03-05 23:30:00", "5503", "TEA-01", "", "", "", "无售后或售后取消"],
];

/// A later export of the same orders: 260305-01 has shipped, 260305-02 has been received.
#[rustfmt::skip]
const PDD_LATER: &[[&str; 22]] = &[
    ["青瓷茶杯 两只装", "260305-01", "已发货，待收货", "71.00", "6.00", "5.00", "0.00", "60.00", "65.00", "2", "***", "***", "江苏省", "无锡市", "2026-03-05 20:11:09", "2026-03-05 20:11:09", "5501", "CUP-02", "\t75300119999", "中通快递", "2026-03-07 09:30:00", "无售后或售后取消"],
    ["宜兴紫砂壶", "260305-02", "已收货", "120.00", "0.00", "0.00", "0.00", "120.00", "120.00", "1", "***", "***", "广东省", "广州市", "2026-03-05 21:00:00", "2026-03-05 21:00:00", "5502", "POT-03", "\t75300112233", "中通快递", "2026-03-06 10:00:00", "无售后或售后取消"],
];

fn pdd_orders(rows: &[[&str; 22]]) -> String {
    let mut out = line(&PDD_HEAD, "\n");
    for r in rows {
        out.push_str(&line(r, "\n"));
    }
    out
}

const DY_HEAD: [&str; 18] = [
    "主订单编号",
    "子订单编号",
    "选购商品",
    "商品规格",
    "商品数量",
    "商品ID",
    "商家编码",
    "商品单价",
    "订单应付金额",
    "运费",
    "订单提交时间",
    "订单完成时间",
    "订单状态",
    "售后状态",
    "收件人",
    "省",
    "市",
    "发货时间",
];

#[rustfmt::skip]
const DY_ROWS: &[[&str; 18]] = &[
    ["6901", "690101", "西湖龙井 明前特级 100g", "100g", "1", "3301", "TEA-01", "100.00", "135.50", "0.00", "2026/03/06 12:00:00", "2026/03/09 12:00:00", "已完成", "-", "刘**", "浙江省", "杭州市", "2026/03/06 18:00:00"],
    ["6901", "690102", "青瓷茶杯 两只装", "青", "1", "3302", "CUP-02", "35.50", "135.50", "0.00", "2026/03/06 12:00:00", "2026/03/09 12:00:00", "已完成", "退款成功", "刘**", "浙江省", "杭州市", "2026/03/06 18:00:00"],
    ["6902", "690201", "宜兴紫砂壶", "200ml", "1", "3303", "POT-03", "120.00", "120.00", "0.00", "2026/03/07 08:00:00", "-", "已发货", "-", "陈**", "广东省", "东莞市", "2026/03/07 15:00:00"],
    ["6903", "690301", "青瓷茶杯 两只装", "青", "1", "3302", "CUP-02", "35.50", "35.50", "0.00", "2026/03/07 09:00:00", "-", "待支付", "-", "周**", "江苏省", "常州市", "-"],
    ["6904", "690401", "西湖龙井 明前特级 100g", "100g", "1", "3301", "TEA-01", "100.00", "100.00", "0.00", "2026/03/07 10:00:00", "2026/03/08 10:00:00", "已关闭", "退款成功", "吴**", "江苏省", "苏州市", "-"],
];

fn douyin_xlsx() -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2026, 3, 10).expect("a date");
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let sheet = book.add_worksheet();
    for (c, h) in DY_HEAD.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("write");
    }
    for (r, row) in DY_ROWS.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Quantities are numbers in the sheet; ids and amounts text, as 抖店 writes them.
            if c == 4 {
                let n: f64 = cell.parse().expect("a number");
                sheet
                    .write_number(r as u32 + 1, c as u16, n)
                    .expect("write");
            } else {
                sheet
                    .write_string(r as u32 + 1, c as u16, *cell)
                    .expect("write");
            }
        }
    }
    book.save_to_buffer().expect("an xlsx")
}
