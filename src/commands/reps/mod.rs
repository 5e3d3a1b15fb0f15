//! `reps …`: salespeople, their roles, suspensions and departures.

use std::collections::BTreeMap;

use crate::store::Conn;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Subcommand;
use serde_json::Value;

use super::clean_code;
use crate::context::Context;
use crate::domain::date::parse_date;
use crate::import::{
    self, finish_import, Counts, CsvInput, ImportOptions, Importer, Rejects, RowFail, Written,
};
use crate::output::Format;
use crate::output::{opt, s, Outcome, Records};
use crate::store::{
    self,
    reps::{NewRep, Rep, RepField},
};

#[derive(Subcommand, Debug)]
pub enum RepsCommand {
    /// Add a rep
    Add {
        code: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        region: Option<String>,
        /// rep, supervisor or manager
        #[arg(long, value_parser = ROLES)]
        role: Option<String>,
        /// The rep's superior (a rep code)
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// List reps with their status as of today
    List {
        #[arg(long)]
        region: Option<String>,
        /// active, suspended or left
        #[arg(long)]
        status: Option<String>,
    },
    /// One rep
    Show { code: String },
    /// Change a rep; --left records a departure, --active undoes it
    Edit {
        code: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long, value_parser = ROLES)]
        role: Option<String>,
        #[arg(long, conflicts_with = "no_manager")]
        manager: Option<String>,
        #[arg(long)]
        no_manager: bool,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
        /// The rep has left the company (from today)
        #[arg(long, conflicts_with = "active")]
        left: bool,
        /// The rep is back
        #[arg(long)]
        active: bool,
    },
    /// Remove a rep (refused while customers, orders, targets or other reps refer to it)
    Remove { code: String },
    /// Suspend a rep's right to sell through a date
    Suspend {
        code: String,
        /// Last day of the suspension
        #[arg(long)]
        until: String,
        #[arg(long)]
        reason: String,
    },
    /// End a rep's suspension today
    Reinstate { code: String },
    /// Import reps from CSV (code, name, region, role, manager, phone, email, status)
    Import(ImportOptions),
    /// Export reps as CSV
    Export,
}

const ROLES: [&str; 3] = ["rep", "supervisor", "manager"];
const COLUMNS: &[&str] = &[
    "code", "name", "region", "role", "manager", "phone", "email", "status",
];

pub fn run(ctx: &Context, cmd: RepsCommand) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match cmd {
        RepsCommand::Add {
            code,
            name,
            region,
            role,
            manager,
            phone,
            email,
        } => (
            add(ctx, code, name, region, role, manager, phone, email)?,
            table,
        ),
        RepsCommand::List { region, status } => {
            (Outcome::records(list(ctx, region, status)?), table)
        }
        RepsCommand::Export => (Outcome::records(list(ctx, None, None)?), Format::Csv),
        RepsCommand::Show { code } => (show(ctx, &code)?, table),
        RepsCommand::Edit {
            code,
            name,
            region,
            role,
            manager,
            no_manager,
            phone,
            email,
            left,
            active,
        } => {
            let edit = Edit {
                name,
                region,
                role,
                manager: if no_manager {
                    Some(None)
                } else {
                    manager.map(Some)
                },
                phone,
                email,
                left: super::switch(left, active),
            };
            (edit_rep(ctx, &code, edit)?, table)
        }
        RepsCommand::Remove { code } => (remove(ctx, &code)?, table),
        RepsCommand::Suspend {
            code,
            until,
            reason,
        } => (suspend(ctx, &code, &until, &reason)?, table),
        RepsCommand::Reinstate { code } => (reinstate(ctx, &code)?, table),
        RepsCommand::Import(opts) => (import_file(ctx, &opts)?, table),
    })
}

fn rep_row(r: Rep) -> Vec<Value> {
    vec![
        s(r.code),
        s(r.name),
        s(r.region),
        s(r.role),
        opt(r.manager),
        opt(r.phone),
        opt(r.email),
        s(r.status),
    ]
}

fn list(ctx: &Context, region: Option<String>, status: Option<String>) -> Result<Records> {
    let db = ctx.open()?;
    let regions = match &region {
        Some(r) => {
            store::regions::must_get(&db, r)?;
            Some(store::regions::descendants(&db, r)?)
        }
        None => None,
    };
    let mut out = Records::new(COLUMNS);
    for r in store::reps::list(&db, ctx.today)? {
        if regions.as_ref().is_some_and(|rs| !rs.contains(&r.region))
            || status.as_ref().is_some_and(|st| *st != r.status)
        {
            continue;
        }
        out.push(rep_row(r));
    }
    Ok(out)
}

fn show(ctx: &Context, code: &str) -> Result<Outcome> {
    let db = ctx.open()?;
    let rep = store::reps::must_get(&db, code, ctx.today)?;
    // An open-ended suspension (imported as `suspended`) has no end date to show.
    let until = rep
        .suspended_until
        .clone()
        .filter(|u| !u.starts_with("9999"));
    let mut columns = COLUMNS.to_vec();
    columns.push("suspended_until");
    let mut out = Records::new(&columns);
    let mut row = rep_row(rep);
    row.push(opt(until));
    out.push(row);
    Ok(Outcome::record(out))
}

#[allow(clippy::too_many_arguments)]
fn add(
    ctx: &Context,
    code: String,
    name: Option<String>,
    region: Option<String>,
    role: Option<String>,
    manager: Option<String>,
    phone: Option<String>,
    email: Option<String>,
) -> Result<Outcome> {
    let code = clean_code(&code, "rep")?;
    let mut db = ctx.open()?;
    let name = ctx.require_text(name, "--name", "Name")?;
    let region = ctx.require_choice(
        region,
        "--region",
        "Region",
        &store::regions::names(&db)?
            .into_iter()
            .map(|(c, n)| (c.clone(), format!("{c}  {n}")))
            .collect::<Vec<_>>(),
    )?;
    let role = role.unwrap_or_else(|| "rep".into());
    let tx = db.begin()?;
    if store::reps::exists(&tx, &code)? {
        crate::bail_input!("rep \"{code}\" exists already (change it with `salesops reps edit`)");
    }
    store::regions::must_get(&tx, &region)?;
    if let Some(m) = &manager {
        store::reps::must_get(&tx, m, ctx.today)?;
    }
    store::reps::insert(
        &tx,
        &NewRep {
            code: &code,
            name: name.trim(),
            region: &region,
            role: &role,
            manager: manager.as_deref(),
            phone: phone.as_deref(),
            email: email.as_deref(),
        },
    )?;
    ctx.audit(&tx, &format!("rep {code} added"))?;
    tx.commit()?;
    Ok(Outcome::text(code))
}

struct Edit {
    name: Option<String>,
    region: Option<String>,
    role: Option<String>,
    manager: Option<Option<String>>,
    phone: Option<String>,
    email: Option<String>,
    left: Option<bool>,
}

fn edit_rep(ctx: &Context, code: &str, edit: Edit) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    store::reps::must_get(&tx, code, ctx.today)?;
    if let Some(r) = &edit.region {
        store::regions::must_get(&tx, r)?;
    }
    if let Some(Some(m)) = &edit.manager {
        if m == code {
            crate::bail_input!("a rep cannot be their own manager");
        }
        store::reps::must_get(&tx, m, ctx.today)?;
    }
    let today = ctx.today.to_string();
    let sets: [(RepField, Option<Option<&str>>); 7] = [
        (RepField::Name, edit.name.as_deref().map(|n| Some(n.trim()))),
        (RepField::Region, edit.region.as_deref().map(Some)),
        (RepField::Role, edit.role.as_deref().map(Some)),
        (
            RepField::Manager,
            edit.manager.as_ref().map(|m| m.as_deref()),
        ),
        (RepField::Phone, edit.phone.as_deref().map(Some)),
        (RepField::Email, edit.email.as_deref().map(Some)),
        (
            RepField::LeftOn,
            edit.left
                .map(|l| if l { Some(today.as_str()) } else { None }),
        ),
    ];
    for (field, value) in sets {
        if let Some(v) = value {
            store::reps::set_field(&tx, code, field, v)?;
        }
    }
    ctx.audit(&tx, &format!("rep {code} edited"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("rep {code} updated")))
}

fn remove(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let rep = store::reps::must_get(&db, code, ctx.today)?;
    let refs = store::reps::referrers(&db, code)?;
    super::remove_record(
        ctx,
        &mut db,
        &format!("rep {code}"),
        &refs,
        &format!("reassign them, or record the departure with `salesops reps edit {code} --left`"),
        &format!("remove rep {code} {}", rep.name),
        |tx| {
            store::reps::delete(tx, code)?;
            Ok(format!("rep {code} removed"))
        },
    )
}

fn suspend(ctx: &Context, code: &str, until: &str, reason: &str) -> Result<Outcome> {
    let until = parse_date(until).map_err(|e| crate::error::usage(format!("--until: {e}")))?;
    if until < ctx.today {
        crate::bail_input!("--until {until} is before today ({})", ctx.today);
    }
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    let rep = store::reps::must_get(&tx, code, ctx.today)?;
    if rep.status == "left" {
        crate::bail_input!("rep {code} has left the company");
    }
    store::reps::suspend(&tx, code, ctx.today, until, reason, None)?;
    ctx.audit(
        &tx,
        &format!("rep {code} suspended through {until}: {reason}"),
    )?;
    tx.commit()?;
    Ok(Outcome::text(format!(
        "rep {code} suspended through {until}"
    )))
}

fn reinstate(ctx: &Context, code: &str) -> Result<Outcome> {
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    store::reps::must_get(&tx, code, ctx.today)?;
    let lifted = store::reps::reinstate(&tx, code, ctx.today)?;
    if lifted == 0 {
        return Ok(Outcome::text(format!("rep {code} was not suspended")));
    }
    ctx.audit(&tx, &format!("rep {code} reinstated"))?;
    tx.commit()?;
    Ok(Outcome::text(format!("rep {code} reinstated")))
}

fn import_file(ctx: &Context, opts: &ImportOptions) -> Result<Outcome> {
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
        let name = input.cell(input.column("name"))?;
        let c_region = input.column("region");
        let region = input.cell(c_region)?;
        if let Some(r) = region {
            if !store::regions::exists(conn, r)? {
                errors.push(input.error(c_region, format!("no region \"{r}\"")));
            }
        }
        let c_role = input.column("role");
        let role = input.cell(c_role)?;
        if let Some(r) = role {
            if !ROLES.contains(&r) {
                errors.push(input.error(
                    c_role,
                    format!("\"{r}\" is not a role: rep, supervisor or manager"),
                ));
            }
        }
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
        let manager = input.cell(input.column("manager"))?;
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
                        role: role.unwrap_or("rep"),
                        manager: None,
                        phone: input.cell(input.column("phone"))?,
                        email: input.cell(input.column("email"))?,
                    },
                )?;
                Written::Created
            }
            Some(old) => {
                let fields: [(RepField, Option<&str>, Option<&str>); 5] = [
                    (RepField::Name, name, Some(old.name.as_str())),
                    (RepField::Region, region, Some(old.region.as_str())),
                    (RepField::Role, role, Some(old.role.as_str())),
                    (
                        RepField::Phone,
                        input.cell(input.column("phone"))?,
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
