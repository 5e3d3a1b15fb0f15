//! `init`, `backup`, `db check`, `audit`, `completions`.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Subcommand;

use crate::context::Context;
use crate::domain::area::Universe;
use crate::domain::period::Period;
use crate::output::{opt, s, Outcome, Records};
use crate::store;

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Areas to load into a new database: the provinces of China (default), the US states, or none
    #[arg(long, value_parser = ["cn", "us", "none"])]
    pub areas: Option<String>,
    /// Make the file group-writable (0660) for a team sharing it
    #[arg(long)]
    pub shared: bool,
}

pub fn init(ctx: &Context, args: InitArgs) -> Result<Outcome> {
    let requested: Option<Universe> = args
        .areas
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(crate::error::usage)?;
    let (mut db, created) = store::create(&ctx.db, args.shared)?;
    let migrated = db.migrated_from;
    let tx = db.begin()?;
    let loaded = store::settings::get(&tx, "areas")?;
    let mut added = 0;
    match (&loaded, requested) {
        (None, _) => {
            let universe = requested.unwrap_or(Universe::Cn);
            added = store::areas::load_universe(&tx, universe)?;
            store::settings::set(&tx, "areas", universe.as_str())?;
        }
        (Some(prev), Some(u)) if prev != u.as_str() => {
            crate::bail_usage!(
                "{} was created with --areas {prev}; add other areas with `salesops areas add`",
                ctx.db
            );
        }
        _ => {}
    }
    ctx.audit(&tx, &format!("init: {added} areas loaded"))?;
    tx.commit()?;
    let what = match (created, migrated) {
        (true, _) => "created".to_string(),
        (false, Some(from)) => format!("migrated from schema version {from}"),
        (false, None) => "up to date".to_string(),
    };
    Ok(Outcome::text(format!(
        "{} {what} (schema version {}, {} areas)",
        ctx.db,
        store::SCHEMA_VERSION,
        store::areas::list(&db, false)?.len()
    )))
}

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// Where to write the copy
    pub file: PathBuf,
}

pub fn backup(ctx: &Context, args: BackupArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let file = &args.file;
    if ctx
        .db
        .files()
        .iter()
        .any(|f| crate::output::same_file(file, f))
    {
        crate::bail_usage!(
            "backup: {} is the database itself (or a file of it): name another file",
            file.display()
        );
    }
    crate::output::check_replaceable(file)?;
    if std::fs::symlink_metadata(file).is_ok() {
        ctx.confirm(&format!("overwrite {}", file.display()))?;
    }
    // The copy is made beside the target with the database's own mode (a private database has
    // private backups) and renamed over it, so a failed backup never leaves half a file.
    let mode = ctx
        .db
        .file()
        .and_then(|f| std::fs::metadata(f).ok())
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777)
        .unwrap_or(0o600);
    let temp = crate::output::temp_path_beside(file, mode)?;
    store::backup(&db, &temp).with_context(|| {
        format!(
            "cannot write the backup {} (nothing was written)",
            file.display()
        )
    })?;
    crate::output::persist_over(temp, file)?;
    Ok(Outcome::text(format!(
        "backup written to {}",
        file.display()
    )))
}

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Integrity, foreign keys and the product's own invariants; exit 4 on findings
    Check,
    /// Copy the whole database into a new one of either engine (a file, or an empty PostgreSQL
    /// database), in one transaction
    Copy(CopyArgs),
}

#[derive(clap::Args, Debug)]
pub struct CopyArgs {
    /// The new database: a file that does not exist yet, or postgres://USER@HOST[:PORT]/DBNAME of an
    /// empty database
    #[arg(long, value_name = "PATH|URL")]
    pub to: std::ffi::OsString,
}

/// `db copy`: the whole database into a new one, all of it or nothing. A new file that could not be
/// filled is removed again.
fn copy(ctx: &Context, args: CopyArgs) -> Result<Outcome> {
    let target = store::Location::parse(&args.to)?;
    if target == ctx.db {
        crate::bail_usage!("db copy --to {target}: that is the database being copied");
    }
    if let Some(file) = target.file() {
        if std::fs::symlink_metadata(file).is_ok() {
            crate::bail_input!(
                "db copy --to {target}: the file exists; the copy goes only into a new file (or an \
                 empty PostgreSQL database)"
            );
        }
    }
    let db = ctx.open()?;
    let (mut to, created) = store::create(&target, false)?;
    if !created {
        crate::bail_input!(
            "db copy --to {target}: it already holds a salesops database; the copy goes only into \
             an empty one"
        );
    }
    let copied = store::copy::into(&db, &mut to);
    drop(to);
    let rows = match copied {
        Ok(rows) => rows,
        Err(e) => {
            for f in target.files() {
                let _ = std::fs::remove_file(f);
            }
            return Err(e.context(format!("db copy --to {target} failed; nothing was copied")));
        }
    };
    Ok(Outcome::text(format!(
        "copied {} to {target}: {rows} rows",
        ctx.db
    )))
}

pub fn db(ctx: &Context, cmd: DbCommand) -> Result<Outcome> {
    match cmd {
        DbCommand::Copy(args) => copy(ctx, args),
        DbCommand::Check => {
            let db = ctx.open()?;
            let mut findings = Records::new(&["kind", "subject", "detail"]);
            for (kind, subject, detail) in store::integrity_findings(&db)? {
                findings.push(vec![s(kind), s(subject), s(detail)]);
            }
            let product_checks = store::invariants::findings(&db)?
                .into_iter()
                .chain(store::rollup::verify(&db)?);
            for (kind, subject, detail) in product_checks {
                findings.push(vec![s(kind), s(subject), s(detail)]);
            }
            Ok(Outcome::findings(findings))
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Only entries in this period (2026, 2026-Q3, 2026-10, last-month, a..b)
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
}

pub fn audit(ctx: &Context, args: AuditArgs) -> Result<Outcome> {
    let db = ctx.open()?;
    let range = match &args.period {
        Some(p) => {
            let period = Period::parse(p, ctx.today)
                .map_err(|e| crate::error::usage(format!("--period: {e}")))?;
            Some((period.start, period.end))
        }
        None => None,
    };
    let mut out = Records::new(&["at", "user", "command", "summary"]);
    for e in store::audit::list(&db, range)? {
        out.push(vec![s(e.at), s(e.user), s(e.command), opt(Some(e.summary))]);
    }
    Ok(Outcome::records(out))
}

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    pub shell: clap_complete::Shell,
}

/// `cmd` is the whole command line, handed over by dispatch (commands never import the CLI).
pub fn completions(args: CompletionsArgs, mut cmd: clap::Command) -> Result<Outcome> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "salesops", &mut buf);
    Ok(Outcome {
        body: crate::output::Body::Raw(String::from_utf8_lossy(&buf).into_owned()),
        exit: 0,
    })
}
