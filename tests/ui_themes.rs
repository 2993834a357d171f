//! Each embedded theme on the main screen at 120x40 and 80x24, and `NO_COLOR`: a theme
//! changes styles, never text, and without colour the meaning stays in symbols and
//! modifiers.

mod ui_support;

use std::collections::BTreeMap;
use std::ffi::OsStr;

use bridgetop::app::App;
use bridgetop::cli::ColorChoice;
use bridgetop::ui;
use bridgetop::ui::theme_file::{self, EMBEDDED};
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::Terminal;
use ui_support::{app, now};

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn draw(app: &mut App, width: u16, height: u16) -> Buffer {
    app.prepare(ui::table_rows(Rect::new(0, 0, width, height)));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::draw(frame, app, now())).unwrap();
    terminal.backend().buffer().clone()
}

fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol().to_owned())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn style_of(cell: &ratatui::buffer::Cell) -> Style {
    Style::default()
        .fg(cell.fg)
        .bg(cell.bg)
        .add_modifier(cell.modifier)
}

/// Every style the frame uses, in the order first met, with the first text drawn in it.
fn legend(buffer: &Buffer) -> String {
    let mut seen: Vec<(Style, String)> = Vec::new();
    let area = buffer.area;
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let style = style_of(&buffer[(x, y)]);
            let mut run = String::new();
            while x < area.width && style_of(&buffer[(x, y)]) == style {
                run.push_str(buffer[(x, y)].symbol());
                x += 1;
            }
            let run = run.trim();
            if !run.is_empty() && !seen.iter().any(|(s, _)| *s == style) {
                seen.push((style, run.chars().take(24).collect()));
            }
        }
    }
    seen.iter()
        .map(|(style, sample)| {
            format!(
                "fg {:<16} bg {:<14} {:<28} {sample:?}",
                format!("{:?}", style.fg.unwrap_or(Color::Reset)),
                format!("{:?}", style.bg.unwrap_or(Color::Reset)),
                format!("{:?}", style.add_modifier),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn each_embedded_theme_styles_the_same_screen() {
    for (width, height) in SIZES {
        let (mut plain, _) = app(false, false);
        let expected_text = text(&draw(&mut plain, width, height));
        for (name, _) in EMBEDDED {
            let (mut app, _) = app(false, false);
            app.theme = theme_file::load(name, None, &BTreeMap::new()).unwrap();
            let buffer = draw(&mut app, width, height);
            assert_eq!(text(&buffer), expected_text, "{name} changed the text");
            insta::assert_snapshot!(format!("theme_{name}_{width}x{height}"), legend(&buffer));
        }
    }
}

#[test]
fn no_color_draws_no_colour_and_keeps_the_modifiers() {
    for (width, height) in SIZES {
        let (mut app, _) = app(false, false);
        app.theme = std::mem::take(&mut app.theme).without_colour();
        let buffer = draw(&mut app, width, height);
        let coloured: Vec<ratatui::layout::Position> = buffer
            .area
            .positions()
            .filter(|&p| buffer[p].fg != Color::Reset || buffer[p].bg != Color::Reset)
            .collect();
        assert!(coloured.is_empty(), "coloured cells at {coloured:?}");
        // The selected row is still reversed, headers bold: nothing rests on colour.
        let has = |modifier: Modifier| {
            buffer
                .area
                .positions()
                .any(|p| buffer[p].modifier.contains(modifier))
        };
        assert!(has(Modifier::REVERSED) && has(Modifier::BOLD));
    }
}

#[test]
fn no_color_is_read_as_no_color_org_says() {
    let set = Some(OsStr::new("1"));
    let empty = Some(OsStr::new(""));
    assert!(!ColorChoice::Auto.colours(set));
    assert!(
        ColorChoice::Auto.colours(empty),
        "an empty NO_COLOR is unset"
    );
    assert!(ColorChoice::Auto.colours(None));
    assert!(ColorChoice::Always.colours(set), "an explicit flag wins");
    assert!(!ColorChoice::Never.colours(None));
}
