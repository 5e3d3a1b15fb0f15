//! Column headings for people. English headings are the column keys with spaces; `--lang zh` uses
//! Chinese ones. JSON and CSV keys never change with the language.

use crate::domain::values::{
    Channel, CustomerStatus, MediaChannel, MoveKind, OrderStatus, PaymentMethod, ReturnKind, Role,
    TicketChannel, TicketKind, TicketStatus, Tier,
};
use crate::output::Lang;

const ZH: &[(&str, &str)] = &[
    // An order's, a customer's and a product's own fields (`show`), and a history's columns.
    ("approved_by", "审批人"),
    ("ship_date", "发货日期"),
    ("tracking", "运单号"),
    ("delivered_date", "送达日期"),
    ("completed_date", "完成日期"),
    ("cancel_reason", "取消原因"),
    ("unit_price", "单价"),
    ("discount", "折扣"),
    ("tier_locked", "等级锁定"),
    ("first_order", "首单日期"),
    ("follow_ups", "跟进次数"),
    ("old_tier", "原等级"),
    ("new_tier", "新等级"),
    ("sub_regions", "下级大区"),
    ("reps", "销售人员"),
    ("price_since", "现价生效日期"),
    ("price_reason", "调价原因"),
    ("price_changes", "调价次数"),
    ("days", "天数"),
    ("resolved_on", "处理日期"),
    ("code", "编码"),
    ("name", "名称"),
    ("parent", "上级"),
    ("manager", "经理"),
    ("areas", "区域省份"),
    ("region", "大区"),
    ("role", "角色"),
    ("phone", "电话"),
    ("email", "邮箱"),
    ("status", "状态"),
    ("kind", "类型"),
    ("subject", "对象"),
    ("detail", "说明"),
    ("key", "参数"),
    ("value", "值"),
    ("default", "默认值"),
    ("at", "时间"),
    ("user", "用户"),
    ("command", "命令"),
    ("summary", "摘要"),
    ("area", "省份"),
    ("official", "全称"),
    ("excluded", "不经营"),
    ("city", "城市"),
    ("company", "公司"),
    ("channel", "渠道"),
    ("product", "产品"),
    ("segment", "细分"),
    ("owner", "负责人"),
    ("tier", "等级"),
    ("terms_days", "账期天数"),
    ("created", "创建日期"),
    ("sku", "SKU"),
    ("category", "品类"),
    ("unit", "单位"),
    ("list_price", "标价"),
    ("floor_price", "底价"),
    ("cost", "成本"),
    ("order_id", "订单号"),
    ("order_date", "下单日期"),
    ("customer", "客户"),
    ("rep", "销售"),
    ("province", "收货省份"),
    ("lines", "行数"),
    ("quantity", "数量"),
    ("amount", "金额"),
    ("returned", "退货"),
    ("paid", "已付"),
    ("balance", "余额"),
    ("due_date", "到期日"),
    ("days_past_due", "逾期天数"),
    ("date", "日期"),
    ("method", "方式"),
    ("reference", "流水号"),
    ("revenue", "收入"),
    ("returns", "退货额"),
    ("net_revenue", "净收入"),
    ("profit", "利润"),
    ("margin_pct", "毛利率%"),
    ("orders", "订单数"),
    ("customers", "客户数"),
    ("new_customers", "新客户"),
    ("target_revenue", "目标收入"),
    ("actual", "实际"),
    ("target", "目标"),
    ("target_quantity", "目标数量"),
    ("target_profit", "目标利润"),
    ("achievement_pct", "达成率%"),
    ("band", "评级"),
    ("rank", "排名"),
    ("gap", "差额"),
    ("projected", "预计"),
    ("needed_per_day", "日均所需"),
    ("period", "期间"),
    ("scope", "范围"),
    ("total", "合计"),
    ("field", "项目"),
    ("measure", "指标"),
    ("prev_net_revenue", "上期净收入"),
    ("change_pct", "环比%"),
    ("last_year_net_revenue", "去年同期净收入"),
    ("yoy_pct", "同比%"),
    ("as_of", "截至"),
    ("outstanding", "未收"),
    ("overdue", "逾期"),
    ("not_due", "未到期"),
    ("count", "数量"),
    ("universe", "区划"),
    ("suspended_until", "停权至"),
    ("id", "编号"),
    // After-sales service.
    ("assignee", "处理人"),
    ("opened_at", "受理时间"),
    ("responded_at", "响应时间"),
    ("resolved_at", "解决时间"),
    ("closed_at", "关闭时间"),
    ("satisfaction", "满意度"),
    ("response_due", "响应时限"),
    ("resolve_due", "解决时限"),
    ("first_resolved_at", "首次解决时间"),
    ("reopened", "重开"),
    ("event", "事件"),
    ("note", "备注"),
    ("opened", "受理数"),
    ("responded", "已响应"),
    ("response_on_time_pct", "响应及时率%"),
    ("resolved", "已解决"),
    ("resolve_on_time_pct", "处理及时率%"),
    ("complaints", "投诉数"),
    ("complaint_resolution_pct", "投诉解决率%"),
    ("satisfaction_avg", "平均满意度"),
    ("satisfied_pct", "满意率%"),
    ("median_response_hours", "响应时长中位数(小时)"),
    ("line_no", "行号"),
    ("effective", "生效日期"),
    ("reason", "原因"),
    ("old_list_price", "原标价"),
    ("new_list_price", "新标价"),
    ("list_change_pct", "标价变动%"),
    ("old_floor_price", "原底价"),
    ("new_floor_price", "新底价"),
    ("old_cost", "原成本"),
    ("new_cost", "新成本"),
    ("change", "变动"),
    ("action", "处理"),
    ("suggested_action", "建议处理"),
    // Campaigns and carriers.
    ("campaign", "推广活动"),
    ("start", "开始日期"),
    ("end", "结束日期"),
    ("budget", "预算"),
    ("spend", "花费"),
    ("budget_used_pct", "预算使用%"),
    ("impressions", "展现量"),
    ("clicks", "点击量"),
    ("ctr_pct", "点击率%"),
    ("visits", "访问量"),
    ("leads", "线索"),
    ("conversion_pct", "转化率%"),
    ("roas", "投入产出比"),
    ("roi_pct", "投资回报率%"),
    ("cost_per_order", "单均成本"),
    ("cac", "获客成本"),
    ("spend_to_date", "累计花费"),
    ("days_recorded", "记录天数"),
    ("carrier", "承运商"),
    ("promise_days", "承诺天数"),
    ("shipments", "发货单数"),
    ("delivered", "已送达"),
    ("on_time", "准时"),
    ("on_time_pct", "准时率%"),
    ("avg_days", "平均天数"),
    ("late", "延误"),
    ("in_transit", "在途"),
    ("freight", "运费"),
    ("freight_per_shipment", "单均运费"),
    ("freight_pct", "运费占比%"),
    ("quality_returns", "质量退货"),
    // Stock.
    ("warehouse", "仓库"),
    ("serves", "服务大区"),
    ("opened", "启用日期"),
    ("on_hand", "在库"),
    ("reserved", "已占用"),
    ("available", "可用"),
    ("reorder_at", "补货点"),
    ("note", "备注"),
    ("opening", "期初"),
    ("received", "入库"),
    ("shipped", "发货"),
    ("adjusted", "盘点调整"),
    ("transferred", "调拨净额"),
    ("closing", "期末"),
    ("closing_value", "期末金额"),
    // The scorecard: its indicators, grade and what cost the most points.
    ("achievement", "达成率"),
    ("margin", "毛利率"),
    ("violations", "价格违规"),
    ("response_on_time", "响应及时率"),
    ("on_time_delivery", "准时交付"),
    ("campaign_roi", "推广回报"),
    ("qualitative", "定性评价"),
    ("achievement_value", "达成率%"),
    ("margin_value", "毛利率%"),
    ("overdue_value", "逾期率%"),
    ("violations_value", "违规次数"),
    ("response_on_time_value", "响应及时率%"),
    ("satisfaction_value", "满意度均分"),
    ("on_time_delivery_value", "准时交付率%"),
    ("campaign_roi_value", "推广回报率%"),
    ("qualitative_value", "定性评分"),
    ("grade", "等级"),
    ("pulled_down", "主要失分"),
    ("score", "评分"),
    ("rated_on", "评定日期"),
];

pub fn label(key: &str, lang: Lang) -> String {
    if lang == Lang::Zh {
        if let Some((_, zh)) = ZH.iter().find(|(k, _)| *k == key) {
            return (*zh).to_string();
        }
    }
    key.replace('_', " ")
}

/// Coded values people read in a report (bands, tiers, channels, finding kinds, the unassigned
/// region): Chinese words with `--lang zh`,
/// the code itself otherwise. CSV and JSON keep the code, which is what import and scripts read.
const ZH_VALUES: &[(&str, &str, &str)] = &[
    ("band", "excellent", "优秀"),
    ("band", "achieved", "达成"),
    ("band", "warning", "预警"),
    ("band", "under", "未达成"),
    ("status", "suspended", "停职"),
    ("status", "left", "离职"),
    ("kind", "below_floor", "低于底价"),
    ("kind", "below_cost", "低于成本"),
    ("kind", "unapproved_discount", "折扣未经审批"),
    ("kind", "over_max_discount", "超过最高折扣"),
    ("kind", "off_list", "高于标价"),
    ("kind", "regional_spread", "区域价差"),
    ("kind", "market_below_floor", "市场价低于底价"),
    ("kind", "over_budget", "超出预算"),
    ("kind", "no_orders", "无订单"),
    ("kind", "stuck", "滞留"),
    ("kind", "late_rate", "准时率过低"),
    ("name", "(unassigned)", "（未分配）"),
    // After-sales service: findings and timeline events (kinds and states are stored words).
    ("kind", "response_overdue", "响应超时"),
    ("kind", "resolution_overdue", "解决超时"),
    ("kind", "unassigned", "未分派"),
    ("event", "opened", "受理"),
    ("event", "assigned", "分派"),
    ("event", "responded", "响应"),
    ("event", "resolved", "解决"),
    ("event", "closed", "关闭"),
    ("event", "reopened", "重开"),
    // The total row, whatever column heads it (a listing's name, receivables' customer, a trend's
    // region, rep, product or channel).
    ("*", "(total)", "合计"),
    // Whom a target is for (`targets list`).
    ("scope", "region", "大区"),
    // The violations ledger's actions (警告、罚款、停权).
    ("action", "dismiss", "撤销"),
    ("action", "warning", "警告"),
    ("action", "fine", "罚款"),
    ("action", "suspend", "停权"),
    ("suggested_action", "dismiss", "撤销"),
    ("suggested_action", "warning", "警告"),
    ("suggested_action", "fine", "罚款"),
    ("suggested_action", "suspend", "停权"),
    // A price's reason when it was first set.
    ("reason", "initial", "初始定价"),
    ("price_reason", "initial", "初始定价"),
    ("scope", "rep", "销售"),
    ("kind", "negative", "负库存"),
    // The other checks' finding kinds (customers, regions, targets, db check).
    ("kind", "no_owner", "无负责人"),
    ("kind", "duplicate", "疑似重复"),
    ("kind", "uncovered", "省份未覆盖"),
    ("kind", "sla", "跟进超时"),
    ("kind", "inactive_owner", "负责人不在职"),
    ("kind", "gap", "省份无大区"),
    ("kind", "unassigned_orders", "订单无大区"),
    ("kind", "empty_region", "空大区"),
    ("kind", "no_manager", "无经理"),
    ("kind", "months_mismatch", "月度目标不符"),
    ("kind", "quarters_mismatch", "季度目标不符"),
    ("kind", "reps_mismatch", "销售目标不符"),
    ("kind", "missing", "缺少目标"),
    ("kind", "order_totals", "订单合计不符"),
    ("kind", "order_balance", "订单余额不符"),
    ("kind", "order_settled", "结清日期不符"),
    ("kind", "first_order", "首单日期不符"),
    ("kind", "region_cycle", "大区循环"),
    ("kind", "rollup", "汇总不符"),
    ("kind", "type", "类型错误"),
    ("kind", "unreadable", "无法读取"),
    ("kind", "ticket_times", "工单时间不符"),
    ("kind", "short", "库存不足"),
    ("kind", "reorder", "需补货"),
];

/// The Chinese name of a stored word (tier, channel, status, role, method, return kind), from the
/// domain's one list of them (`domain::values`), which also reads them back from files and flags.
fn stored_word_zh(column: &str, value: &str) -> Option<&'static str> {
    fn zh<T: std::str::FromStr>(value: &str, name: fn(T) -> &'static str) -> Option<&'static str> {
        value.parse::<T>().ok().map(name)
    }
    match column {
        "tier" | "old_tier" | "new_tier" => zh(value, Tier::zh),
        "channel" => zh(value, Channel::zh)
            .or_else(|| zh(value, TicketChannel::zh))
            .or_else(|| zh(value, MediaChannel::zh)),
        "status" => zh(value, OrderStatus::zh)
            .or_else(|| zh(value, CustomerStatus::zh))
            .or_else(|| zh(value, TicketStatus::zh)),
        "role" => zh(value, Role::zh),
        "method" => zh(value, PaymentMethod::zh),
        "kind" => zh(value, ReturnKind::zh)
            .or_else(|| zh(value, TicketKind::zh))
            .or_else(|| zh(value, MoveKind::zh)),
        _ => None,
    }
}

/// Any stored word in Chinese, whatever column it is from: the words that fill a message's values
/// (`key customer without an owner`, `order SO-1 is shipped: …`).
pub fn word_zh(value: &str) -> Option<&'static str> {
    ["tier", "channel", "status", "role", "method", "kind"]
        .iter()
        .find_map(|column| stored_word_zh(column, value))
}

pub fn value_label(column: &str, value: &str, lang: Lang) -> String {
    if column == "pulled_down" {
        // `overdue -6.0`: the indicator's name as its column is headed, the points as they are.
        if let Some((name, points)) = value.rsplit_once(' ') {
            return format!("{} {points}", label(name, lang));
        }
    }
    if lang == Lang::Zh {
        // Findings' text: the sentence from the message catalogue (a subject such as `region N`
        // reads the same way; a bare code is not in it and stays).
        if matches!(column, "detail" | "subject") {
            return crate::messages::tr(value, lang);
        }
        // A yes/no column (an area `excluded`).
        match value {
            "true" => return "是".to_string(),
            "false" => return "否".to_string(),
            _ => {}
        }
        if let Some(zh) = stored_word_zh(column, value) {
            return zh.to_string();
        }
        if let Some((_, _, zh)) = ZH_VALUES
            .iter()
            .find(|(c, v, _)| (*c == column || *c == "*") && *v == value)
        {
            return (*zh).to_string();
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_values_read_in_the_report_language() {
        assert_eq!(value_label("tier", "key", Lang::Zh), "关键");
        assert_eq!(value_label("kind", "off_list", Lang::Zh), "高于标价");
        assert_eq!(value_label("name", "(unassigned)", Lang::Zh), "（未分配）");
        assert_eq!(value_label("kind", "off_list", Lang::En), "off_list");
        assert_eq!(value_label("band", "under", Lang::Zh), "未达成");
        assert_eq!(value_label("tier", "key", Lang::En), "key");
        assert_eq!(value_label("name", "key", Lang::Zh), "key");
        assert_eq!(value_label("channel", "agent", Lang::Zh), "代理");
        assert_eq!(value_label("status", "shipped", Lang::Zh), "已发货");
        assert_eq!(value_label("status", "lead", Lang::Zh), "线索");
        assert_eq!(value_label("status", "left", Lang::Zh), "离职");
        assert_eq!(value_label("method", "alipay", Lang::Zh), "支付宝");
        assert_eq!(value_label("new_tier", "important", Lang::Zh), "重要");
        assert_eq!(value_label("excluded", "false", Lang::Zh), "否");
        assert_eq!(value_label("excluded", "false", Lang::En), "false");
        assert_eq!(word_zh("key"), Some("关键"));
        assert_eq!(word_zh("NORTH"), None);
    }
}
