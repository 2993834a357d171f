//! Every REST request the client can make, sent to a Prism mock server that validates
//! requests against the official OpenAPI spec (`tests/openapi/openapi.json`). Run by
//! `scripts/validate-requests.sh`, which starts Prism and sets BRIDGETOP_SPEC_MOCK_URL;
//! ignored otherwise. A request the spec rejects comes back 400/422 from Prism.
//!
//! Not covered: `POST /auth/login`, which the spec does not describe (PROTOCOL.md §1.4).

use bridgetop::client::api;
use bridgetop::client::commands::{self, Outcome};
use bridgetop::client::credentials::{Credential, Secret};
use bridgetop::client::rest::{Endpoint, RestClient, RestError};
use bridgetop::command::Command;
use bridgetop::voipbin::MuteDirection;
use uuid::Uuid;

/// A request passed validation unless Prism answered with an error status. Mock bodies
/// are generated from the spec's schemas and may not decode; that says nothing about
/// the request.
fn validated<T>(name: &str, result: Result<T, RestError>, failures: &mut Vec<String>) {
    match result {
        Ok(_) | Err(RestError::Decode { .. }) => eprintln!("ok      {name}"),
        Err(e) => {
            eprintln!("REFUSED {name}: {e}");
            failures.push(format!("{name}: {e}"));
        }
    }
}

#[tokio::test]
#[ignore = "needs a Prism mock server: scripts/validate-requests.sh"]
async fn every_request_validates_against_the_spec() {
    let url = std::env::var("BRIDGETOP_SPEC_MOCK_URL").expect("BRIDGETOP_SPEC_MOCK_URL");
    let rest = RestClient::new(
        Endpoint::new(&url),
        Credential::AccessKey(Secret::new("vb_spec_check")),
        1000.0,
    )
    .unwrap();
    let id = Uuid::parse_str("0d5e4f3a-2b1c-4a9d-8e7f-6a5b4c3d2e1f").unwrap();
    let token = Some("2026-08-21T13:40:11.093002Z");
    // The control: a request the spec forbids must be refused, or nothing is validated.
    let bad = rest
        .send(
            reqwest::Method::GET,
            "/conferences",
            &[("page_size", "many".to_string())],
            None,
        )
        .await;
    assert!(
        matches!(
            bad,
            Err(RestError::Api {
                status: 400 | 422,
                ..
            })
        ),
        "the mock server is not validating requests: {bad:?}"
    );

    let mut failures = Vec::new();
    let f = &mut failures;
    validated("GET /customer", api::customer(&rest).await, f);
    validated("GET /me", api::me(&rest).await, f);
    validated(
        "GET /conferences",
        api::conferences_page(&rest, None).await,
        f,
    );
    validated(
        "GET /conferences?page_token",
        api::conferences_page(&rest, token).await,
        f,
    );
    validated(
        "GET /conferencecalls",
        api::conferencecalls_page(&rest, token).await,
        f,
    );
    validated("GET /calls", api::calls_page(&rest, token).await, f);
    validated("GET /agents", api::agents_page(&rest, token).await, f);
    validated("GET /conferences/{id}", api::conference(&rest, id).await, f);
    validated(
        "GET /conferencecalls/{id}",
        api::conferencecall(&rest, id).await,
        f,
    );
    validated("GET /calls/{id}", api::call(&rest, id).await, f);
    validated("GET /agents/{id}", api::agent(&rest, id).await, f);
    // Every command, as `Command::request` builds it (the only place that does).
    let conference_id = id;
    let call_id = id;
    let mut all = vec![
        Command::Kick {
            conferencecall_id: id,
        },
        Command::Hangup { call_id },
        Command::Hold { call_id },
        Command::Unhold { call_id },
        Command::End { conference_id },
        Command::RecordingStart { conference_id },
        Command::RecordingStop { conference_id },
    ];
    for direction in [MuteDirection::In, MuteDirection::Out, MuteDirection::Both] {
        all.push(Command::Mute {
            call_id,
            direction: direction.clone(),
        });
        all.push(Command::Unmute { call_id, direction });
    }
    for command in &all {
        let name = format!("{} ({command})", command.request().path);
        match commands::send(&rest, command).await {
            Outcome::Failed {
                status: Some(status),
                reason,
                message,
                ..
            } if status >= 400 => {
                eprintln!("REFUSED {name}: {status} {reason}: {message}");
                f.push(format!("{name}: {status} {reason}: {message}"));
            }
            _ => eprintln!("ok      {name}"),
        }
    }
    assert!(
        failures.is_empty(),
        "requests the spec refuses:\n{}",
        failures.join("\n")
    );
}
