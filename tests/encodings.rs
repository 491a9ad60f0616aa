//! A GB18030 and a UTF-16 copy of a seed audit exactly like the UTF-8 original, and spans
//! still point at the right bytes of each copy.

use serde_json::Value;
use suite::{nianbao, seeds_dir, temp_dir};

/// The audit JSON without what legitimately differs: file names and byte offsets.
fn comparable(mut json: Value) -> Value {
    for report in json["reports"].as_array_mut().unwrap() {
        report["file"] = Value::Null;
        for f in report["findings"].as_array_mut().unwrap() {
            if let Some(span) = f["span"].as_object_mut() {
                span.remove("start");
                span.remove("end");
            }
        }
    }
    json
}

fn encodings_of(name: &str) -> (std::path::PathBuf, Vec<(String, std::path::PathBuf)>) {
    let original = seeds_dir().join(name);
    let text = std::fs::read_to_string(&original).unwrap();
    let dir = temp_dir(&format!("enc-{name}"));
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let gb_path = dir.join("gb18030.txt");
    std::fs::write(&gb_path, &gb).unwrap();
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    let u16_path = dir.join("utf16.txt");
    std::fs::write(&u16_path, &utf16).unwrap();
    (
        original,
        vec![("gb18030".into(), gb_path), ("utf16".into(), u16_path)],
    )
}

#[test]
fn other_encodings_give_the_same_audit_and_extract() {
    for name in [
        "000_3a5e30b285f87727.txt",
        "002_ebe041415b5440fa.txt",
        "004_1ad31af01008103e.txt",
    ] {
        let (original, copies) = encodings_of(name);
        let audit = |p: &std::path::Path| {
            comparable(nianbao(&["audit", p.to_str().unwrap(), "--format", "json"]).json())
        };
        let extract = |p: &std::path::Path| {
            let mut j = nianbao(&["extract", p.to_str().unwrap()]).json();
            j["reports"][0]["file"] = Value::Null;
            j
        };
        let want_audit = audit(&original);
        let want_extract = extract(&original);
        assert!(!want_audit["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .is_empty());
        for (label, path) in copies {
            assert_eq!(audit(&path), want_audit, "{name} as {label}: audit differs");
            assert_eq!(
                extract(&path),
                want_extract,
                "{name} as {label}: extract differs"
            );
        }
    }
}

#[test]
fn byte_spans_point_into_each_encoding() {
    let (_, copies) = encodings_of("003_0eb612e351c75c5e.txt");
    for (label, path) in copies {
        let bytes = std::fs::read(&path).unwrap();
        let json = nianbao(&["audit", path.to_str().unwrap(), "--format", "json"]).json();
        let row_sum = json["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "T3.ROW_SUM")
            .unwrap()
            .clone();
        let (start, end) = (
            row_sum["span"]["start"].as_u64().unwrap() as usize,
            row_sum["span"]["end"].as_u64().unwrap() as usize,
        );
        let decoded = if label == "utf16" {
            String::from_utf16(
                &bytes[start..end]
                    .chunks(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]]))
                    .collect::<Vec<_>>(),
            )
            .unwrap()
        } else {
            encoding_rs::GB18030
                .decode(&bytes[start..end])
                .0
                .into_owned()
        };
        assert_eq!(
            decoded, "0",
            "{label}: the span must cover the printed 总计 cell"
        );
    }
}
