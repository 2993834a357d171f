//! The overview is kept up to date by moving only the rooms an input changed. Whatever the
//! sort, filter and subset, in agent mode or not, and whatever mix of mutes, leaving legs,
//! ending rooms, new rooms, time passing (alerts raised, ended rooms forgotten) and
//! freezing and unfreezing, it must equal an overview built from scratch over the same
//! store.

mod ui_support;

use bridgetop::app::overview::{Overview, OverviewRequest};
use bridgetop::app::view::{Filter, Subset};
use bridgetop::app::{Action, App, Keymap, UserCommand};
use bridgetop::store::{ConferencesState, Input, StoreConfig};
use bridgetop::ui::columns::SortKey;
use bridgetop::voipbin::{ConferenceStatus, MuteDirection, Resource};
use chrono::TimeDelta;
use proptest::prelude::*;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Step {
    ToggleMute(usize),
    LegLeaves(usize),
    RoomEnds(usize),
    NewRoom,
    Wait(i64),
    Draw,
    Freeze,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0usize..200).prop_map(Step::ToggleMute),
        2 => (0usize..200).prop_map(Step::LegLeaves),
        1 => (0usize..100).prop_map(Step::RoomEnds),
        1 => Just(Step::NewRoom),
        2 => (1i64..400).prop_map(Step::Wait),
        3 => Just(Step::Draw),
        1 => Just(Step::Freeze),
    ]
}

/// The overview built from scratch over the app's store and settings.
fn fresh(app: &App) -> Overview {
    let request = OverviewRequest {
        filter: app.view.filter.clone(),
        subset: app.view.subset,
        sort: app.view.sort,
        reversed: app.view.reversed,
        mine_first: app.agent_mode(),
    };
    Overview::build(app.store.live(), request)
}

fn assert_same(live: &Overview, fresh: &Overview) -> Result<(), TestCaseError> {
    prop_assert_eq!(live.totals, fresh.totals);
    prop_assert_eq!(
        live.rows_from(0).collect::<Vec<Uuid>>(),
        fresh.rows_from(0).collect::<Vec<Uuid>>()
    );
    prop_assert_eq!(
        live.alerts_from(0).cloned().collect::<Vec<_>>(),
        fresh.alerts_from(0).cloned().collect::<Vec<_>>()
    );
    for (index, id) in fresh.rows_from(0).enumerate() {
        prop_assert_eq!(live.position(id), Some(index));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn kept_up_to_date_equals_built_afresh(
        sorts in 0usize..6,
        reversed in any::<bool>(),
        subset in prop_oneof![Just(Subset::All), Just(Subset::Held), Just(Subset::Alerting)],
        filter in prop_oneof![Just(None), Just(Some("room 000")), Just(Some("1415"))],
        agent_mode in any::<bool>(),
        steps in proptest::collection::vec(step(), 1..60),
    ) {
        let floor = ui_support::big_floor(30);
        let floor_agent = floor.agents[0].id;
        let mut conferences = floor.conferences.clone();
        let mut calls = floor.calls.clone();
        let mut now = ui_support::now();
        // In agent mode the console belongs to the first room's agent: its room leads.
        let me = agent_mode.then_some(floor_agent);
        let config = StoreConfig {
            myself: me,
            ..StoreConfig::default()
        };
        let mut store = ConferencesState::new(config);
        store.apply(Input::Snapshot(floor), now);
        let mut app = App::new(store, Keymap::default(), ui_support::session(me), false);
        let mut sort = SortKey::first();
        for _ in 0..sorts {
            sort = sort.next();
        }
        app.view.sort = sort;
        app.view.reversed = reversed;
        app.view.subset = subset;
        app.view.filter = filter.map(Filter::new);
        app.prepare(10);

        let mut stamp = 0;
        for step in steps {
            stamp += 1;
            let at = Some(now + TimeDelta::microseconds(stamp));
            let input = match step {
                Step::ToggleMute(i) => {
                    let count = calls.len();
                    let call = &mut calls[i % count];
                    call.tm_update = at;
                    call.mute_direction = match call.mute_direction {
                        None => Some(MuteDirection::Both),
                        Some(_) => None,
                    };
                    Input::Fetched(Resource::Call(call.clone()))
                }
                Step::LegLeaves(i) => {
                    let count = conferences.len();
                    let room = &mut conferences[i % count];
                    if room.conferencecall_ids.is_empty() {
                        continue;
                    }
                    let leg = i % room.conferencecall_ids.len();
                    room.conferencecall_ids.remove(leg);
                    room.tm_update = at;
                    Input::Fetched(Resource::Conference(room.clone()))
                }
                Step::RoomEnds(i) => {
                    let count = conferences.len();
                    let room = &mut conferences[i % count];
                    room.status = Some(ConferenceStatus::Terminated);
                    room.tm_update = at;
                    Input::Fetched(Resource::Conference(room.clone()))
                }
                Step::NewRoom => {
                    let mut room = conferences[0].clone();
                    room.id = Uuid::new_v4();
                    room.name = format!("Room new {stamp}");
                    room.status = Some(ConferenceStatus::Progressing);
                    room.conferencecall_ids.clear();
                    room.tm_create = at;
                    room.tm_update = at;
                    conferences.push(room.clone());
                    Input::Fetched(Resource::Conference(room))
                }
                Step::Wait(seconds) => {
                    now += TimeDelta::seconds(seconds);
                    app.update(Action::Tick, now);
                    continue;
                }
                Step::Draw => {
                    app.prepare(10);
                    // Kept up to date, not built afresh by an unfreeze: check it here too.
                    if app.frozen.is_none() {
                        assert_same(app.overview(), &fresh(&app))?;
                    }
                    continue;
                }
                Step::Freeze => {
                    app.update(Action::Run(UserCommand::Freeze), now);
                    app.prepare(10);
                    continue;
                }
            };
            app.update(Action::Inbound(Box::new(input)), now);
        }
        if app.frozen.is_some() {
            app.update(Action::Run(UserCommand::Freeze), now);
        }
        app.prepare(10);
        assert_same(app.overview(), &fresh(&app))?;
        if agent_mode {
            // My room leads whenever it is listed.
            let mine = |id: Uuid| {
                app.store
                    .conference(id)
                    .is_some_and(bridgetop::store::ConferenceView::is_mine)
            };
            let first_is_mine = app.overview().row(0).is_some_and(mine);
            let mine_listed = app.overview().rows_from(0).any(mine);
            prop_assert_eq!(first_is_mine, mine_listed);
        }
    }
}
