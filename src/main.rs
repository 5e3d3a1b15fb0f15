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
        Err(err) => {
            // clap prints help and version to stdout (exit 0) and usage errors to stderr (exit 2).
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    // The language of the error line is known before the command runs (a failure to open the
    // database is said in it too).
    let lang = context::lang(cli.global.lang);
    match commands::run(cli) {
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
