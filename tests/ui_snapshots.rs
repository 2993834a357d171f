//! Every view at 120x40 and 80x24, over a store built from platform-shaped inputs, with a
//! fixed clock and fixed ids.

mod ui_support;

use bridgetop::app::{Action, App, ConnectionState, Edit, Key, Keymap, UserCommand};
use bridgetop::store::{ConferencesState, Input, StoreConfig};
use bridgetop::ui;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;
use ui_support::{app, now, secs, session};

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn render(app: &mut App, width: u16, height: u16) -> String {
    app.prepare(ui::table_rows(Rect::new(0, 0, width, height)));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::draw(frame, app, now())).unwrap();
    terminal.backend().to_string()
}

/// Snapshots one view at both sizes; `setup` runs on a fresh app for each.
fn snapshot_view(name: &str, me: bool, readonly: bool, setup: impl Fn(&mut App)) {
    for (width, height) in SIZES {
        let (mut app, _) = app(me, readonly);
        // Size the table first, as the loop does before the first key arrives.
        render(&mut app, width, height);
        setup(&mut app);
        let screen = render(&mut app, width, height);
        insta::assert_snapshot!(format!("{name}_{width}x{height}"), screen);
    }
}

fn press(app: &mut App, keys: &str) {
    for key in keys.split_whitespace() {
        let key: Key = key.parse().unwrap();
        if let Some(action) = app.action_for_key(key) {
            app.update(action, now());
        }
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Edit(Edit::Insert(c)), now());
    }
}

#[test]
fn dashboard() {
    snapshot_view("dashboard", false, false, |_| {});
}

#[test]
fn dashboard_second_row_selected() {
    snapshot_view("dashboard_second_row", false, false, |app| press(app, "j"));
}

#[test]
fn agent_mode() {
    snapshot_view("agent_mode", true, false, |app| press(app, "c"));
}

#[test]
fn readonly() {
    snapshot_view("readonly", false, true, |app| press(app, "h"));
}

#[test]
fn help_screen() {
    snapshot_view("help", false, false, |app| press(app, "?"));
}

#[test]
fn help_follows_a_rebinding() {
    let overrides =
        std::collections::BTreeMap::from([("kick".to_string(), vec!["ctrl-k".to_string()])]);
    for (width, height) in SIZES {
        let (mut app, _) = app(false, false);
        app.keymap = Keymap::with_overrides(&overrides).unwrap();
        press(&mut app, "?");
        let screen = render(&mut app, width, height);
        insta::assert_snapshot!(format!("help_rebound_{width}x{height}"), screen);
    }
}

#[test]
fn confirm_kick() {
    snapshot_view("confirm_kick", false, false, |app| press(app, "x"));
}

#[test]
fn confirm_end_conference() {
    snapshot_view("confirm_end", false, false, |app| press(app, "E"));
}

#[test]
fn mute_direction_chooser() {
    snapshot_view("mute_direction", false, false, |app| press(app, "D"));
}

#[test]
fn filter_prompt() {
    snapshot_view("filter", false, false, |app| {
        press(app, "/");
        type_text(app, "carol");
    });
}

#[test]
fn command_line_completion() {
    snapshot_view("command_line", false, false, |app| {
        press(app, ":");
        type_text(app, "a");
        app.update(Action::Edit(Edit::Complete), now());
    });
}

#[test]
fn held_subset() {
    snapshot_view("held", false, false, |app| {
        press(app, ":");
        type_text(app, "held");
        app.update(Action::Edit(Edit::Submit), now());
    });
}

#[test]
fn alerts_focused() {
    snapshot_view("alerts", false, false, |app| press(app, "tab tab j"));
}

#[test]
fn audit_after_commands() {
    snapshot_view("audit", false, false, |app| {
        // Unhold the held customer (confirmed), then kick Alice (refused by the platform).
        press(app, ":");
        type_text(app, "conf Sales escalation");
        app.update(Action::Edit(Edit::Submit), now());
        press(app, "h");
        app.update(
            Action::Inbound(Box::new(Input::CommandConfirmed {
                id: bridgetop::store::CommandId(1),
            })),
            now(),
        );
        press(app, "k x y");
        app.update(
            Action::Inbound(Box::new(Input::CommandFailed {
                id: bridgetop::store::CommandId(2),
                failure: bridgetop::store::CommandFailure {
                    reason: "INVALID_ARGUMENT".into(),
                    message: "the channel is already gone".into(),
                    request_id: None,
                    status: Some(400),
                },
            })),
            now(),
        );
        press(app, "a");
    });
}

#[test]
fn pending_command() {
    snapshot_view("pending", false, false, |app| press(app, "m"));
}

#[test]
fn frozen() {
    snapshot_view("frozen", false, false, |app| {
        press(app, "f");
        app.update(Action::Tick, now() + secs(1));
    });
}

#[test]
fn sorted_by_name() {
    snapshot_view("sort_name", false, false, |app| press(app, "s"));
}

#[test]
fn empty_while_connecting() {
    for (width, height) in SIZES {
        let store = ConferencesState::new(StoreConfig::default());
        let mut app = App::new(store, Keymap::default(), session(None), false);
        app.connection = ConnectionState::first_attempt();
        let screen = render(&mut app, width, height);
        insta::assert_snapshot!(format!("empty_{width}x{height}"), screen);
    }
}

#[test]
fn reconnecting() {
    for (width, height) in SIZES {
        let (mut app, _) = app(false, false);
        app.update(
            Action::Connection(ConnectionState::Reconnecting {
                attempt: 3,
                stale_since: now() - secs(12),
                last_error: "connection refused".into(),
                retry_at: Some(now() + secs(7)),
            }),
            now(),
        );
        let screen = render(&mut app, width, height);
        insta::assert_snapshot!(format!("reconnecting_{width}x{height}"), screen);
    }
}

#[test]
fn every_command_is_in_the_help() {
    let (mut app, _) = app(true, false);
    press(&mut app, "?");
    let screen = render(&mut app, 120, 80);
    for command in UserCommand::ALL {
        assert!(screen.contains(command.help()), "help lacks {command}");
    }
}

#[test]
fn an_unhold_that_was_never_answered() {
    snapshot_view("hold_unconfirmed", false, false, |app| {
        press(app, "j h");
        // The customer was held; the unhold got no reply (a timeout, a dropped link), so
        // the platform may or may not have released them.
        let id = app.audit.newest_first().next().unwrap().id.unwrap();
        app.update(
            Action::Inbound(Box::new(Input::CommandFailed {
                id,
                failure: bridgetop::store::CommandFailure {
                    reason: "NETWORK".into(),
                    message: "no reply".into(),
                    request_id: None,
                    status: None,
                },
            })),
            now(),
        );
    });
}

#[test]
fn unreadable_records_are_counted_in_the_header() {
    let (mut app, _) = app(false, false);
    let snapshot = bridgetop::store::Snapshot {
        skipped_records: 3,
        ..ui_support::big_floor(2)
    };
    app.update(Action::Inbound(Box::new(Input::Snapshot(snapshot))), now());
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("3 unreadable records"),
        "the header does not say records were left out:\n{screen}"
    );
}

#[test]
fn a_selected_room_that_ended() {
    snapshot_view("ended_under_cursor", false, false, |app| {
        press(app, "j");
        let room = app.view.selected_conference.unwrap();
        let (floor, _) = ui_support::floor();
        let mut ended = floor
            .snapshot
            .conferences
            .iter()
            .find(|c| c.id == room)
            .unwrap()
            .clone();
        ended.status = Some(bridgetop::voipbin::ConferenceStatus::Terminated);
        ended.conferencecall_ids.clear();
        ended.tm_update = ended.tm_update.map(|t| t + secs(1));
        let input = Input::Fetched(bridgetop::voipbin::Resource::Conference(ended));
        app.update(Action::Inbound(Box::new(input)), now());
    });
}

/// While the data is old every data pane is dimmed, not only its title marked; live, none.
#[test]
fn stale_panes_are_dimmed() {
    let dimmed_rows = |app: &mut App| {
        app.prepare(ui::table_rows(Rect::new(0, 0, 120, 40)));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|frame| ui::draw(frame, app, now())).unwrap();
        let buffer = terminal.backend().buffer().clone();
        (0..40)
            .filter(|&y| {
                let cell = &buffer[(10, y)];
                cell.modifier.contains(ratatui::style::Modifier::DIM) && cell.symbol() != " "
            })
            .count()
    };
    let (mut app, _) = app(false, false);
    let live = dimmed_rows(&mut app);
    app.update(
        Action::Connection(ConnectionState::Stale {
            since: now() - secs(19),
        }),
        now(),
    );
    let stale = dimmed_rows(&mut app);
    assert!(
        stale >= live + 10,
        "dimmed rows: live {live}, stale {stale}"
    );
}

/// Ends a room of the floor at `at`, as the platform's newer version says.
fn end_room(app: &mut App, name: &str, at: bridgetop::voipbin::Timestamp) {
    let (floor, _) = ui_support::floor();
    let mut ended = floor
        .snapshot
        .conferences
        .iter()
        .find(|c| c.name == name)
        .unwrap()
        .clone();
    ended.status = Some(bridgetop::voipbin::ConferenceStatus::Terminated);
    ended.conferencecall_ids.clear();
    ended.tm_end = Some(at);
    // A newer version than any the floor has seen, whenever it says the room ended.
    ended.tm_update = Some(now());
    let input = Input::Fetched(bridgetop::voipbin::Resource::Conference(ended));
    app.update(Action::Inbound(Box::new(input)), now());
}

#[test]
fn ended_history() {
    snapshot_view("ended_history", false, false, |app| {
        end_room(app, "Team huddle", now() - secs(90));
        end_room(app, "Billing dispute", now() - secs(400));
        press(app, ":");
        type_text(app, "ended");
        app.update(Action::Edit(Edit::Submit), now());
    });
    // A shorter window leaves the older room out; a bad argument says what it takes.
    let (mut app, _) = app(false, false);
    end_room(&mut app, "Team huddle", now() - secs(90));
    end_room(&mut app, "Billing dispute", now() - secs(400));
    press(&mut app, ":");
    type_text(&mut app, "ended 3");
    app.update(Action::Edit(Edit::Submit), now());
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("Ended in the last 3 min · 1 "), "{screen}");
    assert!(screen.contains("Team huddle") && screen.contains("Eve Park"));
    press(&mut app, "esc");
    press(&mut app, ":");
    type_text(&mut app, "ended soon");
    app.update(Action::Edit(Edit::Submit), now());
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains(":ended takes minutes from 1 to 1440"),
        "{screen}"
    );
}

/// An alert first raised while the data is stale carries `?` in its sign; those raised
/// from live data do not, and none do once live again.
#[test]
fn alerts_raised_from_stale_data_are_marked() {
    let draw_at = |app: &mut App, at| {
        app.prepare(ui::table_rows(Rect::new(0, 0, 120, 40)));
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
        terminal.draw(|frame| ui::draw(frame, app, at)).unwrap();
        terminal.backend().to_string()
    };
    let (mut app, _) = app(false, false);
    app.update(
        Action::Connection(ConnectionState::Stale {
            since: now() - secs(5),
        }),
        now(),
    );
    // The held customer's hold turns critical (180 s) while nothing new arrives.
    let later = now() + secs(86);
    app.update(Action::Tick, later);
    let screen = draw_at(&mut app, later);
    assert!(screen.contains("!!? on hold too long"), "{screen}");
    assert!(
        screen.contains("· ? stale"),
        "the title explains the sign: {screen}"
    );
    assert!(screen.contains("│!   stuck connecting"), "{screen}");
    assert!(!screen.contains("!? stuck connecting"), "{screen}");
    app.update(
        Action::Connection(ConnectionState::Live {
            since: later,
            resyncing: false,
        }),
        later,
    );
    let screen = draw_at(&mut app, later);
    assert!(!screen.contains("!!?"), "{screen}");
}
