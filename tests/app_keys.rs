//! Key → action → effect: what each key does to the view and what it asks of the platform.

mod ui_support;

use bridgetop::app::view::{Focus, Overlay, Prompt, Subset};
use bridgetop::app::{Action, App, Effect, Key, Keymap, UserCommand};
use bridgetop::command::Command;
use bridgetop::store::{CommandFailure, ConferencesState, Input, StoreConfig};
use bridgetop::voipbin::MuteDirection;
use ui_support::{app, now};

fn key(app: &App, name: &str) -> Option<Action> {
    app.action_for_key(name.parse::<Key>().unwrap())
}

/// Presses keys in order; returns the effects of the last one.
fn press(app: &mut App, keys: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for name in keys.split_whitespace() {
        effects = match key(app, name) {
            Some(action) => app.update(action, now()),
            None => Vec::new(),
        };
        app.prepare(12);
    }
    effects
}

fn select_conference(app: &mut App, name: &str) {
    press(app, ":");
    for c in format!("conf {name}").chars() {
        app.update(Action::Edit(bridgetop::app::Edit::Insert(c)), now());
    }
    app.update(Action::Edit(bridgetop::app::Edit::Submit), now());
    app.prepare(12);
}

fn commands(effects: &[Effect]) -> Vec<Command> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Command(r) => Some(r.command.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn keys_map_to_commands_from_the_keymap() {
    let (app, _) = app(false, false);
    assert_eq!(key(&app, "h"), Some(Action::Run(UserCommand::Hold)));
    assert_eq!(key(&app, "x"), Some(Action::Run(UserCommand::Kick)));
    assert_eq!(key(&app, "?"), Some(Action::Run(UserCommand::Help)));
    assert_eq!(key(&app, "F"), None);
}

#[test]
fn hold_toggles_on_the_selected_customer() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Sales escalation");
    // The customer is selected by default, and already on hold: h unholds.
    let effects = press(&mut app, "h");
    assert_eq!(
        commands(&effects),
        vec![Command::Unhold {
            call_id: cast.sales_customer.call
        }]
    );
    let leg = app.selected_participant().unwrap();
    assert!(leg.pending.is_some(), "the command shows as pending");
}

#[test]
fn kick_asks_first_and_only_yes_sends() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Sales escalation");
    // `:conf` focuses the participants: k moves from the customer up to Alice.
    press(&mut app, "k");
    assert!(press(&mut app, "x").is_empty());
    assert!(matches!(app.view.overlay, Some(Overlay::Confirm(_))));
    // Keys other than y/n do nothing while asking.
    assert_eq!(key(&app, "h"), None);
    let effects = press(&mut app, "y");
    assert_eq!(
        commands(&effects),
        vec![Command::Kick {
            conferencecall_id: cast.sales_worker.conferencecall
        }]
    );

    press(&mut app, "x");
    assert!(press(&mut app, "n").is_empty());
    assert_eq!(app.view.overlay, None);
}

#[test]
fn end_conference_confirms() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Support 3");
    press(&mut app, "E");
    let effects = press(&mut app, "y");
    assert_eq!(
        commands(&effects),
        vec![Command::End {
            conference_id: cast.support
        }]
    );
}

#[test]
fn mute_toggles_and_direction_chooser_mutes_one_way() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Support 3");
    // Carol (first, muted both) is selected after moving to the top.
    press(&mut app, "g");
    let effects = press(&mut app, "m");
    assert_eq!(
        commands(&effects),
        vec![Command::Unmute {
            call_id: cast.support_worker.call,
            direction: MuteDirection::Both
        }]
    );
    press(&mut app, "j D");
    assert!(matches!(
        app.view.overlay,
        Some(Overlay::MuteDirection { .. })
    ));
    let effects = press(&mut app, "i");
    assert!(matches!(
        commands(&effects).as_slice(),
        [Command::Mute {
            direction: MuteDirection::In,
            ..
        }]
    ));
}

#[test]
fn readonly_refuses_every_change_and_says_so() {
    let (mut app, _) = app(false, true);
    for keys in ["h", "m", "x", "X", "E", "r", "D"] {
        assert!(press(&mut app, keys).is_empty(), "{keys} sent a command");
        assert_eq!(app.view.overlay, None, "{keys} opened a dialog");
    }
    assert!(app
        .view
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("read-only"));
    // `:readonly` cannot lift a read-only start.
    select_conference(&mut app, "Sales escalation");
    press(&mut app, ":");
    for c in "readonly".chars() {
        app.update(Action::Edit(bridgetop::app::Edit::Insert(c)), now());
    }
    app.update(Action::Edit(bridgetop::app::Edit::Submit), now());
    assert!(app.view.readonly);
}

#[test]
fn results_come_back_as_messages_and_audit() {
    let (mut app, _) = app(false, false);
    select_conference(&mut app, "Sales escalation");
    let effects = press(&mut app, "h");
    let Some(Effect::Command(request)) = effects.iter().find(|e| matches!(e, Effect::Command(_)))
    else {
        panic!("no command")
    };
    app.update(
        Action::Inbound(Box::new(Input::CommandFailed {
            id: request.id,
            failure: CommandFailure {
                reason: "INVALID_ARGUMENT".into(),
                message: "channel gone".into(),
                request_id: None,
                status: Some(400),
            },
        })),
        now(),
    );
    let message = app.view.message.clone().unwrap();
    assert!(
        message.text.contains("INVALID_ARGUMENT: channel gone"),
        "{}",
        message.text
    );
    let entry = app.audit.newest_first().next().unwrap();
    assert!(matches!(
        entry.status,
        bridgetop::app::audit::RowStatus::Failed { .. }
    ));
}

#[test]
fn next_attention_walks_conferences_with_alerts() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Team huddle");
    press(&mut app, "n");
    let first = app.view.selected_conference.unwrap();
    assert!(!app.conference(first).unwrap().alerts.is_empty());
    press(&mut app, "n n n");
    // Three conferences have alerts: three more presses come back round.
    assert_eq!(app.view.selected_conference, Some(first));
    press(&mut app, "N");
    assert_ne!(app.view.selected_conference, Some(first));
    assert_ne!(app.view.selected_conference, Some(cast.support));
}

#[test]
fn filter_narrows_the_table_and_esc_clears_it() {
    let (mut app, _) = app(false, false);
    press(&mut app, "/");
    assert!(matches!(app.view.prompt, Some(Prompt::Filter(_))));
    for c in "carol".chars() {
        app.update(Action::Edit(bridgetop::app::Edit::Insert(c)), now());
    }
    app.prepare(12);
    assert_eq!(app.overview().len(), 1);
    app.update(Action::Edit(bridgetop::app::Edit::Submit), now());
    press(&mut app, "esc");
    assert_eq!(app.overview().len(), 5);
}

#[test]
fn command_line_subsets_and_audit() {
    let (mut app, _) = app(false, false);
    for (line, subset, focus) in [
        ("held", Subset::Held, Focus::Conferences),
        ("alerts", Subset::Alerting, Focus::Alerts),
    ] {
        press(&mut app, ":");
        for c in line.chars() {
            app.update(Action::Edit(bridgetop::app::Edit::Insert(c)), now());
        }
        app.update(Action::Edit(bridgetop::app::Edit::Submit), now());
        app.prepare(12);
        assert_eq!(app.view.subset, subset);
        assert_eq!(app.view.focus, focus);
    }
    assert_eq!(app.overview().len(), 3);
    press(&mut app, "a");
    assert!(app.view.show_audit);
}

#[test]
fn freeze_keeps_the_view_while_the_store_moves() {
    let (mut app, _) = app(false, false);
    press(&mut app, "f");
    let frozen_rows = app.overview().rows_from(0).collect::<Vec<_>>();
    // Long enough for a hold to turn critical, which reorders the attention sort.
    let later = now() + chrono::TimeDelta::seconds(150);
    app.update(Action::Tick, later);
    app.prepare(12);
    assert_eq!(app.overview().rows_from(0).collect::<Vec<_>>(), frozen_rows);
    assert_eq!(app.screen_time(later), now());

    press(&mut app, "f");
    app.prepare(12);
    assert_ne!(
        app.overview().rows_from(0).collect::<Vec<_>>(),
        frozen_rows,
        "live again, the order moved"
    );
}

#[test]
fn a_frozen_view_refuses_commands_and_esc_restores_the_filter() {
    let (mut app, _) = app(false, false);
    press(&mut app, "f");
    let effects = press(&mut app, "h");
    assert!(effects.is_empty(), "nothing is sent from a frozen view");
    assert!(app.frozen.is_some());
    let said = app
        .view
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        said.contains("frozen") && said.contains("press f"),
        "{said}"
    );
    // The same key on the live view does send the hold.
    press(&mut app, "f");
    assert!(!press(&mut app, "h").is_empty());

    // Filtering makes the view live again, and esc puts the previous filter back.
    press(&mut app, "/");
    for c in "sales".chars() {
        app.update(Action::Edit(bridgetop::app::Edit::Insert(c)), now());
    }
    app.update(Action::Edit(bridgetop::app::Edit::Submit), now());
    assert!(app.frozen.is_none());
    press(&mut app, "/");
    for c in "zzz".chars() {
        app.update(Action::Edit(bridgetop::app::Edit::Insert(c)), now());
    }
    app.update(Action::Edit(bridgetop::app::Edit::Cancel), now());
    assert_eq!(
        app.view.filter.as_ref().map(|f| f.text.as_str()),
        Some("sales")
    );
}

#[test]
fn agent_keys_act_on_my_conference() {
    let (mut app, cast) = app(true, false);
    press(&mut app, "c");
    assert_eq!(app.view.selected_conference, Some(cast.onboarding));
    let effects = press(&mut app, "M");
    assert!(matches!(
        commands(&effects).as_slice(),
        [Command::Mute {
            direction: MuteDirection::Both,
            ..
        }]
    ));
    let effects = press(&mut app, "H");
    assert!(matches!(
        commands(&effects).as_slice(),
        [Command::Hold { .. }]
    ));
}

#[test]
fn a_rebinding_changes_the_key() {
    let (mut app, _) = app(false, false);
    let overrides =
        std::collections::BTreeMap::from([("kick".to_string(), vec!["ctrl-k".to_string()])]);
    app.keymap = Keymap::with_overrides(&overrides).unwrap();
    assert_eq!(key(&app, "ctrl-k"), Some(Action::Run(UserCommand::Kick)));
    assert_eq!(key(&app, "x"), None);
}

#[test]
fn quit_asks_the_loop_to_stop() {
    let (mut app, _) = app(false, false);
    assert_eq!(press(&mut app, "q"), vec![Effect::Quit]);
    assert!(app.quit);
}

#[test]
fn a_hold_intent_is_saved_before_the_command_leaves() {
    let (mut app, _) = app(false, false);
    select_conference(&mut app, "Support");
    let effects = press(&mut app, "h");
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::SaveHoldLedger, Effect::Command(_)]
        ),
        "{effects:?}"
    );
    let held = app.selected_participant().unwrap().call_id.unwrap();
    assert!(app.store.ledger().get(held).unwrap().unconfirmed);
}

#[test]
fn a_command_settled_by_the_platform_state_closes_its_audit_row() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Support 3");
    press(&mut app, "g");
    let effects = press(&mut app, "m");
    let sent = commands(&effects);
    let [Command::Unmute { call_id, .. }] = sent.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(*call_id, cast.support_worker.call);
    assert_eq!(
        app.audit.newest_first().next().unwrap().status,
        bridgetop::app::audit::RowStatus::Pending
    );
    // No reply confirms a mute: the call frame showing it unmuted does.
    let (floor, _) = ui_support::floor();
    let mut call = floor
        .snapshot
        .calls
        .iter()
        .find(|c| c.id == *call_id)
        .unwrap()
        .clone();
    call.mute_direction = None;
    let held = app.store.call(*call_id).unwrap().tm_update;
    call.tm_update = held.map(|t| t + chrono::TimeDelta::seconds(1));
    let input = Input::Fetched(bridgetop::voipbin::Resource::Call(call));
    app.update(Action::Inbound(Box::new(input)), now());
    let row = app.audit.newest_first().next().unwrap();
    assert_eq!(row.status, bridgetop::app::audit::RowStatus::Confirmed);
    assert!(row.finished_at.is_some());
    assert!(app.view.message.as_ref().unwrap().text.starts_with('✓'));
}

#[test]
fn a_failed_write_stays_visible() {
    let (mut app, _) = app(false, false);
    app.update(
        Action::WriteFailed("cannot write hold ledger /ro/hold-ledger.json".into()),
        now(),
    );
    assert!(app
        .view
        .message
        .as_ref()
        .unwrap()
        .text
        .contains("not recorded"));
    assert!(app.unrecorded.is_some(), "the header keeps a marker");
}

/// Whether one action asks for a new frame.
fn dirties(app: &mut App, action: Action) -> bool {
    app.dirty = false;
    app.update(action, now());
    app.dirty
}

fn frame(text: &str) -> Action {
    Action::Inbound(Box::new(Input::Frame(text.into())))
}

/// A console's store builds no change records; the screen is still drawn again exactly
/// when a frame changes what it shows.
#[test]
fn a_console_without_change_records_redraws_on_visible_changes_only() {
    let (mut app, cast) = app(false, false);
    let store = std::mem::replace(
        &mut app.store,
        ConferencesState::new(StoreConfig::default()),
    );
    app.store = store.without_change_records();
    let (floor, _) = ui_support::floor();
    let call = |muted: bool, later: i64| {
        let mut call = floor
            .snapshot
            .calls
            .iter()
            .find(|c| c.id == cast.support_worker.call)
            .unwrap()
            .clone();
        call.mute_direction = muted.then_some(MuteDirection::Both);
        call.tm_update = call
            .tm_update
            .map(|t| t + chrono::TimeDelta::seconds(later));
        Action::Inbound(Box::new(Input::Fetched(
            bridgetop::voipbin::Resource::Call(call),
        )))
    };
    let before = app
        .store
        .call(cast.support_worker.call)
        .unwrap()
        .mute_direction
        .is_some();
    assert!(dirties(&mut app, call(!before, 1)), "a mute shows");
    assert!(
        !dirties(&mut app, call(!before, 2)),
        "a newer stamp with the same state changes nothing on screen"
    );
}

#[test]
fn a_redraw_follows_user_actions_and_visible_inputs_only() {
    let (mut app, _) = app(false, false);
    let down = key(&app, "j").unwrap();
    assert!(dirties(&mut app, down), "a key");
    assert!(dirties(&mut app, Action::Resize), "a resize");
    assert!(dirties(&mut app, Action::Tick), "a tick moves the timers");
    assert!(!dirties(&mut app, frame("not a frame")), "a rejected frame");
    let same = app.connection.clone();
    assert!(!dirties(&mut app, Action::Connection(same)), "no change");
    let lost = bridgetop::app::ConnectionState::Reconnecting {
        attempt: 1,
        stale_since: now(),
        last_error: "connection refused".into(),
        retry_at: None,
    };
    assert!(
        dirties(&mut app, Action::Connection(lost)),
        "connection lost"
    );

    select_conference(&mut app, "Sales escalation");
    let effects = press(&mut app, "h");
    let Some(Effect::Command(request)) = effects.iter().find(|e| matches!(e, Effect::Command(_)))
    else {
        panic!("no command")
    };
    let failed = Input::CommandFailed {
        id: request.id,
        failure: CommandFailure {
            reason: "INVALID_ARGUMENT".into(),
            message: "channel gone".into(),
            request_id: None,
            status: Some(400),
        },
    };
    assert!(
        dirties(&mut app, Action::Inbound(Box::new(failed))),
        "a result"
    );
}

#[test]
fn a_rejected_frame_keeps_a_pending_rebuild() {
    let (mut app, _) = app(false, false);
    press(&mut app, "/");
    for c in "carol".chars() {
        app.update(Action::Edit(bridgetop::app::Edit::Insert(c)), now());
    }
    assert!(!dirties(&mut app, frame("not a frame")));
    app.prepare(12);
    assert_eq!(app.overview().len(), 1, "the filter still applies");
}

#[test]
fn a_command_the_state_already_shows_is_reported_at_once() {
    let (mut app, _) = app(false, false);
    select_conference(&mut app, "Support 3");
    // The second participant is not muted: unmuting them is already true.
    let effects = press(&mut app, "g j D u");
    assert!(matches!(
        commands(&effects).as_slice(),
        [Command::Unmute { .. }]
    ));
    let row = app.audit.newest_first().next().unwrap();
    assert_eq!(row.status, bridgetop::app::audit::RowStatus::Confirmed);
}

/// The selected room ends under the cursor: the selection stays on it (never on the room
/// that moves up into its row), a verb on it is refused, and moving goes on from its row.
#[test]
fn a_room_that_ends_under_the_cursor_stays_selected_until_the_user_moves() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Sales escalation");
    let room = app.view.selected_conference.unwrap();
    let customer = app.view.selected_participant.unwrap();
    let row = app.cursor().unwrap();
    let listed = app.overview().len();
    let below = app
        .overview()
        .row(row + 1)
        .expect("a room below the selected one");

    end_selected_room(&mut app);

    assert_eq!(app.overview().len(), listed - 1, "it left the live list");
    assert_eq!(app.view.selected_conference, Some(room), "still selected");
    assert_eq!(app.view.selected_participant, Some(customer));
    assert_eq!(app.cursor(), Some(row), "drawn at the row it had");
    let message = app.view.message.as_ref().unwrap().text.clone();
    assert!(message.contains("ended"), "{message}");

    // No verb reaches the room that moved up into its row.
    for verb in ["h", "m", "x", "E"] {
        let effects = press(&mut app, verb);
        assert!(commands(&effects).is_empty(), "{verb} is refused");
        assert!(app.view.overlay.is_none(), "{verb} asks nothing");
        assert_eq!(app.view.selected_conference, Some(room));
    }
    let refusal = app.view.message.as_ref().unwrap().text.clone();
    assert!(refusal.contains("ended"), "{refusal}");
    let _ = cast;

    // Moving down goes to the room that was below it.
    app.view.focus = Focus::Conferences;
    press(&mut app, "j");
    assert_eq!(app.view.selected_conference, Some(below));
    assert_eq!(app.cursor(), Some(row), "that room now has the row");
}

/// The selected room ends (its last frame: terminated, nobody listed).
fn end_selected_room(app: &mut App) {
    let room = app.view.selected_conference.unwrap();
    let mut ended = (*app.store.conference(room).unwrap().conference).clone();
    ended.status = Some(bridgetop::voipbin::ConferenceStatus::Terminated);
    ended.conferencecall_ids.clear();
    ended.tm_update = ended.tm_update.map(|t| t + chrono::TimeDelta::seconds(1));
    let input = Input::Fetched(bridgetop::voipbin::Resource::Conference(ended));
    app.update(Action::Inbound(Box::new(input)), now());
    app.prepare(12);
}

/// From an ended room on the first row `k` stays, `j` goes to the room now first; on the
/// last row `j` stays, `k` goes to the room above. Forgotten by the store, it stays.
#[test]
fn moving_on_from_an_ended_room_at_either_end_of_the_table() {
    let (mut app, _) = app(false, false);
    app.view.focus = Focus::Conferences;
    press(&mut app, "g");
    let top = app.view.selected_conference.unwrap();
    let second = app.overview().row(1).unwrap();
    end_selected_room(&mut app);
    assert_eq!(
        app.pinned_ended().map(|(row, c)| (row, c.id())),
        Some((0, top))
    );
    press(&mut app, "k");
    assert_eq!(
        app.view.selected_conference,
        Some(top),
        "k stays on the top row"
    );
    press(&mut app, "j");
    assert_eq!(app.view.selected_conference, Some(second));

    press(&mut app, "G");
    let last = app.view.selected_conference.unwrap();
    let above = app.overview().row(app.overview().len() - 2).unwrap();
    end_selected_room(&mut app);
    let bottom = app.overview().len();
    assert_eq!(
        app.pinned_ended().map(|(row, c)| (row, c.id())),
        Some((bottom, last))
    );
    press(&mut app, "j");
    assert_eq!(
        app.view.selected_conference,
        Some(last),
        "j stays on the last row"
    );
    // Past the ended rooms' retention the store forgets it; the selection does not move.
    let later = now() + app.store.config().ended_retention + chrono::TimeDelta::seconds(1);
    app.update(Action::Inbound(Box::new(Input::Tick)), later);
    app.prepare(12);
    assert!(
        app.store.conference(last).is_none(),
        "forgotten by the store"
    );
    assert_eq!(app.view.selected_conference, Some(last));
    assert!(app.conference(last).is_some_and(|c| c.ended), "still shown");
    press(&mut app, "k");
    assert_eq!(app.view.selected_conference, Some(above));
}

/// The Sales room renamed and recording, as a newer version from the platform.
fn recording_sales_room(app: &mut App, name: &str) {
    let (floor, cast) = ui_support::floor();
    let mut conference = floor
        .snapshot
        .conferences
        .iter()
        .find(|c| c.id == cast.sales)
        .unwrap()
        .clone();
    conference.name = name.to_owned();
    conference.recording_id = uuid::Uuid::from_u128(0xAEC0);
    conference.tm_update = Some(now());
    let input = Input::Fetched(bridgetop::voipbin::Resource::Conference(conference));
    app.update(Action::Inbound(Box::new(input)), now());
    app.prepare(12);
}

#[test]
fn stopping_a_recording_asks_first_and_starting_does_not() {
    let (mut app, cast) = app(false, false);
    select_conference(&mut app, "Sales escalation");
    assert_eq!(
        commands(&press(&mut app, "r")),
        vec![Command::RecordingStart {
            conference_id: cast.sales
        }]
    );
    let (mut app, cast) = ui_support::app(false, false);
    recording_sales_room(&mut app, "Sales escalation");
    select_conference(&mut app, "Sales escalation");
    assert!(
        press(&mut app, "r").is_empty(),
        "nothing is sent before the answer"
    );
    let Some(Overlay::Confirm(confirmation)) = &app.view.overlay else {
        panic!("no confirmation: {:?}", app.view.overlay);
    };
    assert!(confirmation
        .question
        .starts_with("Stop recording Sales escalation?"));
    assert_eq!(
        commands(&press(&mut app, "y")),
        vec![Command::RecordingStop {
            conference_id: cast.sales
        }]
    );
}

#[test]
fn end_asks_in_words_that_fit_the_count() {
    let (mut app, _) = app(false, false);
    select_conference(&mut app, "Team huddle");
    press(&mut app, "E");
    let Some(Overlay::Confirm(confirmation)) = &app.view.overlay else {
        panic!("no confirmation");
    };
    assert_eq!(
        confirmation.question,
        "End Team huddle for its 1 participant?"
    );
    press(&mut app, "esc");
    select_conference(&mut app, "Sales escalation");
    press(&mut app, "E");
    let Some(Overlay::Confirm(confirmation)) = &app.view.overlay else {
        panic!("no confirmation");
    };
    assert_eq!(
        confirmation.question,
        "End Sales escalation for all 3 participants?"
    );
}

#[test]
fn enter_drills_in_and_ctrl_z_suspends() {
    let (mut app, cast) = app(false, false);
    assert_eq!(app.view.focus, Focus::Conferences);
    press(&mut app, "enter");
    assert_eq!(app.view.focus, Focus::Participants);
    // From the alerts pane, Enter opens the alert's room on the leg it is about.
    press(&mut app, "tab");
    assert_eq!(app.view.focus, Focus::Alerts);
    let alert = app
        .overview()
        .alert(app.view.alert_cursor)
        .cloned()
        .unwrap();
    press(&mut app, "enter");
    assert_eq!(app.view.focus, Focus::Participants);
    assert_eq!(app.view.selected_conference, Some(alert.conference_id));
    if let Some(leg) = alert.alert.conferencecall_id {
        assert_eq!(app.view.selected_participant, Some(leg));
    }
    let _ = cast;
    assert!(matches!(
        press(&mut app, "ctrl-z").as_slice(),
        [Effect::Suspend]
    ));
}

#[test]
fn a_long_room_name_widens_the_confirmation() {
    let long = "Escalations for the enterprise support queue, priority customers, EMEA night shift";
    for width in [120u16, 80] {
        let (mut app, _) = ui_support::app(false, false);
        recording_sales_room(&mut app, long);
        select_conference(&mut app, long);
        press(&mut app, "E");
        app.prepare(bridgetop::ui::table_rows(ratatui::layout::Rect::new(
            0, 0, width, 40,
        )));
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, 40)).unwrap();
        terminal
            .draw(|frame| bridgetop::ui::draw(frame, &app, now()))
            .unwrap();
        let screen = terminal.backend().to_string();
        // Wide screens keep the name on one line; narrow ones wrap it, but all of it shows.
        assert!(screen.contains("night shift"), "{screen}");
        // In the table the name is cut in the middle, so its end still shows.
        let row = screen.lines().find(|l| l.contains("Alice Ng")).unwrap();
        assert!(
            row.contains("Escal") && row.contains('…') && row.contains("shift"),
            "{row}"
        );
        if width == 120 {
            assert!(screen.contains(&format!("End {long}")), "{screen}");
        }
    }
}

fn notifications(effects: &[Effect]) -> Vec<bridgetop::app::notify::Notification> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_critical_alert_rings_once_and_warnings_stay_quiet_by_default() {
    let (mut app, _) = app(false, false);
    // The customer has been on hold 95 s (a warning); at 180 s it turns critical.
    let later = now() + ui_support::secs(30);
    assert!(notifications(&app.update(Action::Tick, later)).is_empty());
    let critical = now() + ui_support::secs(86);
    let rung = notifications(&app.update(Action::Tick, critical));
    assert_eq!(rung.len(), 1, "{rung:?}");
    assert!(rung[0].bell && rung[0].desktop);
    assert_eq!(rung[0].title, "bridgetop: on hold too long");
    assert_eq!(rung[0].body, "+14155550100 in Sales escalation");
    // Still critical a second later: not announced again.
    let again = app.update(Action::Tick, critical + ui_support::secs(1));
    assert!(notifications(&again).is_empty());
}

#[test]
fn notification_levels_follow_the_config() {
    use bridgetop::app::notify::{NotifyLevel, NotifyPolicy};
    let (mut app, _) = app(false, false);
    app.notify = NotifyPolicy {
        bell: NotifyLevel::None,
        desktop: NotifyLevel::None,
    };
    let critical = now() + ui_support::secs(86);
    assert!(notifications(&app.update(Action::Tick, critical)).is_empty());
    let (mut app, _) = ui_support::app(false, false);
    app.notify = NotifyPolicy {
        bell: NotifyLevel::All,
        desktop: NotifyLevel::None,
    };
    // With `all`, the warnings raised over the next two minutes ring too.
    let mut rung = Vec::new();
    for second in 1..=120 {
        rung.extend(notifications(
            &app.update(Action::Tick, now() + ui_support::secs(second)),
        ));
    }
    assert!(
        !rung.is_empty() && rung.iter().all(|n| n.bell && !n.desktop),
        "{rung:?}"
    );
}

#[test]
fn a_reloaded_config_changes_keys_and_thresholds_and_a_bad_one_changes_nothing() {
    use bridgetop::app::settings::{Settings, SettingsSource};
    let (mut app, _) = app(false, false);
    let config = bridgetop::config::Config::parse(
        "[keymap]\nkick = [\"ctrl-k\"]\n[alerts]\nhold_warning = 600\nhold_critical = 900\n",
        std::path::Path::new("config.toml"),
    )
    .unwrap();
    let mut full = bridgetop::config::Config::embedded();
    full.keymap.extend(config.keymap);
    full.alerts = config.alerts;
    let source = SettingsSource {
        profile: "default",
        config_file: None,
        colours: true,
    };
    let before = app.overview().totals.alerts;
    app.reload_settings(Settings::from_config(&full, source), now());
    let message = app.view.message.as_ref().unwrap().text.clone();
    assert_eq!(message, "config reloaded: keys, alert thresholds changed");
    assert_eq!(key(&app, "ctrl-k"), Some(Action::Run(UserCommand::Kick)));
    assert_eq!(key(&app, "x"), None);
    // The 95 s hold no longer passes the warning threshold: its alert is gone.
    app.prepare(12);
    assert_eq!(app.overview().totals.alerts, before - 1);

    let kept = app.settings();
    app.reload_settings(Err("config file config.toml is not valid: x".into()), now());
    let message = app.view.message.as_ref().unwrap().text.clone();
    assert!(
        message.starts_with("config not reloaded, the previous settings stay"),
        "{message}"
    );
    assert_eq!(app.settings(), kept);
}

#[test]
fn a_click_selects_the_row_under_it_and_the_wheel_scrolls_that_pane() {
    use bridgetop::app::mouse::Pointer;
    use ratatui::layout::{Position, Rect};
    let screen = Rect::new(0, 0, 120, 40);
    let point = |app: &mut App, pointer, x, y| {
        app.update(
            Action::Pointer {
                pointer,
                at: Position::new(x, y),
                screen,
            },
            now(),
        );
        app.prepare(bridgetop::ui::table_rows(screen));
    };
    let (mut app, _) = app(false, false);
    app.prepare(bridgetop::ui::table_rows(screen));
    let regions = bridgetop::ui::layout(screen);
    // The table's third data row: below its border and header.
    let third = regions.table.y + 2 + 2;
    point(&mut app, Pointer::Click, 10, third);
    assert_eq!(app.view.selected_conference, app.overview().row(2));
    assert_eq!(app.view.focus, Focus::Conferences);
    point(&mut app, Pointer::WheelUp, 10, third);
    assert_eq!(app.view.selected_conference, app.overview().row(0));
    // A click in the participants pane focuses it and selects that participant.
    let sales = app.overview().rows_from(0).find(|id| {
        app.store
            .conference(*id)
            .is_some_and(|c| c.conference.name == "Sales escalation")
    });
    app.update(Action::Run(UserCommand::Top), now());
    while app.view.selected_conference != sales {
        app.update(Action::Run(UserCommand::Down), now());
        app.prepare(bridgetop::ui::table_rows(screen));
    }
    point(&mut app, Pointer::Click, 5, regions.lower.y + 2);
    assert_eq!(app.view.focus, Focus::Participants);
    let first =
        bridgetop::app::participant_order(app.selected_conference().unwrap())[0].conferencecall_id;
    assert_eq!(app.view.selected_participant, Some(first));
    // The alerts pane beside it: the second alert opens its room.
    let side = regions.side.unwrap();
    point(&mut app, Pointer::Click, side.x + 3, side.y + 3);
    assert_eq!(app.view.focus, Focus::Alerts);
    assert_eq!(app.view.alert_cursor, 1);
    let alert = app.overview().alert(1).unwrap().conference_id;
    assert_eq!(app.view.selected_conference, Some(alert));
    // Under the help overlay the pointer does nothing.
    press(&mut app, "?");
    let before = app.view.clone();
    point(&mut app, Pointer::Click, 10, third);
    assert_eq!(app.view.selected_conference, before.selected_conference);
}
