//! The application: the store, the view state and the update step. Keys become actions,
//! actions become view changes and effects; drawing and I/O live elsewhere (`ui`, `run`).

pub mod action;
pub mod audit;
pub mod command;
pub mod command_line;
pub mod config_watch;
pub mod effect;
pub mod event_rate;
pub mod key;
mod key_routing;
pub mod keymap;
pub mod launch;
mod message;
pub mod mouse;
mod navigation;
pub mod notify;
mod ordered_index;
pub mod overview;
mod participant_verbs;
mod prompt;
pub mod row_order;
pub mod run;
pub mod settings;
pub mod terminal;
mod update;
mod user_command;
pub mod view;
mod view_toggles;

use std::collections::HashMap;

use uuid::Uuid;

pub use crate::client::connection::ConnectionState;
pub use action::{Action, Edit, MuteChoice};
pub use command::{HelpGroup, UserCommand};
pub use effect::Effect;
pub use key::Key;
pub use keymap::Keymap;

use audit::AuditLog;
use event_rate::EventRate;
use overview::{Overview, OverviewRequest};
use view::ViewState;

use crate::store::{
    ConferenceView, ConferencesState, Participant, ParticipantStatus, ParticipantType,
};
use crate::ui::theme::Theme;
use crate::voipbin::Timestamp;

/// Conferences waiting to be re-read before the overview is built afresh instead.
const MAX_TOUCHED: usize = 50_000;

/// Who is looking: shown in the header; `me` turns on agent mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewer {
    pub profile: String,
    pub customer: String,
    pub me: Option<Uuid>,
}

/// The view as it was when the user pressed freeze.
#[derive(Debug, Clone)]
pub struct Frozen {
    pub conferences: HashMap<Uuid, ConferenceView>,
    pub overview: Overview,
    pub at: Timestamp,
}

#[derive(Debug)]
pub struct App {
    pub store: ConferencesState,
    pub frozen: Option<Frozen>,
    /// The selected room as it ended: it stays on screen after the store forgets it, until
    /// the user moves (see `pinned_ended`).
    ended_selection: Option<ConferenceView>,
    pub view: ViewState,
    pub keymap: Keymap,
    /// The styles every frame is drawn with (`[theme]`, `--color`).
    pub theme: Theme,
    /// Which raised alerts ring the bell or notify the desktop (`[notifications]`).
    pub notify: notify::NotifyPolicy,
    /// The alerts already announced, by conference.
    announced: notify::Announced,
    overview: Overview,
    /// The view settings changed: the overview is built afresh before the next frame.
    rebuild_overview: bool,
    /// Conferences the store re-derived since the overview was last brought up to date.
    touched: Vec<Uuid>,
    /// The store input being applied changed something on screen (see `update`).
    input_visible: bool,
    pub connection: ConnectionState,
    pub event_rate: EventRate,
    pub audit: AuditLog,
    pub session: Viewer,
    /// The last local write (audit trail, hold ledger) that failed: the header keeps a
    /// marker for the rest of the session, since what it did not record stays unrecorded.
    pub unrecorded: Option<String>,
    next_command_id: u64,
    /// Something on screen changed since the last frame. Set only by `update`, by one
    /// rule (see there); cleared when a frame is drawn.
    pub dirty: bool,
    pub quit: bool,
}

impl App {
    pub fn new(store: ConferencesState, keymap: Keymap, session: Viewer, readonly: bool) -> App {
        App {
            store,
            frozen: None,
            ended_selection: None,
            view: ViewState::new(readonly),
            keymap,
            theme: Theme::default(),
            notify: notify::NotifyPolicy::default(),
            announced: notify::Announced::default(),
            overview: Overview::default(),
            rebuild_overview: true,
            touched: Vec::new(),
            input_visible: false,
            connection: ConnectionState::first_attempt(),
            event_rate: EventRate::new(60),
            audit: AuditLog::default(),
            session,
            unrecorded: None,
            next_command_id: 1,
            dirty: true,
            quit: false,
        }
    }

    pub fn agent_mode(&self) -> bool {
        self.session.me.is_some()
    }

    /// The overview on screen: the frozen one while frozen.
    pub fn overview(&self) -> &Overview {
        self.frozen
            .as_ref()
            .map_or(&self.overview, |frozen| &frozen.overview)
    }

    /// A conference as it is on screen (frozen or live).
    pub fn conference(&self, id: Uuid) -> Option<&ConferenceView> {
        let shown = match &self.frozen {
            Some(frozen) => frozen.conferences.get(&id),
            None => self.store.conference(id),
        };
        shown.or(self.ended_selection.as_ref().filter(|c| c.id() == id))
    }

    /// The time the screen shows: frozen timers stand still.
    pub fn screen_time(&self, now: Timestamp) -> Timestamp {
        self.frozen.as_ref().map_or(now, |frozen| frozen.at)
    }

    pub fn selected_conference(&self) -> Option<&ConferenceView> {
        self.conference(self.view.selected_conference?)
    }

    pub fn selected_participant(&self) -> Option<&Participant> {
        let id = self.view.selected_participant?;
        self.selected_conference()?.participant(id)
    }

    /// The cursor row in the table, if any row is selected.
    pub fn cursor(&self) -> Option<usize> {
        let id = self.view.selected_conference?;
        match self.overview().position(id) {
            Some(row) => Some(row),
            None => self.pinned_ended().map(|(row, _)| row),
        }
    }

    /// The selected conference if it ended while selected: it stays selected, drawn as
    /// ended at the row index it had, until the user moves (rooms starting or ending above
    /// it move the rooms around it, never the selection). Its row, and the view.
    pub fn pinned_ended(&self) -> Option<(usize, &ConferenceView)> {
        let id = self.view.selected_conference?;
        if self.overview().is_listed(id) {
            return None;
        }
        let view = self.conference(id).filter(|c| c.ended)?;
        Some((self.view.last_cursor.min(self.overview().len()), view))
    }

    /// Rows the table has: the listed conferences, and a pinned ended one.
    pub fn table_len(&self) -> usize {
        self.overview().len() + usize::from(self.pinned_ended().is_some())
    }

    /// Brings derived state up to date before a frame: the overview (built afresh after a
    /// change of view settings, else moved by the conferences that changed), the selection
    /// (if its row went away) and the table window (`table_height` rows).
    pub fn prepare(&mut self, table_height: usize) {
        if self.frozen.is_none() {
            self.bring_overview_up_to_date();
        }
        self.view.table_height = table_height.max(1);
        self.fix_selection();
        self.scroll_table_to_cursor();
    }

    /// Builds the overview afresh after a change of view settings, else moves the rows,
    /// totals and alerts of the conferences that changed.
    pub(crate) fn bring_overview_up_to_date(&mut self) {
        if self.rebuild_overview {
            let request = OverviewRequest {
                filter: self.view.filter.clone(),
                subset: self.view.subset,
                sort: self.view.sort,
                reversed: self.view.reversed,
                mine_first: self.agent_mode(),
            };
            self.overview = Overview::build(self.store.live(), request);
            self.rebuild_overview = false;
            self.touched.clear();
        } else {
            // A busy room is touched by many frames between two frames on screen.
            self.touched.sort_unstable();
            self.touched.dedup();
            let store = &self.store;
            let live = |id| store.conference(id).filter(|view| !view.ended);
            self.overview.refresh(self.touched.drain(..), live);
        }
    }

    fn fix_selection(&mut self) {
        // While the first snapshot streams in, pages of older rooms rank above the first
        // ones: until the user picks a room, the cursor stays on the top row rather than
        // riding down the table with the room it first landed on.
        if !self.view.picked && !self.store.has_snapshot() {
            let top = self.overview().row(0);
            if top.is_some() && top != self.view.selected_conference {
                self.select_conference(top);
            }
        }
        let overview = self.overview();
        let selected_still_listed = self
            .view
            .selected_conference
            .is_some_and(|id| overview.is_listed(id));
        if !selected_still_listed {
            // Never move the selection under the user from a room that ended: a verb meant
            // for it would reach another (`update` says that it ended).
            if self.pinned_ended().is_none() {
                // Keep the cursor where it was: the row below moves up into it.
                let index = self.view.last_cursor.min(overview.len().saturating_sub(1));
                let next = overview.row(index);
                self.select_conference(next);
            }
        }
        if let Some(cursor) = self.cursor() {
            self.view.last_cursor = cursor;
        }
        let participant_listed = self.selected_participant().is_some();
        if !participant_listed {
            self.view.selected_participant = self.default_participant();
        }
        let alert_count = self.overview().alert_count();
        self.view.alert_cursor = self.view.alert_cursor.min(alert_count.saturating_sub(1));
    }

    fn scroll_table_to_cursor(&mut self) {
        let height = self.view.table_height;
        let len = self.table_len();
        let cursor = self.cursor();
        let offset = &mut self.view.table_offset;
        *offset = (*offset).min(len.saturating_sub(height));
        if let Some(cursor) = cursor {
            if cursor < *offset {
                *offset = cursor;
            } else if cursor >= *offset + height {
                *offset = cursor + 1 - height;
            }
        }
    }

    /// The user moved the selection (a key, a jump, a search).
    pub(crate) fn pick_conference(&mut self, id: Option<Uuid>) {
        self.view.picked = true;
        self.select_conference(id);
    }

    pub(crate) fn select_conference(&mut self, id: Option<Uuid>) {
        if self.view.selected_conference != id {
            self.ended_selection = None;
            self.view.selected_conference = id;
            self.view.selected_participant = None;
            self.view.selected_participant = self.default_participant();
        }
    }

    /// Who verbs act on when nothing was picked: my customer in agent mode, else the first
    /// joined customer, else the first joined leg, else the first listed.
    fn default_participant(&self) -> Option<Uuid> {
        let conference = self.selected_conference()?;
        let order = participant_order(conference);
        let joined_customer = order
            .iter()
            .find(|p| p.is_joined() && p.participant_type == ParticipantType::Customer);
        joined_customer
            .or_else(|| order.iter().find(|p| p.is_joined()))
            .or(order.first())
            .map(|p| p.conferencecall_id)
    }

    /// The view settings changed (filter, subset, sort, live again after a freeze): the
    /// overview is built afresh before the next frame.
    pub(crate) fn rebuild_overview(&mut self) {
        self.rebuild_overview = true;
    }

    /// Takes in what a store input changed: the overview re-reads the conferences it
    /// re-derived, and `update` learns whether the screen differs.
    pub(crate) fn absorb(&mut self, changes: &crate::store::Changes) {
        // Frozen, or a backlog no frame has taken in: building afresh is the cheaper way.
        if self.frozen.is_some() || self.touched.len() > MAX_TOUCHED {
            self.rebuild_overview = true;
            self.touched.clear();
        } else {
            self.touched.extend_from_slice(&changes.conferences);
        }
        // A rejected frame changes nothing on screen.
        self.input_visible |= changes.views_changed
            || changes
                .iter()
                .any(|c| !matches!(c, crate::store::Change::FrameRejected { .. }));
    }

    /// The conference the console's own agent is in: the selected one if I am in it,
    /// otherwise the first in table order (the same one `c` jumps to).
    pub(crate) fn my_conference_id(&self) -> Option<Uuid> {
        let i_am_in = |id: &Uuid| {
            self.store
                .conference(*id)
                .is_some_and(|c| !c.ended && c.is_mine())
        };
        self.view
            .selected_conference
            .filter(i_am_in)
            .or_else(|| self.overview().rows_from(0).find(i_am_in))
    }

    /// The user changed what the table shows (filter, subset, sort): a frozen view would
    /// ignore it while claiming otherwise, so it goes live again.
    pub(crate) fn change_view(&mut self) {
        self.frozen = None;
        self.rebuild_overview();
    }

    pub(crate) fn next_command_id(&mut self) -> crate::store::CommandId {
        let id = crate::store::CommandId(self.next_command_id);
        self.next_command_id += 1;
        id
    }
}

/// The participant pane's order: joined legs first, then recently left, then left; each
/// group in joining order. Navigation and drawing both use it.
pub fn participant_order(conference: &ConferenceView) -> Vec<&Participant> {
    let rank = |p: &Participant| match p.status {
        ParticipantStatus::Joined => 0,
        ParticipantStatus::RecentlyLeft => 1,
        ParticipantStatus::Left => 2,
    };
    let mut order: Vec<&Participant> = conference.participants.iter().map(|p| &**p).collect();
    order.sort_by_key(|p| rank(p));
    order
}

/// How a participant is named in messages and dialogs.
pub fn participant_label(p: &Participant) -> String {
    if let Some(name) = &p.agent_name {
        return name.clone();
    }
    if let Some(address) = &p.address {
        return address.target.clone();
    }
    format!("leg {}", short_id(p.conferencecall_id))
}

/// The first eight hex digits of an id: how the screen names what has no name.
pub fn short_id(id: Uuid) -> String {
    let mut text = id.to_string();
    text.truncate(8);
    text
}

/// How a conference is named in messages and dialogs.
pub fn conference_label(view: &ConferenceView) -> String {
    if view.conference.name.is_empty() {
        format!("conference {}", short_id(view.id()))
    } else {
        view.conference.name.clone()
    }
}
