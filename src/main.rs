//! The `travaux` binary: parse the command line, run it, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Output piped into `head` and closed: end quietly, as Unix tools do, not with a panic.
    #[cfg(unix)]
    // SAFETY: restoring the default action of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = travaux::cli::Cli::parse();
    match travaux::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("error: {e:#}");
            if let Some(hint) = travaux::cli::coded(&e).and_then(|c| c.hint()) {
                eprintln!("hint: {hint}");
            }
            travaux::cli::Exit::Failed.into()
        }
    }
}
