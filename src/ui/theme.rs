//! Colours and symbols. The palette is Okabe–Ito (safe for the common colour-vision
//! deficiencies), and every colour is paired with a symbol or a word: meaning never rests
//! on colour alone.

use ratatui::style::{Color, Modifier, Style};

use crate::store::Severity;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub dim: Style,
    pub title: Style,
    pub focused_border: Style,
    pub border: Style,
    pub header_row: Style,
    pub selected: Style,
    pub critical: Style,
    pub warning: Style,
    pub good: Style,
    pub info: Style,
    pub hold: Style,
    pub muted: Style,
    pub me: Style,
    pub pending: Style,
    pub key: Style,
}

const ORANGE: Color = Color::Rgb(230, 159, 0);
const SKY_BLUE: Color = Color::Rgb(86, 180, 233);
const BLUISH_GREEN: Color = Color::Rgb(0, 158, 115);
const YELLOW: Color = Color::Rgb(240, 228, 66);
const VERMILLION: Color = Color::Rgb(213, 94, 0);
const REDDISH_PURPLE: Color = Color::Rgb(204, 121, 167);

impl Default for Theme {
    fn default() -> Self {
        Theme {
            base: Style::default(),
            dim: Style::default().add_modifier(Modifier::DIM),
            title: Style::default().add_modifier(Modifier::BOLD),
            focused_border: Style::default().fg(SKY_BLUE).add_modifier(Modifier::BOLD),
            border: Style::default().fg(Color::DarkGray),
            header_row: Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            critical: Style::default().fg(VERMILLION).add_modifier(Modifier::BOLD),
            warning: Style::default().fg(ORANGE),
            good: Style::default().fg(BLUISH_GREEN),
            info: Style::default().fg(SKY_BLUE),
            hold: Style::default().fg(YELLOW),
            muted: Style::default().fg(REDDISH_PURPLE),
            me: Style::default().fg(SKY_BLUE).add_modifier(Modifier::BOLD),
            pending: Style::default().add_modifier(Modifier::ITALIC),
            key: Style::default().fg(SKY_BLUE).add_modifier(Modifier::BOLD),
        }
    }
}

impl Theme {
    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Critical => self.critical,
            Severity::Warning => self.warning,
        }
    }
}

/// Symbols, each always shown next to (or instead of) a colour.
pub mod symbol {
    use crate::store::Severity;

    pub const CRITICAL: &str = "!!";
    pub const WARNING: &str = "! ";
    pub const HOLD: &str = "⏸";
    pub const PENDING: &str = "…";
    pub const ME: &str = "★";
    pub const RECORDING: &str = "●";
    pub const OK: &str = "✓";
    pub const FAILED: &str = "✗";
    pub const REFUSED: &str = "⊘";

    pub fn severity(severity: Severity) -> &'static str {
        match severity {
            Severity::Critical => CRITICAL,
            Severity::Warning => WARNING,
        }
    }
}
