//! `scorecard …`: the periodic assessment of every region or rep (考核评分; docs/scorecard.md), and the
//! manager's qualitative rating that is one of its indicators (`rate`, listed by `ratings`).
//! The figures are gathered in `store::scorecard`, scored in `domain::scorecard`, and shown by
//! `output::scorecard`, which the reports' `scorecard` section shares.

use anyhow::Result;
use clap::{Subcommand, ValueEnum};

use crate::context::Context;
use crate::domain::period::Period;
use crate::domain::scorecard::{parse_rating, Scope};
use crate::output::{self, int, s, Document, Format, Html, Outcome, Records};
use crate::store::{self, scorecard::Rating};

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ScorecardArgs {
    #[command(subcommand)]
    pub command: Option<ScorecardCommand>,
    #[command(flatten)]
    pub show: ShowArgs,
}

#[derive(Subcommand, Debug)]
pub enum ScorecardCommand {
    /// Record the qualitative rating (定性评价) of a region or rep for a period; rating again replaces it
    Rate(RateArgs),
    /// The qualitative ratings recorded, of one period or all
    Ratings(RatingsArgs),
}

#[derive(clap::Args, Debug)]
pub struct ShowArgs {
    /// The period assessed (default: the last whole month before today)
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
    /// Score regions or reps
    #[arg(long, value_enum, default_value = "region")]
    pub by: By,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Region,
    Rep,
}

#[derive(clap::Args, Debug)]
pub struct RateArgs {
    /// The region's code or name (or, with --rep, the rep's)
    #[arg(value_name = "CODE|NAME")]
    pub code: String,
    /// The period rated, as the scorecard names it (2026-03, 2026-Q1, 2026)
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: String,
    /// The rating, a whole number from 0 to 100
    #[arg(long, value_name = "0..100", allow_hyphen_values = true)]
    pub score: String,
    /// Why: what the manager saw
    #[arg(long)]
    pub note: String,
    /// CODE is a rep
    #[arg(long)]
    pub rep: bool,
}

#[derive(clap::Args, Debug)]
pub struct RatingsArgs {
    /// Only the ratings of this period
    #[arg(long, value_name = "2026-03|2026-Q1|2026|A..B")]
    pub period: Option<String>,
}

pub fn run(ctx: &Context, args: ScorecardArgs) -> Result<(Outcome, Format)> {
    let table = Format::Table;
    Ok(match args.command {
        None => (show(ctx, args.show)?, table),
        Some(ScorecardCommand::Rate(a)) => (rate(ctx, a)?, table),
        Some(ScorecardCommand::Ratings(a)) => (ratings(ctx, a)?, table),
    })
}

fn period_flag(ctx: &Context, text: &str) -> Result<Period> {
    Period::parse(text, ctx.today).map_err(|e| crate::error::usage(format!("--period: {e}")))
}

fn show(ctx: &Context, a: ShowArgs) -> Result<Outcome> {
    let period = match &a.period {
        Some(p) => period_flag(ctx, p)?,
        // A scorecard judges a finished period: the running month would be graded on half its days.
        None => Period::last_full_month_before(ctx.today),
    };
    let scope = match a.by {
        By::Region => Scope::Region,
        By::Rep => Scope::Rep,
    };
    let db = ctx.open()?;
    let policy = ctx.policy(&db)?;
    let cards = store::scorecard::cards(&db, &policy, &period, scope, ctx.today)?;
    let label = period.label();
    let title = format!("{} {label}", output::scorecard::title(scope, ctx.lang));
    Ok(Outcome::document(Document {
        title: title.clone(),
        json: output::scorecard::json(&cards, &label),
        sections: vec![output::scorecard::section(&cards, scope, &label, &title)],
        html: Some(Html {
            headline: Vec::new(),
            charts: vec![output::scorecard::chart(&cards, scope, ctx.lang)],
        }),
    }))
}

fn rate(ctx: &Context, a: RateArgs) -> Result<Outcome> {
    let scope = if a.rep { Scope::Rep } else { Scope::Region };
    if a.code.trim().is_empty() {
        crate::bail_usage!("the {} code is empty", scope.as_str());
    }
    let period = period_flag(ctx, &a.period)?;
    let score = parse_rating(&a.score).map_err(crate::error::input)?;
    if a.note.trim().is_empty() {
        crate::bail_usage!("--note is empty: say what the rating is for");
    }
    let note = crate::domain::text::name(&a.note, "note")
        .map_err(|e| crate::error::input(format!("--note: {e}")))?;
    let mut db = ctx.open()?;
    let tx = db.begin()?;
    // A region or rep by its code or, when no code matches, its exact name (`store::lookup`).
    let kind = match scope {
        Scope::Region => store::lookup::Kind::Region,
        Scope::Rep => store::lookup::Kind::Rep,
    };
    let code = store::lookup::code(&tx, kind, &a.code)?;
    let label = period.label();
    let old = store::scorecard::rating(&tx, scope, &code, &label)?;
    store::scorecard::set_rating(
        &tx,
        &Rating {
            scope: scope.as_str().into(),
            code: code.clone(),
            period: label.clone(),
            score,
            note: note.clone(),
            rated_on: ctx.today.to_string(),
        },
    )?;
    let subject = format!("{} {code} {label}", scope.as_str());
    let done = match old {
        Some(o) => format!(
            "{subject} rated {score} ({note}), replacing {} ({})",
            o.score, o.note
        ),
        None => format!("{subject} rated {score} ({note})"),
    };
    ctx.audit(&tx, &done)?;
    tx.commit()?;
    Ok(Outcome::text(done))
}

fn ratings(ctx: &Context, a: RatingsArgs) -> Result<Outcome> {
    let label = match &a.period {
        Some(p) => Some(period_flag(ctx, p)?.label()),
        None => None,
    };
    let db = ctx.open()?;
    let mut out = Records::new(&["scope", "code", "period", "score", "note", "rated_on"]);
    for r in store::scorecard::ratings(&db, label.as_deref())? {
        out.push(vec![
            s(r.scope),
            s(r.code),
            s(r.period),
            int(r.score),
            s(r.note),
            s(r.rated_on),
        ]);
    }
    Ok(Outcome::records(out))
}
