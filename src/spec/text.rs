//! Text from the user as it may be shown back: in error messages, URL issues, tables, terminals.
//! A value echoed raw could act on what shows it (an ANSI escape repaints a terminal, a bidi
//! override reorders a line), so every echo goes through `escape_controls`, in the core, so that
//! the CLI and the page show the same visible escapes.

/// Characters that act on the text around them where it is shown: C0 and C1 controls, bidi
/// marks, overrides and isolates, Unicode line and paragraph separators.
pub fn acts_on_text(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `text` with every character that acts on text written as its escape (`\u{1b}`), except the
/// newline, as messages can span lines.
pub fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| if c != '\n' && acts_on_text(c) { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
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
