//! `--me`: an agent named by id, name or username. A name needs the platform's agent
//! list, read once at start.

use uuid::Uuid;

use super::api;
use super::rest::RestClient;
use crate::voipbin::Agent;

/// What `--me` accepts, for its errors.
pub const ACCEPTED: &str = "an agent's id, name or username";

/// Pages read at most while looking for a name (100 agents a page).
const MAX_PAGES: usize = 50;

/// The agent `query` names: an id as it is, else the one agent whose name or username
/// equals it (case aside), read from the platform.
pub async fn find_agent(rest: &RestClient, query: &str) -> Result<Uuid, String> {
    if let Ok(id) = Uuid::parse_str(query.trim()) {
        return Ok(id);
    }
    let mut agents = Vec::new();
    let mut token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = api::agents_page(rest, token.as_deref()).await.map_err(|e| {
            format!(
                "--me {query:?}: cannot list agents to find it ({}); give the agent's id to start without the list",
                e.message()
            )
        })?;
        if page.is_end() {
            break;
        }
        let next = page.next_page_token.clone();
        agents.extend(page.result);
        if next.is_empty() || token.as_deref() == Some(next.as_str()) {
            break;
        }
        token = Some(next);
    }
    match_agent(&agents, query)
}

/// The one agent whose name or username is `query`, ignoring case and surrounding space.
pub fn match_agent(agents: &[Agent], query: &str) -> Result<Uuid, String> {
    let wanted = query.trim().to_lowercase();
    let found: Vec<&Agent> = agents
        .iter()
        .filter(|a| a.name.to_lowercase() == wanted || a.username.to_lowercase() == wanted)
        .collect();
    match found.as_slice() {
        [one] => Ok(one.id),
        [] => Err(format!(
            "--me {query:?}: no agent has that name or username among {} agents (it accepts {ACCEPTED})",
            agents.len()
        )),
        many => Err(format!(
            "--me {query:?}: {} agents match ({}); give one's id or username",
            many.len(),
            many.iter()
                .map(|a| format!("{} <{}> {}", a.name, a.username, a.id))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(name: &str, username: &str) -> Agent {
        serde_json::from_value(serde_json::json!({
            "id": Uuid::new_v4(), "name": name, "username": username,
        }))
        .unwrap()
    }

    #[test]
    fn names_and_usernames_match_without_case_and_ambiguity_is_explained() {
        let agents = [
            agent("Alice Kim", "alice@example.com"),
            agent("Bob", "bob@example.com"),
            agent("bob", "robert@example.com"),
        ];
        assert_eq!(match_agent(&agents, " alice kim ").unwrap(), agents[0].id);
        assert_eq!(
            match_agent(&agents, "ALICE@example.com").unwrap(),
            agents[0].id
        );
        assert_eq!(
            match_agent(&agents, "robert@example.com").unwrap(),
            agents[2].id
        );
        let many = match_agent(&agents, "Bob").unwrap_err();
        assert!(many.contains("2 agents match"), "{many}");
        let none = match_agent(&agents, "Carol").unwrap_err();
        assert!(
            none.contains("among 3 agents") && none.contains(ACCEPTED),
            "{none}"
        );
    }
}
