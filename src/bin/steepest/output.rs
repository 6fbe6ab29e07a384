//! What the command line writes: results on stdout, messages on stderr. A closed stdout (a pipe
//! into `head`) ends quietly; every message has its control characters escaped, so a hostile
//! spec echoed in an error cannot repaint or reorder the user's terminal.

use crate::CliError;
use std::io::{self, ErrorKind, Write};

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

/// `text` with every character that acts on a terminal written as its escape (`\u{1b}`): C0 and
/// C1 controls (ANSI sequences, NUL, carriage return), DEL, bidi overrides and isolates, and the
/// Unicode line separators. Newlines stay, as messages can span lines.
pub fn escape_controls(text: &str) -> String {
    let acts = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            || matches!(c, '\u{2028}' | '\u{2029}')
    };
    text.chars().map(|c| if acts(c) { c.escape_unicode().to_string() } else { c.to_string() }).collect()
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    #[test]
    fn controls_become_visible_escapes_and_text_stays() {
        assert_eq!(escape_controls("a \u{1b}[2J b"), "a \\u{1b}[2J b");
        assert_eq!(
            escape_controls("nul\0 cr\r tab\t del\u{7f} c1\u{9b}"),
            "nul\\u{0} cr\\u{d} tab\\u{9} del\\u{7f} c1\\u{9b}"
        );
        assert_eq!(escape_controls("\u{202e}evil\u{2066}"), "\\u{202e}evil\\u{2066}");
        assert_eq!(escape_controls("line 1\nλ_max ≥ 2, café"), "line 1\nλ_max ≥ 2, café");
    }
}
