//! Every platform fixture decodes in its bare (current WebSocket) and wrapped (webhook /
//! legacy) forms, and re-encodes to exactly the JSON the platform sends.

use std::fs;
use std::path::PathBuf;

use bridgetop::voipbin::{decode_text, Resource, ResourceKind};
use serde_json::Value;

fn fixtures() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/voipbin");
    let mut out: Vec<(String, Value)> = fs::read_dir(&dir)
        .expect("fixtures directory")
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(out.len(), 22, "all shared fixtures are copied into tests/");
    out
}

fn expected_kind(event_type: &str) -> ResourceKind {
    ResourceKind::of_event_type(event_type).expect("fixture event types are known")
}

#[test]
fn bare_frames_decode_and_reencode_exactly() {
    for (name, file) in fixtures() {
        let event_type = file["type"].as_str().unwrap();
        let data = &file["data"];
        let compact = serde_json::to_string(data).unwrap();
        let frame = decode_text(&compact).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(frame.event_type, None, "{name}");
        assert_eq!(frame.resource.kind(), expected_kind(event_type), "{name}");
        assert_eq!(
            frame.resource.id().to_string(),
            data["id"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            &frame.resource.to_value(),
            data,
            "{name}: re-encoding differs"
        );
    }
}

#[test]
fn pretty_printed_frames_decode_too() {
    for (name, file) in fixtures() {
        let pretty = serde_json::to_string_pretty(&file["data"]).unwrap();
        assert!(decode_text(&pretty).is_ok(), "{name}");
    }
}

#[test]
fn wrapped_frames_decode_with_their_event_type() {
    for (name, file) in fixtures() {
        let text = serde_json::to_string(&file).unwrap();
        let frame = decode_text(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let event_type = file["type"].as_str().unwrap();
        assert_eq!(frame.event_type.as_deref(), Some(event_type), "{name}");
        assert_eq!(frame.resource.kind(), expected_kind(event_type), "{name}");
        assert_eq!(&frame.resource.to_value(), &file["data"], "{name}");
    }
}

#[test]
fn reencoded_frames_decode_to_the_same_resource() {
    for (name, file) in fixtures() {
        let first = decode_text(&file["data"].to_string()).unwrap().resource;
        let again = decode_text(&first.to_value().to_string()).unwrap().resource;
        assert_eq!(first, again, "{name}");
    }
}

#[test]
fn timestamps_keep_their_platform_precision() {
    let files = fixtures();
    let (_, deleted) = files.iter().find(|(n, _)| n == "call_deleted").unwrap();
    let Resource::Call(call) = decode_text(&deleted["data"].to_string()).unwrap().resource else {
        panic!("call_deleted is a call");
    };
    assert_eq!(
        bridgetop::voipbin::time::format(&call.tm_delete.unwrap()),
        "2026-08-21T14:15:02.7Z"
    );
    assert!(call.tm_hangup.is_some());
}
