//! Theme files: a TOML table of styles by role, optionally on top of another theme. The
//! embedded ones (`assets/themes/`) can be used by name; a user's own live in the config
//! directory's `themes/` folder and take precedence over an embedded one of the same name.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use super::theme::Theme;

/// The themes bridgetop carries, by name.
pub const EMBEDDED: [(&str, &str); 3] = [
    ("default", include_str!("../../assets/themes/default.toml")),
    ("light", include_str!("../../assets/themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../assets/themes/high-contrast.toml"),
    ),
];

/// `inherits` chains longer than this are taken for a loop.
const MAX_INHERITS: usize = 8;

/// One role's style as a file writes it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    pub fg: Option<String>,
    pub bg: Option<String>,
    #[serde(default)]
    pub modifiers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    inherits: Option<String>,
    #[serde(default)]
    styles: BTreeMap<String, StyleSpec>,
}

/// The theme `name`, looked up in `user_dir` first, then among the embedded ones, with
/// `overrides` (the config's `[theme.styles]`) laid over it.
pub fn load(
    name: &str,
    user_dir: Option<&Path>,
    overrides: &BTreeMap<String, StyleSpec>,
) -> Result<Theme, String> {
    let mut theme = resolve(name, user_dir, 0)?;
    apply(&mut theme, overrides).map_err(|e| format!("[theme.styles]: {e}"))?;
    Ok(theme)
}

/// The embedded default, the base every frame is drawn with unless configured otherwise.
pub fn embedded_default() -> Theme {
    resolve("default", None, 0).expect("the embedded default theme is valid")
}

fn resolve(name: &str, user_dir: Option<&Path>, depth: usize) -> Result<Theme, String> {
    if depth > MAX_INHERITS {
        return Err(format!(
            "theme {name:?}: `inherits` goes more than {MAX_INHERITS} deep (a loop?)"
        ));
    }
    let (text, origin) = source(name, user_dir)?;
    let file: ThemeFile =
        toml::from_str(&text).map_err(|e| format!("theme {origin}: {}", e.message()))?;
    let mut theme = match &file.inherits {
        Some(parent) => resolve(parent, user_dir, depth + 1)?,
        None => Theme::plain(),
    };
    apply(&mut theme, &file.styles).map_err(|e| format!("theme {origin}: {e}"))?;
    Ok(theme)
}

/// The file's text and how to name it in an error.
fn source(name: &str, user_dir: Option<&Path>) -> Result<(String, String), String> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(format!(
            "theme name {name:?}: use letters, digits, '-' and '_' (it names a file)"
        ));
    }
    if let Some(dir) = user_dir {
        let path = dir.join(format!("{name}.toml"));
        match std::fs::read_to_string(&path) {
            Ok(text) => return Ok((text, path.display().to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot read theme {}: {e}", path.display())),
        }
    }
    match EMBEDDED.iter().find(|(embedded, _)| *embedded == name) {
        Some((_, text)) => Ok(((*text).to_owned(), format!("{name:?} (embedded)"))),
        None => {
            let names: Vec<&str> = EMBEDDED.iter().map(|(n, _)| *n).collect();
            let place = user_dir.map_or_else(String::new, |d| {
                format!(", or a file {}", d.join(format!("{name}.toml")).display())
            });
            Err(format!(
                "no theme {name:?} (embedded: {}{place})",
                names.join(", ")
            ))
        }
    }
}

fn apply(theme: &mut Theme, styles: &BTreeMap<String, StyleSpec>) -> Result<(), String> {
    for (role, spec) in styles {
        let slot = theme
            .role_mut(role)
            .ok_or_else(|| format!("no role {role:?} (roles: {})", Theme::ROLES.join(", ")))?;
        *slot = style(spec).map_err(|e| format!("{role}: {e}"))?;
    }
    Ok(())
}

fn style(spec: &StyleSpec) -> Result<Style, String> {
    let mut style = Style::default();
    if let Some(fg) = &spec.fg {
        style = style.fg(colour(fg)?);
    }
    if let Some(bg) = &spec.bg {
        style = style.bg(colour(bg)?);
    }
    for name in &spec.modifiers {
        style = style.add_modifier(modifier(name)?);
    }
    Ok(style)
}

fn colour(text: &str) -> Result<Color, String> {
    Color::from_str(text).map_err(|_| {
        format!("colour {text:?} is not a name (red, dark_gray, …), an index 0-255 or #rrggbb")
    })
}

fn modifier(name: &str) -> Result<Modifier, String> {
    Ok(match name {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        _ => {
            return Err(format!(
            "modifier {name:?} is not one of bold, dim, italic, underlined, reversed, crossed_out"
        ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("bridgetop-themes-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_default_file_sets_every_role_and_the_others_differ_from_it() {
        let default = embedded_default();
        let file: ThemeFile = toml::from_str(EMBEDDED[0].1).unwrap();
        for &role in Theme::ROLES {
            assert!(file.styles.contains_key(role), "default.toml lacks {role}");
        }
        for (name, _) in &EMBEDDED[1..] {
            let theme = load(name, None, &BTreeMap::new()).unwrap();
            assert_ne!(theme, default, "{name}");
            // What a theme leaves out comes from the one it inherits.
            assert_eq!(theme.pending, default.pending, "{name}");
        }
        assert_eq!(default.critical.fg, Some(Color::Rgb(0xd5, 0x5e, 0x00)));
    }

    #[test]
    fn a_user_theme_file_wins_and_inherits() {
        let dir = temp_dir();
        std::fs::write(
            dir.as_path().join("production.toml"),
            "inherits = \"high-contrast\"\n[styles]\nborder = { fg = \"red\" }\n",
        )
        .unwrap();
        let theme = load("production", Some(dir.as_path()), &BTreeMap::new()).unwrap();
        assert_eq!(theme.border.fg, Some(Color::Red));
        let high = load("high-contrast", None, &BTreeMap::new()).unwrap();
        assert_eq!(theme.critical, high.critical);
    }

    #[test]
    fn config_overrides_are_laid_over_the_theme() {
        let overrides = BTreeMap::from([(
            "hold".to_string(),
            StyleSpec {
                fg: Some("#112233".into()),
                bg: None,
                modifiers: vec!["underlined".into()],
            },
        )]);
        let theme = load("default", None, &overrides).unwrap();
        assert_eq!(
            theme.hold,
            Style::default()
                .fg(Color::Rgb(0x11, 0x22, 0x33))
                .add_modifier(Modifier::UNDERLINED)
        );
    }

    #[test]
    fn bad_themes_are_explained() {
        let dir = temp_dir();
        let write = |name: &str, text: &str| {
            std::fs::write(dir.as_path().join(format!("{name}.toml")), text).unwrap();
        };
        write("loop", "inherits = \"loop\"\n");
        write("colour", "[styles]\nhold = { fg = \"mauve\" }\n");
        write("role", "[styles]\nholdd = {}\n");
        write("modifier", "[styles]\nhold = { modifiers = [\"blink\"] }\n");
        write("syntax", "[styles\n");
        let error = |name: &str| load(name, Some(dir.as_path()), &BTreeMap::new()).unwrap_err();
        assert!(error("loop").contains("a loop?"), "{}", error("loop"));
        assert!(error("colour").contains("\"mauve\""), "{}", error("colour"));
        assert!(
            error("role").contains("no role \"holdd\""),
            "{}",
            error("role")
        );
        assert!(
            error("modifier").contains("\"blink\""),
            "{}",
            error("modifier")
        );
        assert!(
            error("syntax").contains("syntax.toml"),
            "{}",
            error("syntax")
        );
        assert!(error("nope").contains("embedded: default, light, high-contrast"));
        assert!(error("../etc/x").contains("it names a file"));
    }
}
