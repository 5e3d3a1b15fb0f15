//! salesops: a company's sales operations over one SQLite file.
//! `main` parses the command line, runs the command, renders its outcome and turns it into an exit code.

mod cli;
mod commands;
mod context;
mod domain;
mod error;
mod hash;
mod import;
mod messages;
mod output;
mod store;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return clap_failed(&err),
    };
    // The language of the error line is known before the command runs (a failure to open the
    // database is said in it too).
    let lang = context::lang(cli.global.lang);
    match run_retrying(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut stderr = std::io::stderr().lock();
            let (prefix, text) = match lang {
                output::Lang::En => ("error: ", format!("{err:#}")),
                // Each cause on its own, as `{:#}` joins them: a context line and the error it
                // wraps are separate catalogue entries.
                output::Lang::Zh => (
                    "错误：",
                    err.chain()
                        .map(|cause| messages::tr(&cause.to_string(), lang))
                        .collect::<Vec<_>>()
                        .join("："),
                ),
            };
            let _ = writeln!(stderr, "{prefix}{}", error::cut_values(&text));
            ExitCode::from(error::exit_code(&err))
        }
    }
}

/// How many times a command whose transaction PostgreSQL ended for a serialization failure or a
/// deadlock is run again before its failure is reported.
const RETRIES: u32 = 5;

/// Run the command; on PostgreSQL, run it again (from the parsed command line, with a growing pause)
/// when its transaction was ended for a serialization failure or a deadlock: the server rolled it back
/// whole, so nothing of the failed run was applied and nothing of it was printed.
fn run_retrying(cli: cli::Cli) -> anyhow::Result<u8> {
    let mut attempt = 0;
    let mut next = Some(cli);
    loop {
        let cli = match next.take() {
            Some(cli) => cli,
            None => cli::Cli::try_parse()?,
        };
        match commands::run(cli) {
            Err(err) if attempt < RETRIES && store::is_retryable(&err) => {
                attempt += 1;
                std::thread::sleep(std::time::Duration::from_millis(
                    20 * u64::from(attempt) + u64::from(std::process::id() % 20),
                ));
            }
            result => return result,
        }
    }
}

/// clap's own message (a usage error, exit 2; help or the version, exit 0) in the language asked for.
/// Parsing failed, so the language is found in the raw arguments (`--lang zh`, `--lang=zh`) or in
/// `SALESOPS_LANG`. English is clap's own output, byte for byte (colours on a terminal included);
/// Chinese is its plain text translated line by line (`messages::clap_zh`).
fn clap_failed(err: &clap::Error) -> ExitCode {
    // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
    let code = if err.use_stderr() { 2 } else { 0 };
    let lang = context::lang(lang_in_args(std::env::args_os().skip(1)));
    if lang == output::Lang::En {
        let _ = err.print();
        return ExitCode::from(code);
    }
    use clap::error::ErrorKind;
    let kind = match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => messages::ClapText::Help,
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            messages::ClapText::MissingSubcommand
        }
        _ => messages::ClapText::Error,
    };
    let text = messages::clap_zh(&err.render().to_string(), kind);
    let _ = if err.use_stderr() {
        std::io::stderr().lock().write_all(text.as_bytes())
    } else {
        std::io::stdout().lock().write_all(text.as_bytes())
    };
    ExitCode::from(code)
}

/// The `--lang` of a command line clap could not parse: the last one given before a `--` (clap
/// would refuse two, but this runs when it refused something), `None` when there is none or its
/// value is not a language (then `SALESOPS_LANG` decides, as after a good parse).
fn lang_in_args(args: impl Iterator<Item = std::ffi::OsString>) -> Option<output::Lang> {
    let args: Vec<String> = args.map(|a| a.to_string_lossy().into_owned()).collect();
    let mut found = None;
    let mut words = args.iter().take_while(|a| *a != "--");
    while let Some(word) = words.next() {
        let value = match word.strip_prefix("--lang") {
            Some("") => words.next().map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        match value {
            Some("zh") => found = Some(output::Lang::Zh),
            Some("en") => found = Some(output::Lang::En),
            _ => {}
        }
    }
    found
}

/// `salesops … | head` closing the pipe early is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(broken)
            || cause
                .downcast_ref::<csv::Error>()
                .is_some_and(|e| matches!(e.kind(), csv::ErrorKind::Io(io) if broken(io)))
    })
}
