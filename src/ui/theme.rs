//! Colours and symbols. The palette is Okabe–Ito (safe for the common colour-vision
//! deficiencies), and every colour is paired with a symbol or a word: meaning never rests
//! on colour alone.

use ratatui::style::Style;

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

impl Default for Theme {
    /// The embedded `default` theme (`assets/themes/default.toml`), read once.
    fn default() -> Self {
        static DEFAULT: std::sync::OnceLock<Theme> = std::sync::OnceLock::new();
        DEFAULT
            .get_or_init(super::theme_file::embedded_default)
            .clone()
    }
}

/// Lists every role once, so names, lookups and colour stripping cannot drift apart.
macro_rules! roles {
    ($($role:ident),* $(,)?) => {
        impl Theme {
            /// The role names theme files use.
            pub const ROLES: &'static [&'static str] = &[$(stringify!($role)),*];

            /// Every role unstyled: the base a theme file without `inherits` starts from.
            pub fn plain() -> Theme {
                Theme { $($role: Style::default()),* }
            }

            pub fn role_mut(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($role) => Some(&mut self.$role),)*
                    _ => None,
                }
            }

            fn roles_mut(&mut self) -> Vec<&mut Style> {
                vec![$(&mut self.$role),*]
            }
        }
    };
}

roles!(
    base,
    dim,
    title,
    focused_border,
    border,
    header_row,
    selected,
    critical,
    warning,
    good,
    info,
    hold,
    muted,
    me,
    pending,
    key,
);

impl Theme {
    /// The same theme without colours (`NO_COLOR`, `--color never`): bold, reverse and
    /// the other modifiers stay, and the symbols carry every meaning as always.
    pub fn without_colour(mut self) -> Theme {
        for style in self.roles_mut() {
            style.fg = None;
            style.bg = None;
            style.underline_color = None;
        }
        self
    }

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
