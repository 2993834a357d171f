//! `bridgetop serve` as a user runs it: the first stdout line announces URLs and
//! credentials; bad options fail with a clear message.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

fn bridgetop() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bridgetop"))
}

struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn first_line_is_a_json_banner_with_working_credentials() {
    let mut child = KillOnDrop(
        bridgetop()
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--no-traffic",
                "--seed",
                "7",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let banner: serde_json::Value = serde_json::from_str(&first).expect("first line is JSON");

    let api_url = banner["api_url"].as_str().unwrap();
    assert!(api_url.starts_with("http://127.0.0.1:") && api_url.ends_with("/v1.0"));
    assert!(
        !api_url.contains(":0/"),
        "port 0 is replaced by the real port"
    );
    assert!(banner["ws_url"].as_str().unwrap().ends_with("/v1.0/ws"));
    let agents = banner["agents"].as_array().unwrap();
    assert!(agents.len() >= 3);
    for agent in agents {
        for key in ["id", "username", "password", "name", "permission"] {
            assert!(!agent[key].is_null(), "agent has {key}");
        }
    }
    assert!(agents.iter().any(|a| a["permission"] == 64));
    assert!(agents.iter().any(|a| a["permission"] == 16));

    let customer: serde_json::Value = reqwest::get(format!(
        "{api_url}/customer?accesskey={}",
        banner["accesskey"].as_str().unwrap()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(customer["id"], banner["customer_id"]);
}

#[test]
fn bad_options_fail_with_a_reason() {
    let out = bridgetop()
        .args(["serve", "--faults", "ws_dup=lots"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--faults") && err.contains("lots"), "{err}");

    let out = bridgetop()
        .args(["serve", "--scenario", "/nonexistent/scenario.toml"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/scenario.toml"));

    let dir = std::env::temp_dir().join(format!("bridgetop-scenario-{}", std::process::id()));
    std::fs::write(
        &dir,
        "[[step]]\nat = \"0s\"\naction = \"agent_status\"\nagent = \"zed\"\nstatus = \"away\"\n",
    )
    .unwrap();
    let out = bridgetop()
        .args(["serve", "--no-traffic", "--scenario"])
        .arg(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&dir);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("zed") && err.contains("alice@"), "{err}");
}
