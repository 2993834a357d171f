//! The binary's helper commands as a user runs them: shell completions, the man page,
//! `info`, `defaults`, and `serve --help` without the client's flags.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bridgetop(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bridgetop"))
        .args(args)
        .env_remove("BRIDGETOP_ACCESSKEY")
        .env_remove("VOIPBIN_API_KEY")
        .env_remove("BRIDGETOP_TOKEN")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{:?}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bridgetop-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn completions_cover_every_shell_and_subcommand() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&bridgetop(&["completions", shell]));
        for word in ["snapshot", "watch", "serve", "demo", "color", "never"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let bad = bridgetop(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("possible values"));
}

#[test]
fn the_man_page_is_roff_with_every_flag() {
    let page = stdout(&bridgetop(&["man"]));
    assert!(
        page.contains(".TH bridgetop 1"),
        "{}",
        &page[..200.min(page.len())]
    );
    for flag in ["demo", "color", "readonly", "profile"] {
        assert!(page.contains(flag), "the man page lacks --{flag}");
    }
}

#[test]
fn info_names_every_path_and_never_a_secret() {
    let dir = temp_dir();
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "[profiles.prod]\nurl = \"https://api.voipbin.net/v1.0\"\ntheme = \"high-contrast\"\n",
    )
    .unwrap();
    let data = dir.join("data");
    let output = Command::new(env!("CARGO_BIN_EXE_bridgetop"))
        .args(["info", "--profile", "prod", "--config"])
        .arg(&config)
        .arg("--data-dir")
        .arg(&data)
        .env("BRIDGETOP_ACCESSKEY", "vb_very_secret_key_value")
        .output()
        .unwrap();
    let text = stdout(&output);
    assert!(!text.contains("vb_very_secret"), "{text}");
    assert!(
        text.contains("an access key (found; never shown)"),
        "{text}"
    );
    let data = data.display().to_string();
    for expected in [
        format!("config       {}", config.display()),
        "profile      prod".to_owned(),
        format!("log          {data}/bridgetop.log"),
        format!("audit        {data}/audit.jsonl"),
        format!("hold ledger  {data}/"),
        format!("themes       {}", dir.join("themes").display()),
        "theme        high-contrast".to_owned(),
    ] {
        assert!(text.contains(&expected), "no {expected:?} in\n{text}");
    }
}

#[test]
fn defaults_print_files_that_parse() {
    let config = stdout(&bridgetop(&["defaults"]));
    assert!(config.contains("[theme]") && config.contains("[table]"));
    let parsed: toml::Value = toml::from_str(&config).unwrap();
    assert!(parsed.get("profiles").is_some());
    let keymap = stdout(&bridgetop(&["defaults", "--keymap"]));
    let parsed: toml::Value = toml::from_str(&keymap).unwrap();
    assert_eq!(parsed["suspend"][0].as_str(), Some("ctrl-z"));
}

#[test]
fn serve_help_lists_only_the_emulators_flags_and_serve_refuses_client_flags() {
    let help = stdout(&bridgetop(&["serve", "--help"]));
    assert!(
        help.contains("--listen") && help.contains("--floor"),
        "{help}"
    );
    for client_flag in ["--url", "--profile", "--readonly", "--ca-cert", "--config"] {
        assert!(
            !help.contains(client_flag),
            "serve --help lists {client_flag}"
        );
    }
    let refused = bridgetop(&["serve", "--url", "http://127.0.0.1:1/v1.0"]);
    assert_eq!(refused.status.code(), Some(2));
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("--url is a client flag"), "{message}");
}
