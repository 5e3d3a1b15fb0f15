//! `targets import`: the targets CSV through the import engine.

use super::{describe, parse_quantity, parse_target_money, target_period, COLUMNS};
use crate::import::{check_key, required, Counts, CsvInput, Importer, Rejects, RowFail, Written};
use crate::store;
use crate::store::targets::{Measures, Scope};
use crate::store::Conn;
use anyhow::Result;
use std::collections::BTreeMap;

pub(super) struct TargetsImport {
    pub(super) today: chrono::NaiveDate,
    pub(super) seen: BTreeMap<(Scope, String, String), u64>,
}

impl Importer for TargetsImport {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["scope", "code", "period"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let mut errors = Vec::new();
        let c_scope = input.column("scope");
        let scope_text = required(input, c_scope, "scope")?;
        let scope = Scope::parse(scope_text);
        if scope.is_none() {
            errors.push(input.error(
                c_scope,
                format!("\"{scope_text}\" is not a scope: region or rep"),
            ));
        }
        let c_code = input.column("code");
        let code = required(input, c_code, "code")?.to_string();
        check_key(input, c_code, &code)?;
        match scope {
            Some(Scope::Region) if !store::regions::exists(conn, &code)? => {
                errors.push(input.error(c_code, format!("no region \"{code}\"")))
            }
            Some(Scope::Rep) if !store::reps::exists(conn, &code)? => {
                errors.push(input.error(c_code, format!("no rep \"{code}\"")))
            }
            _ => {}
        }
        let c_period = input.column("period");
        let today = self.today;
        let period = match required(input, c_period, "period")
            .and_then(|_| input.parse(c_period, |t| target_period(t, today)))
        {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let mut measures = Measures::default();
        match input.parse(input.column("revenue"), parse_target_money) {
            Ok(v) => measures.revenue = v,
            Err(e) => errors.push(e),
        }
        match input.parse(input.column("quantity"), parse_quantity) {
            Ok(v) => measures.quantity = v,
            Err(e) => errors.push(e),
        }
        match input.parse(input.column("profit"), parse_target_money) {
            Ok(v) => measures.profit = v,
            Err(e) => errors.push(e),
        }
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let (Some(scope), Some(period)) = (scope, period) else {
            return Err(input.error(None, "incomplete row".into()).into());
        };
        let key = (scope, code.clone(), period.label());
        if let Some(first) = self.seen.get(&key) {
            return Err(input
                .error(
                    c_period,
                    format!(
                        "{} appears twice (first on line {first})",
                        describe(scope, &code, &period.label())
                    ),
                )
                .into());
        }
        let written = match store::targets::get(conn, scope, &code, &period.label())? {
            None => {
                if measures == Measures::default() {
                    return Err(input
                        .error(
                            None,
                            "a new target needs at least one of revenue, quantity, profit".into(),
                        )
                        .into());
                }
                Written::Created
            }
            Some(old) => {
                let changed = measures.revenue.is_some_and(|v| Some(v) != old.revenue)
                    || measures.quantity.is_some_and(|v| Some(v) != old.quantity)
                    || measures.profit.is_some_and(|v| Some(v) != old.profit);
                if changed {
                    Written::Updated
                } else {
                    Written::Skipped
                }
            }
        };
        if written != Written::Skipped {
            store::targets::upsert(conn, scope, &code, &period, &measures)?;
        }
        self.seen.insert(key, input.line());
        counts.add(written, 1);
        Ok(())
    }
}
