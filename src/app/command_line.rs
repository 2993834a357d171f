//! The `:` command line: parsing and tab completion. Names to complete (conference and
//! agent names) are passed in, so this stays a pure function of text.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineCommand {
    /// Select the conference with this name (or the first whose name contains it).
    Conf(String),
    /// Select the conference this agent is in.
    Agent(String),
    /// Show only conferences with someone on hold.
    Held,
    /// Show only conferences with alerts, and focus the alerts pane.
    Alerts,
    /// Show every conference again.
    All,
    /// List the conferences that ended in the last this many minutes.
    Ended(u32),
    Audit,
    Readonly,
    Help,
    Quit,
}

/// Verbs: the name, whether it takes an argument, and what it does (for the help screen),
/// in the order completion offers them.
pub const VERBS: &[(&str, bool, &str)] = &[
    ("conf", true, "select a conference by name"),
    ("agent", true, "select the conference an agent is in"),
    ("held", false, "list only conferences with someone on hold"),
    ("alerts", false, "list only conferences with alerts"),
    ("all", false, "list every conference again"),
    (
        "ended",
        false,
        "conferences ended in the last N minutes (:ended 5; default 10)",
    ),
    ("audit", false, "show the audit pane"),
    ("readonly", false, "turn read-only mode on or off"),
    ("help", false, "show the help screen"),
    ("quit", false, "quit bridgetop"),
];

/// `:ended` without an argument: the store keeps ended rooms this long by default.
pub const DEFAULT_ENDED_MINUTES: u32 = 10;

pub fn parse(line: &str) -> Result<LineCommand, String> {
    let line = line.trim().trim_start_matches(':');
    let (verb, arg) = match line.split_once(char::is_whitespace) {
        Some((verb, arg)) => (verb, arg.trim()),
        None => (line, ""),
    };
    let needs_arg = |make: fn(String) -> LineCommand| {
        if arg.is_empty() {
            Err(format!(":{verb} needs a name"))
        } else {
            Ok(make(arg.to_string()))
        }
    };
    match verb {
        "conf" | "c" => needs_arg(LineCommand::Conf),
        "agent" => needs_arg(LineCommand::Agent),
        "held" => Ok(LineCommand::Held),
        "alerts" => Ok(LineCommand::Alerts),
        "all" => Ok(LineCommand::All),
        "ended" => match arg {
            "" => Ok(LineCommand::Ended(DEFAULT_ENDED_MINUTES)),
            minutes => minutes
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=24 * 60).contains(m))
                .map(LineCommand::Ended)
                .ok_or_else(|| format!(":ended takes minutes from 1 to 1440, not {minutes:?}")),
        },
        "audit" => Ok(LineCommand::Audit),
        "readonly" | "ro" => Ok(LineCommand::Readonly),
        "help" | "?" => Ok(LineCommand::Help),
        "quit" | "q" | "q!" => Ok(LineCommand::Quit),
        "" => Err("empty command".into()),
        other => Err(format!("unknown command :{other}")),
    }
}

/// What the argument of a verb names, so the caller can list candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgumentKind {
    Conference,
    Agent,
}

/// Completes the line as far as it is unambiguous. Returns the new line and the
/// candidates that still match (shown under the line when there are several).
pub fn complete(line: &str, names: impl Fn(ArgumentKind) -> Vec<String>) -> (String, Vec<String>) {
    match line.split_once(' ') {
        None => {
            let matches: Vec<&(&str, bool, &str)> = VERBS
                .iter()
                .filter(|(verb, _, _)| verb.starts_with(line))
                .collect();
            match matches.as_slice() {
                [] => (line.to_string(), Vec::new()),
                [(verb, takes_arg, _)] => {
                    let space = if *takes_arg { " " } else { "" };
                    (format!("{verb}{space}"), Vec::new())
                }
                several => {
                    let words: Vec<String> =
                        several.iter().map(|(v, _, _)| v.to_string()).collect();
                    (common_prefix(&words, line), words)
                }
            }
        }
        Some((verb, arg)) => {
            let kind = match verb {
                "conf" | "c" => ArgumentKind::Conference,
                "agent" => ArgumentKind::Agent,
                _ => return (line.to_string(), Vec::new()),
            };
            let lowered = arg.to_lowercase();
            let mut matches: Vec<String> = names(kind)
                .into_iter()
                .filter(|name| name.to_lowercase().starts_with(&lowered))
                .collect();
            matches.sort();
            matches.dedup();
            match matches.as_slice() {
                [] => (line.to_string(), Vec::new()),
                [only] => (format!("{verb} {only}"), Vec::new()),
                several => {
                    let prefix = common_prefix(several, arg);
                    (format!("{verb} {prefix}"), several.to_vec())
                }
            }
        }
    }
}

/// The longest prefix all words share (case-insensitively), never shorter than `typed`.
fn common_prefix(words: &[String], typed: &str) -> String {
    let Some(first) = words.first() else {
        return typed.to_string();
    };
    let mut len = first.len();
    for word in &words[1..] {
        len = first
            .char_indices()
            .zip(word.chars())
            .take_while(|((_, a), b)| a.to_lowercase().eq(b.to_lowercase()))
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(len);
    }
    if len < typed.len() {
        typed.to_string()
    } else {
        first[..len].to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(kind: ArgumentKind) -> Vec<String> {
        match kind {
            ArgumentKind::Conference => vec!["Sales 1".into(), "Sales 2".into(), "Support".into()],
            ArgumentKind::Agent => vec!["Alice Ng".into(), "Bob Ruiz".into()],
        }
    }

    #[test]
    fn parses_every_verb() {
        assert_eq!(
            parse("conf Sales 1"),
            Ok(LineCommand::Conf("Sales 1".into()))
        );
        assert_eq!(
            parse(":agent Alice"),
            Ok(LineCommand::Agent("Alice".into()))
        );
        assert_eq!(parse("held"), Ok(LineCommand::Held));
        assert_eq!(parse("alerts"), Ok(LineCommand::Alerts));
        assert_eq!(parse("audit"), Ok(LineCommand::Audit));
        assert_eq!(parse("readonly"), Ok(LineCommand::Readonly));
        assert_eq!(parse("q"), Ok(LineCommand::Quit));
        assert!(parse("conf").is_err());
        assert!(parse("explode").is_err());
    }

    #[test]
    fn completes_verbs_then_names() {
        assert_eq!(complete("co", names), ("conf ".into(), vec![]));
        let (line, candidates) = complete("a", names);
        assert_eq!(line, "a");
        assert_eq!(candidates, vec!["agent", "alerts", "all", "audit"]);
        let (line, candidates) = complete("conf sa", names);
        assert_eq!(line, "conf Sales ");
        assert_eq!(candidates, vec!["Sales 1", "Sales 2"]);
        assert_eq!(
            complete("agent b", names),
            ("agent Bob Ruiz".into(), vec![])
        );
    }
}
