//! `reps import`: reps from CSV; managers are set once every row is in, so a file may name a manager
//! before the manager's own row.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;

use super::COLUMNS;
use crate::context::Context;
use crate::domain::values::{or_list, Role};
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowFail, Written,
};
use crate::output::Outcome;
use crate::store::{
    self,
    reps::{NewRep, RepField},
    Conn,
};

pub(super) fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let mut importer = RepsImport {
        today: ctx.today,
        seen: BTreeMap::new(),
        pending_managers: Vec::new(),
    };
    let report = import::run(ctx, &tx, opts, &mut importer)?;
    finish_import(ctx, tx, opts, &report, "reps")
}

struct PendingManager {
    code: String,
    manager: String,
    line: u64,
    /// The manager column as the file names it, and the row as read, for the rejects file.
    column: Option<String>,
    raw: Vec<String>,
}

struct RepsImport {
    today: NaiveDate,
    seen: BTreeMap<String, u64>,
    /// Managers named before their own row: set once every row is in.
    pending_managers: Vec<PendingManager>,
}

impl Importer for RepsImport {
    fn fields(&self) -> &'static [&'static str] {
        COLUMNS
    }
    fn required(&self) -> &'static [&'static str] {
        &["code", "name", "region"]
    }

    fn row(
        &mut self,
        conn: &Conn,
        input: &CsvInput,
        counts: &mut Counts,
        _rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        let code = import::row_key(input, "code", &self.seen)?;
        let mut errors = Vec::new();
        let name = import::name_cell(input, "name")?;
        let name = name.as_deref();
        let c_region = input.column("region");
        let region = import::key_text(input, "region")?;
        if let Some(r) = region {
            if !store::regions::exists(conn, r)? {
                errors.push(input.error(c_region, format!("no region \"{r}\"")));
            }
        }
        let c_role = input.column("role");
        let role: Option<Role> = import::word(input, c_role, &mut errors, |r| {
            format!("\"{r}\" is not a role: {}", or_list(&Role::words()))
        })?;
        let c_status = input.column("status");
        let status = input.cell(c_status)?;
        if let Some(st) = status {
            if !["active", "suspended", "left"].contains(&st) {
                errors.push(input.error(
                    c_status,
                    format!("\"{st}\" is not a status: active, suspended or left"),
                ));
            }
        }
        let manager = import::key_text(input, "manager")?;
        if !errors.is_empty() {
            return Err(RowFail::Invalid(errors));
        }
        let existing = store::reps::get(conn, &code, self.today)?;
        let written = match &existing {
            None => {
                let Some(region) = region else {
                    return Err(input
                        .error(c_region, "region is required for a new rep".into())
                        .into());
                };
                store::reps::insert(
                    conn,
                    &NewRep {
                        code: &code,
                        name: name.unwrap_or(&code),
                        region,
                        role: role.unwrap_or(Role::Rep),
                        manager: None,
                        phone: import::key_text(input, "phone")?,
                        email: input.cell(input.column("email"))?,
                    },
                )?;
                Written::Created
            }
            Some(old) => {
                let fields: [(RepField, Option<&str>, Option<&str>); 4] = [
                    (RepField::Name, name, Some(old.name.as_str())),
                    (RepField::Region, region, Some(old.region.as_str())),
                    (
                        RepField::Phone,
                        import::key_text(input, "phone")?,
                        old.phone.as_deref(),
                    ),
                    (
                        RepField::Email,
                        input.cell(input.column("email"))?,
                        old.email.as_deref(),
                    ),
                ];
                let mut changed = false;
                for (field, new, old) in fields {
                    if let Some(v) = new {
                        if Some(v) != old {
                            store::reps::set_field(conn, &code, field, Some(v))?;
                            changed = true;
                        }
                    }
                }
                if let Some(r) = role.filter(|r| *r != old.role) {
                    store::reps::set_role(conn, &code, r)?;
                    changed = true;
                }
                changed |= manager.is_some_and(|m| Some(m) != old.manager.as_deref());
                changed |= status.is_some_and(|st| st != old.status);
                if changed {
                    Written::Updated
                } else {
                    Written::Skipped
                }
            }
        };
        if let Some(st) = status {
            let current = existing
                .as_ref()
                .map(|r| r.status.as_str())
                .unwrap_or("active");
            self.apply_status(conn, &code, current, st)?;
        }
        if let Some(m) = manager {
            self.pending_managers.push(PendingManager {
                code: code.clone(),
                manager: m.to_string(),
                line: input.line(),
                column: input
                    .column("manager")
                    .and_then(|i| input.raw_header().get(i).cloned()),
                raw: input.raw_fields(),
            });
        }
        self.seen.insert(code, input.line());
        counts.add(written, 1);
        Ok(())
    }

    fn finish(
        &mut self,
        conn: &Conn,
        counts: &mut Counts,
        rejects: &mut Rejects,
    ) -> Result<(), RowFail> {
        for p in &self.pending_managers {
            let message = if p.manager == p.code {
                "a rep cannot be their own manager".to_string()
            } else if store::reps::exists(conn, &p.manager)? {
                store::reps::set_field(conn, &p.code, RepField::Manager, Some(&p.manager))?;
                continue;
            } else {
                format!("no rep \"{}\"", p.manager)
            };
            // With --skip-invalid the rest of the row is kept (without the manager); the row goes to
            // the rejects file so that, fixed and imported again, it sets the manager.
            counts.rejected += 1;
            rejects.record(
                vec![import::RowError {
                    line: p.line,
                    column: p.column.clone(),
                    message,
                }],
                &[(p.line, p.raw.clone())],
            )?;
        }
        Ok(())
    }
}

impl RepsImport {
    /// `left` records a departure today, `active` undoes one, `suspended` starts an open-ended
    /// suspension unless one is running (lift it with `reps reinstate`).
    fn apply_status(
        &self,
        conn: &Conn,
        code: &str,
        current: &str,
        wanted: &str,
    ) -> Result<(), RowFail> {
        if current == wanted {
            return Ok(());
        }
        let today = self.today.to_string();
        match wanted {
            "left" => store::reps::set_field(conn, code, RepField::LeftOn, Some(&today))?,
            "active" => {
                store::reps::set_field(conn, code, RepField::LeftOn, None)?;
                store::reps::reinstate(conn, code, self.today)?;
            }
            _ => {
                store::reps::set_field(conn, code, RepField::LeftOn, None)?;
                let open_end = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(self.today);
                store::reps::suspend(
                    conn,
                    code,
                    self.today,
                    open_end,
                    "imported as suspended",
                    None,
                )?;
            }
        }
        Ok(())
    }
}
