//! The user's bindable commands: what a key can be bound to in the keymap.
//!
//! Kept apart from the internal `Action`s (ticks, inputs, text editing) so the keymap, the
//! help screen and the hint bar all come from this one list.

use std::fmt;

/// Where a command applies; the help screen groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HelpGroup {
    General,
    Navigation,
    Participant,
    Conference,
    Agent,
}

impl HelpGroup {
    pub fn title(self) -> &'static str {
        match self {
            HelpGroup::General => "General",
            HelpGroup::Navigation => "Navigation",
            HelpGroup::Participant => "Selected participant",
            HelpGroup::Conference => "Selected conference",
            HelpGroup::Agent => "Agent mode",
        }
    }
}

macro_rules! user_commands {
    ($( $variant:ident => $name:literal, $scope:ident, $changes:literal, $hint:literal, $help:literal; )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum UserCommand { $( $variant, )* }

        impl UserCommand {
            pub const ALL: &'static [UserCommand] = &[ $( UserCommand::$variant, )* ];

            /// The name used in `assets/keymap.toml` and the config file.
            pub fn name(self) -> &'static str {
                match self { $( UserCommand::$variant => $name, )* }
            }

            pub fn scope(self) -> HelpGroup {
                match self { $( UserCommand::$variant => HelpGroup::$scope, )* }
            }

            /// Whether it changes anything on the platform (refused in read-only mode).
            pub fn changes_platform(self) -> bool {
                match self { $( UserCommand::$variant => $changes, )* }
            }

            /// One or two words for the hint bar.
            pub fn hint(self) -> &'static str {
                match self { $( UserCommand::$variant => $hint, )* }
            }

            /// One line for the help screen.
            pub fn help(self) -> &'static str {
                match self { $( UserCommand::$variant => $help, )* }
            }
        }
    };
}

user_commands! {
    Quit => "quit", General, false, "quit", "Quit bridgetop";
    Help => "help", General, false, "help", "Show or close this help";
    CommandLine => "command_line", General, false, "cmd", "Open the command line (:conf, :agent, :held, :alerts, :audit, :readonly, :quit)";
    Filter => "filter", General, false, "filter", "Filter conferences by regex over name, agent and caller";
    Back => "back", General, false, "back", "Close the overlay, clear the filter, or go back";
    Freeze => "freeze", General, false, "freeze", "Freeze the view while data keeps syncing";
    Audit => "audit", General, false, "audit", "Show or hide the audit pane";
    Suspend => "suspend", General, false, "suspend", "Suspend to the shell; `fg` resumes";
    Retry => "retry", General, false, "retry", "While not live: try to reconnect now instead of waiting";
    FocusNext => "focus_next", Navigation, false, "pane", "Move focus to the next pane";
    FocusPrevious => "focus_previous", Navigation, false, "pane", "Move focus to the previous pane";
    Open => "open", Navigation, false, "open", "Open the selected conference or alert in the participants pane";
    Up => "up", Navigation, false, "up", "Select the previous row";
    Down => "down", Navigation, false, "down", "Select the next row";
    PageUp => "page_up", Navigation, false, "page up", "Scroll one page up";
    PageDown => "page_down", Navigation, false, "page down", "Scroll one page down";
    Top => "top", Navigation, false, "top", "Select the first row";
    Bottom => "bottom", Navigation, false, "bottom", "Select the last row";
    NextAttention => "next_attention", Navigation, false, "next alert", "Jump to the next conference that needs attention";
    PreviousAttention => "previous_attention", Navigation, false, "prev alert", "Jump to the previous conference that needs attention";
    SortNext => "sort_next", Navigation, false, "sort", "Sort the table by the next column";
    SortReverse => "sort_reverse", Navigation, false, "reverse", "Reverse the sort order";
    Hold => "hold", Participant, true, "hold", "Hold or unhold the selected participant";
    Mute => "mute", Participant, true, "mute", "Mute or unmute the selected participant (both directions)";
    MuteDirection => "mute_direction", Participant, true, "mute dir", "Mute or unmute one direction: in, out or both";
    Kick => "kick", Participant, true, "kick", "Remove the selected participant from the conference (asks first)";
    Hangup => "hangup", Participant, true, "hang up", "Hang up the selected participant's call (asks first)";
    EndConference => "end_conference", Conference, true, "end", "End the selected conference for everyone (asks first)";
    Recording => "recording", Conference, true, "record", "Start or stop recording the selected conference";
    MyConference => "my_conference", Agent, false, "my conf", "Select my conference";
    HoldMyCustomer => "hold_my_customer", Agent, true, "hold cust", "Hold or unhold my customer";
    MuteMyself => "mute_myself", Agent, true, "mute me", "Mute or unmute my own leg";
}

impl UserCommand {
    pub fn from_name(name: &str) -> Option<UserCommand> {
        UserCommand::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl fmt::Display for UserCommand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
