//! A phone, code or other key that Excel turned into scientific notation (`1.38E+10`, or an .xlsx
//! number cell above 2^53) has lost its digits: it is refused like a bad key (exit 3, file, line,
//! column, value, and a hint to format the column as text), never turned into digits.

mod common;

use common::{Company, Env};

const HINT: &str = "is a number Excel wrote in scientific notation: its digits are lost; format the column as text (设置单元格格式 → 文本), type the digits again and save";

fn company() -> Env {
    Company::new()
        .region("S", "华南")
        .assign("S", &["广东"])
        .rep("R1", "李四", "S")
        .build()
}

#[test]
fn a_customers_phone_in_scientific_notation_is_refused() {
    let env = company();
    env.write(
        "customers.csv",
        "code,name,area,phone\nC1,张三贸易,广东,13800138000\nC2,李四商行,广东,1.38E+10\n",
    );
    let err = env.err(&["customers", "import", "customers.csv"], 3);
    assert!(
        err.contains(&format!(
            "customers.csv:3: column \"phone\": \"1.38E+10\" {HINT}"
        )),
        "{err}"
    );
    // Nothing written; the right phone of the other row is kept as digits once the file is fixed.
    assert_eq!(env.json(&["customers", "list"]), serde_json::json!([]));
    env.write(
        "customers.csv",
        "code,name,area,phone\nC1,张三贸易,广东,13800138000\n",
    );
    env.ok(&["customers", "import", "customers.csv"]);
    assert_eq!(
        env.json(&["customers", "show", "C1"])["phone"],
        "13800138000"
    );
}

#[test]
fn a_reps_phone_and_references_in_scientific_notation_are_refused() {
    let env = company();
    env.write(
        "reps.csv",
        "code,name,region,phone\nR2,王五,S,1.3800138E+10\n",
    );
    let err = env.err(&["reps", "import", "reps.csv"], 3);
    assert!(
        err.contains(&format!(
            "reps.csv:2: column \"phone\": \"1.3800138E+10\" {HINT}"
        )),
        "{err}"
    );
    env.write("reps.csv", "code,name,region\n1.23457E+17,王五,S\n");
    let err = env.err(&["reps", "import", "reps.csv"], 3);
    assert!(
        err.contains("reps.csv:2: column \"code\": \"1.23457E+17\""),
        "{err}"
    );
    env.write("customers.csv", "code,name,owner\nC1,张三贸易,1E+16\n");
    let err = env.err(&["customers", "import", "customers.csv"], 3);
    assert!(
        err.contains(&format!(
            "customers.csv:2: column \"owner\": \"1E+16\" {HINT}"
        )),
        "{err}"
    );
    assert_eq!(env.column(&["reps", "list"], "code"), ["R1"]);
}

#[test]
fn skipped_rows_carry_the_reason_into_the_rejects_file() {
    let env = company();
    env.write(
        "customers.csv",
        "code,name,area,phone\nC1,张三贸易,广东,13800138000\nC2,李四商行,广东,1.38E+10\n",
    );
    env.ok(&["customers", "import", "customers.csv", "--skip-invalid"]);
    assert_eq!(env.column(&["customers", "list"], "code"), ["C1"]);
    let rejects = std::fs::read_to_string(env.path("customers.rejects.csv")).expect("rejects");
    assert!(rejects.contains("C2,李四商行,广东,1.38E+10"), "{rejects}");
    assert!(rejects.contains("scientific notation"), "{rejects}");
}

#[test]
fn an_xlsx_number_above_2_53_in_a_key_column_is_refused() {
    let env = company();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["code", "name", "area", "phone"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("write");
    }
    // An 18-digit customer number saved as a number: Excel keeps 15 significant digits.
    sheet
        .write_number(1, 0, 261_234_567_890_123_456.0)
        .expect("number");
    sheet.write_string(1, 1, "张三贸易").expect("write");
    sheet.write_string(1, 2, "广东").expect("write");
    // An 11-digit phone saved as a number is exact: kept as its digits.
    sheet.write_number(1, 3, 13_800_138_000.0).expect("number");
    book.save(env.path("customers.xlsx")).expect("save");
    let err = env.err(&["customers", "import", "customers.xlsx"], 3);
    assert!(
        err.contains(&format!(
            "customers.xlsx:2: column \"code\": \"2.6123456789012346E+17\" {HINT}"
        )),
        "{err}"
    );
    sheet_with_code(&env);
    env.ok(&["customers", "import", "customers.xlsx"]);
    assert_eq!(
        env.json(&["customers", "show", "C1"])["phone"],
        "13800138000"
    );
}

/// The same workbook with its code typed as text.
fn sheet_with_code(env: &Env) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["code", "name", "area", "phone"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("write");
    }
    sheet.write_string(1, 0, "C1").expect("write");
    sheet.write_string(1, 1, "张三贸易").expect("write");
    sheet.write_string(1, 2, "广东").expect("write");
    sheet.write_number(1, 3, 13_800_138_000.0).expect("number");
    book.save(env.path("customers.xlsx")).expect("save");
}
