//! The `shardscrub` binary: a thin shell over the library's command line
//! (`shardscrub::cli`).

use shardscrub::cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    match cli::run() {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`| head`): not a failure.
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shardscrub: error: {e}");
            ExitCode::from(cli::EXIT_ERROR)
        }
    }
}
