//! What every command gets: the global settings resolved once (database path, today, language,
//! whether a person is at a terminal), confirmation, prompting rules, and emitting an outcome.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use chrono::{NaiveDate, NaiveDateTime, Timelike};

use crate::domain::date::parse_date;
use crate::domain::policy::Policy;
use crate::output::{self, Body, Outcome, OutputFile};
use crate::output::{Format, Lang};
use crate::store::{self, Conn, Db};

/// The global flags, given before or after the command.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// Database: a file, or postgres://USER@HOST[:PORT]/DBNAME [env: SALESOPS_DB] [default:
    /// ./salesops.db]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "PATH|URL"
    )]
    pub db: Option<PathBuf>,
    /// The date treated as today (YYYY-MM-DD) [env: SALESOPS_TODAY]
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "DATE"
    )]
    pub today: Option<String>,
    /// Output format (default table; exports default to csv)
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub format: Option<Format>,
    /// Write the result to FILE atomically instead of standard output
    #[arg(
        long,
        global = true,
        help_heading = "Global options",
        value_name = "FILE"
    )]
    pub output: Option<PathBuf>,
    /// Start CSV output with a UTF-8 byte order mark (for Excel)
    #[arg(long, global = true, help_heading = "Global options")]
    pub bom: bool,
    /// Answer yes to every confirmation (needed without a terminal)
    #[arg(long, short = 'y', global = true, help_heading = "Global options")]
    pub yes: bool,
    /// Language of table, Markdown and HTML headings and messages [env: SALESOPS_LANG]
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub lang: Option<Lang>,
}

/// The language for people: `--lang`, else `SALESOPS_LANG` (`zh`, `zh_CN.UTF-8` … are Chinese),
/// else English.
pub fn lang(flag: Option<Lang>) -> Lang {
    if let Some(lang) = flag {
        return lang;
    }
    match std::env::var("SALESOPS_LANG") {
        Ok(l) if l.trim().to_ascii_lowercase().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

#[derive(Clone)]
pub struct Context {
    pub global: Global,
    /// The database: a file, or a PostgreSQL database.
    pub db: store::Location,
    pub today: NaiveDate,
    /// Now, to the minute (service times): today at the time of day of the clock, or of
    /// SALESOPS_NOW (`YYYY-MM-DD HH:MM`, whose date is also today when no --today is given).
    pub now: NaiveDateTime,
    pub lang: Lang,
    /// Standard input and standard error are both terminals: a person can answer prompts.
    pub interactive: bool,
    pub user: String,
    pub command_line: String,
}

/// The name of the user running the process, from its uid and the user database; the uid itself when
/// the name cannot be found.
fn os_user() -> String {
    let uid = uzers::get_current_uid();
    uzers::get_user_by_uid(uid)
        .map(|u| u.name().to_string_lossy().into_owned())
        .unwrap_or_else(|| format!("uid {uid}"))
}

impl Context {
    /// Resolve the global flags and their environment variables. `ignore_db_env` is for `demo`, which must
    /// never land on a production database named by SALESOPS_DB.
    pub fn new(global: Global, ignore_db_env: bool) -> Result<Context> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let db_path = global
            .db
            .clone()
            .or_else(|| {
                if ignore_db_env {
                    None
                } else {
                    env("SALESOPS_DB").map(PathBuf::from)
                }
            })
            .unwrap_or_else(|| {
                PathBuf::from(if ignore_db_env {
                    "demo.db"
                } else {
                    "salesops.db"
                })
            });
        let db = store::Location::parse(db_path.as_os_str())?;
        let clock = match env("SALESOPS_NOW") {
            Some(text) => crate::domain::service::parse_time(&text)
                .map_err(|e| crate::error::usage(format!("SALESOPS_NOW: {e}")))?,
            None => chrono::Local::now().naive_local(),
        };
        let today = match global.today.clone().or_else(|| env("SALESOPS_TODAY")) {
            Some(text) => parse_date(&text)
                .map_err(|e| crate::error::usage(format!("--today / SALESOPS_TODAY: {e}")))?,
            None => clock.date(),
        };
        let now = today
            .and_hms_opt(clock.hour(), clock.minute(), 0)
            .unwrap_or(clock);
        let lang = lang(global.lang);
        let interactive = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        // Never $USER or $LOGNAME: anyone can set those, and the audit must name who really ran it.
        let user = os_user();
        // The program is named by its file name, not the path it was started from.
        let command_line = std::env::args()
            .enumerate()
            .map(|(i, a)| {
                if i == 0 {
                    std::path::Path::new(&a)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or(a)
                } else {
                    a
                }
            })
            .map(|a| {
                if a.contains(' ') || a.is_empty() {
                    format!("'{a}'")
                } else {
                    a
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Context {
            global,
            db,
            today,
            now,
            lang,
            interactive,
            user,
            command_line,
        })
    }

    pub fn open(&self) -> Result<Db> {
        let db = store::open_existing(&self.db)?;
        self.note_migration(&db);
        Ok(db)
    }

    /// Say once, on standard error, that the file was brought to this version's schema.
    fn note_migration(&self, db: &Db) {
        if let Some(from) = db.migrated_from {
            self.note(&format!(
                "{}: migrated from schema version {from} to {}",
                self.db,
                store::SCHEMA_VERSION
            ));
        }
    }

    pub fn policy(&self, conn: &Conn) -> Result<Policy> {
        let stored = store::policy::stored(conn)?;
        Policy::from_values(&stored)
            .map_err(|e| anyhow::anyhow!("the stored policy is invalid: {e}"))
    }

    /// Append this command to the audit log, inside the caller's transaction.
    pub fn audit(&self, conn: &Conn, summary: &str) -> Result<()> {
        store::audit::record(conn, &self.user, &self.command_line, summary)
    }

    /// Ask before a destructive change: `--yes` answers yes; a person is asked; without a terminal the
    /// command is refused (exit 2) and nothing changes.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.global.yes {
            return Ok(());
        }
        if !self.interactive {
            crate::bail_usage!("{question}: refused without a terminal; add --yes to confirm");
        }
        if !self.ask_yes_no(question)? {
            crate::bail_usage!("{question}: not confirmed, nothing changed");
        }
        Ok(())
    }

    /// A required value: given, or asked on a terminal, or a usage error naming the flag.
    pub fn require_text(&self, value: Option<String>, flag: &str, prompt: &str) -> Result<String> {
        if let Some(v) = value {
            return Ok(v);
        }
        if !self.interactive {
            crate::bail_usage!("missing {flag}");
        }
        let answer: String = dialoguer::Input::new()
            .with_prompt(self.tr(prompt))
            .interact_text()
            .context("cannot read the answer")?;
        Ok(answer)
    }

    /// A required choice: given, or selected from `choices` (value, label) on a terminal.
    pub fn require_choice(
        &self,
        value: Option<String>,
        flag: &str,
        prompt: &str,
        choices: &[(String, String)],
    ) -> Result<String> {
        if let Some(v) = value {
            return Ok(v);
        }
        if !self.interactive {
            crate::bail_usage!("missing {flag}");
        }
        if choices.is_empty() {
            crate::bail_usage!("missing {flag}, and there is nothing to choose from yet");
        }
        let labels: Vec<&str> = choices.iter().map(|(_, l)| l.as_str()).collect();
        // Typing filters the list (34 provinces, hundreds of customers): a few characters of a code
        // or a name, in any script, then the arrows and Enter.
        let idx = dialoguer::FuzzySelect::new()
            .with_prompt(self.tr(&format!("{prompt} (type to filter)")))
            .items(&labels)
            .default(0)
            .max_length(12)
            .interact()
            .context("cannot read the answer")?;
        Ok(choices[idx].0.clone())
    }

    /// A yes/no question on a terminal, default no. It waits for Enter after y or n, so a key
    /// pressed by mistake can still be taken back.
    pub fn ask_yes_no(&self, question: &str) -> Result<bool> {
        if !self.interactive {
            crate::bail_usage!("{question}: refused without a terminal; add --yes to confirm");
        }
        dialoguer::Confirm::new()
            .with_prompt(self.tr(question))
            .default(false)
            .wait_for_newline(true)
            .interact()
            .context("cannot read the answer")
    }

    /// One answer typed on a terminal, checked as it is entered: `check` says what is wrong and the
    /// question is asked again on the spot. An empty answer is allowed when `allow_empty`.
    pub fn ask_checked<F>(&self, prompt: &str, allow_empty: bool, mut check: F) -> Result<String>
    where
        F: FnMut(&str) -> Result<(), String>,
    {
        if !self.interactive {
            crate::bail_usage!("{prompt}: cannot ask without a terminal");
        }
        let answer: String = dialoguer::Input::new()
            .with_prompt(self.tr(prompt))
            .allow_empty(allow_empty)
            .validate_with(|t: &String| -> Result<(), String> {
                if t.trim().is_empty() {
                    Ok(())
                } else {
                    check(t).map_err(|e| self.tr(&e))
                }
            })
            .interact_text()
            .context("cannot read the answer")?;
        Ok(answer)
    }

    /// A note for the person (summaries, warnings): standard error, so standard output stays data.
    pub fn note(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{}", self.tr(text));
    }

    /// A message for people in the language asked for (`messages`: the one catalogue).
    pub fn tr(&self, text: &str) -> String {
        crate::messages::tr(text, self.lang)
    }

    pub fn format(&self, default: Format) -> Format {
        self.global.format.unwrap_or(default)
    }

    /// `--output`, opened before the command runs, so that a write command never saves its data and
    /// then fails to write its output (and a retry never writes twice). It never names the database or
    /// the files SQLite keeps beside it (refused, exit 2).
    pub fn open_output(&self) -> Result<Option<OutputFile>> {
        let Some(path) = &self.global.output else {
            return Ok(None);
        };
        let files = self.db.files();
        if let Some(file) = files.iter().find(|f| output::same_file(path, f)) {
            let is_db = self.db.file().is_some_and(|db| output::same_file(file, db));
            let what = if is_db {
                "the database".to_string()
            } else {
                format!("{}, a file of the database {},", file.display(), self.db)
            };
            crate::bail_usage!(
                "--output {} is {what} and would be replaced by the output: choose another file",
                path.display()
            );
        }
        Ok(Some(OutputFile::create(path)?))
    }

    /// A failure as a person should read it: SQLite's "database is locked" after the busy timeout says
    /// what holds the lock and what to do.
    pub fn explain(&self, err: anyhow::Error) -> anyhow::Error {
        if !store::is_busy(&err) {
            return err;
        }
        let secs = store::busy_timeout()
            .unwrap_or(store::DEFAULT_BUSY_TIMEOUT)
            .as_secs();
        match &self.db {
            store::Location::File(_) => anyhow::anyhow!(
                "{} is busy: another salesops command (or another program with the file open) held \
                 its lock for {} s, so this command gave up and changed nothing; run it again when \
                 that one has finished",
                self.db,
                secs
            ),
            // On a server only salesops commands take the writer lock.
            store::Location::Server(_) => anyhow::anyhow!(
                "{} is busy: another salesops command held the writer lock for {} s, so this command \
                 gave up and changed nothing; run it again when that one has finished",
                self.db,
                secs
            ),
        }
    }

    /// Render the outcome to standard output or into `output` (from `open_output`); returns the exit
    /// code.
    pub fn emit(
        &self,
        outcome: Outcome,
        default: Format,
        output: Option<OutputFile>,
    ) -> Result<u8> {
        let format = self.format(default);
        if format == Format::Html && !matches!(outcome.body, Body::Document(_)) {
            crate::bail_usage!("--format html is only for reports");
        }
        match output {
            Some(mut file) => {
                output::render(&mut file, &outcome, format, self.lang, self.global.bom)?;
                file.commit()?;
            }
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                output::render(&mut lock, &outcome, format, self.lang, self.global.bom)?;
            }
        }
        Ok(outcome.exit)
    }
}
