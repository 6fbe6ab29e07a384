//! What the command line writes: results on stdout, messages on stderr. A closed stdout (a pipe
//! into `head`) ends quietly; every message has its control characters escaped, so a hostile
//! spec echoed in an error cannot repaint or reorder the user's terminal.

use crate::CliError;
use std::io::{self, ErrorKind, Write};
pub use steepest::spec::escape_controls;

/// Writes `text` and a newline to stdout. A reader that stopped reading (broken pipe) is not an
/// error; any other failure (a full disk) is.
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => Err(CliError::failed(format!("writing the output: {e}"))),
        _ => Ok(()),
    }
}

/// Writes a message line to stderr, control characters escaped. Failing to write it is ignored:
/// there is nowhere left to report that.
pub fn say(message: &str) {
    let _ = writeln!(io::stderr().lock(), "{}", escape_controls(message));
}

/// Rewrites the progress line on a terminal (`\r` returns to its start).
pub fn progress(fraction: f64) {
    let _ = write!(io::stderr().lock(), "\rexact L_inf: {:>3.0}% ", 100.0 * fraction);
}

/// Ends the progress line.
pub fn progress_done() {
    let _ = write!(io::stderr().lock(), "\r");
}
