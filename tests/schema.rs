//! The JSON Schema of the compiled rule set, `schema/sla-rules-1.schema.json`.
//!
//! - The committed file is exactly what `schemars` derives from the types in
//!   `src/rules.rs` (the ones serde reads and writes). After changing those
//!   types, regenerate it with `UPDATE_SCHEMA=1 cargo test --test schema`
//!   and commit the diff.
//! - Every contract in `contracts/`, compiled, and every hand-written rule
//!   set in `tests/eval/rules/` validates against it (with `boon`, a real
//!   2020-12 validator), and broken rule sets do not.
//! - One schema describes both tags: `sla-rules/1`, and `sla-rules/2` for a
//!   rule set with `versions` (each holding a whole rule set), which an
//!   `sla` that reads only `/1` must refuse rather than judge by version 1.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use sla::lower::compile_source;
use sla::rules::RuleSet;

const SCHEMA_FILE: &str = "schema/sla-rules-1.schema.json";
const SCHEMA_ID: &str = "https://sla.invalid/schema/sla-rules-1.schema.json";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The schema as the types give it, pretty-printed with a final newline.
fn generated() -> String {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<RuleSet>();
    schema.insert("$id".into(), json!(SCHEMA_ID));
    schema.insert(
        "description".into(),
        json!("The compiled rule set of an sla contract (`sla compile`): sla-rules/1, or sla-rules/2 with versions."),
    );
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}

fn committed() -> Value {
    let text = std::fs::read_to_string(root().join(SCHEMA_FILE))
        .unwrap_or_else(|e| panic!("{SCHEMA_FILE}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{SCHEMA_FILE}: {e}"))
}

struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new() -> Validator {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler
            .add_resource(SCHEMA_ID, committed())
            .expect("the schema is a resource");
        let index = compiler
            .compile(SCHEMA_ID, &mut schemas)
            .unwrap_or_else(|e| panic!("{SCHEMA_FILE} does not compile: {e}"));
        Validator { schemas, index }
    }

    fn check(&self, value: &Value) -> Result<(), String> {
        self.schemas
            .validate(value, self.index)
            .map_err(|e| format!("{e:#}"))
    }
}

fn files(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    out.sort();
    out
}

fn compiled(path: &Path) -> Value {
    let src = std::fs::read_to_string(path).expect("contract readable");
    let rules = compile_source(&src)
        .rules
        .unwrap_or_else(|| panic!("{} does not compile", path.display()));
    serde_json::to_value(rules).expect("a rule set serialises")
}

#[test]
fn committed_schema_is_what_the_types_generate() {
    let want = generated();
    let path = root().join(SCHEMA_FILE);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &want).expect("write the schema");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "{SCHEMA_FILE} is not what src/rules.rs generates; regenerate it with \
         `UPDATE_SCHEMA=1 cargo test --test schema` and review the diff"
    );
}

#[test]
fn every_compiled_contract_is_valid() {
    let v = Validator::new();
    let contracts = files("contracts", "sla");
    assert!(contracts.len() >= 5, "the five seed contracts");
    for path in contracts {
        if let Err(e) = v.check(&compiled(&path)) {
            panic!(
                "{}: compiled rule set fails the schema:\n{e}",
                path.display()
            );
        }
    }
}

#[test]
fn every_hand_written_rule_set_is_valid_and_reads() {
    let v = Validator::new();
    let sets = files("tests/eval/rules", "json");
    assert!(!sets.is_empty());
    for path in sets {
        let text = std::fs::read_to_string(&path).expect("readable");
        let value: Value = serde_json::from_str(&text).expect("JSON");
        if let Err(e) = v.check(&value) {
            panic!("{}: fails the schema:\n{e}", path.display());
        }
        // What the schema accepts, serde reads.
        serde_json::from_value::<RuleSet>(value)
            .unwrap_or_else(|e| panic!("{}: valid but unreadable: {e}", path.display()));
    }
}

/// The CARE contract compiled, broken by `f`, must fail the schema (and serde).
fn rejects(what: &str, f: impl FnOnce(&mut Value)) {
    let v = Validator::new();
    let mut value = compiled(&root().join("contracts/care.sla"));
    v.check(&value).expect("the unbroken rule set is valid");
    f(&mut value);
    assert!(v.check(&value).is_err(), "the schema accepts {what}");
    assert!(
        serde_json::from_value::<RuleSet>(value).is_err() || what == "a wrong schema tag",
        "serde reads {what}, so the schema is stricter than the reader"
    );
}

#[test]
fn rejects_a_wrong_schema_tag() {
    rejects("a wrong schema tag", |v| v["schema"] = json!("sla-rules/3"));
}

#[test]
fn a_versioned_contract_compiles_to_sla_rules_2_with_every_version_whole() {
    let v = Validator::new();
    let value = compiled(&root().join("contracts/examples/care-versions.sla"));
    v.check(&value).expect("the versioned rule set is valid");
    assert_eq!(value["schema"], "sla-rules/2");
    let versions = value["versions"].as_array().expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["name"], "2");
    assert_eq!(versions[0]["from"], "2026-12-14");
    // Version 2 is a whole rule set: its own calendars, fields and targets,
    // and no versions of its own.
    let rules = &versions[0]["rules"];
    assert!(rules["versions"].is_null());
    assert_eq!(rules["fields"], value["fields"]);
    let high_resolution = |r: &Value| {
        r["targets"]
            .as_array()
            .and_then(|ts| {
                ts.iter().find(|t| {
                    t["metric"] == "resolution" && t["selector"]["priorities"] == json!(["high"])
                })
            })
            .map(|t| t["duration"]["seconds"].clone())
    };
    assert_eq!(high_resolution(&value), Some(json!(4 * 3600)));
    assert_eq!(high_resolution(rules), Some(json!(6 * 3600)));
    serde_json::from_value::<RuleSet>(value).expect("serde reads it");
    // The same contract without versions compiles as before, under `/1`.
    assert_eq!(
        compiled(&root().join("contracts/care.sla"))["schema"],
        "sla-rules/1"
    );
}

/// The tag and the versions go together, in the schema as in the reader
/// (`sla eval` refuses both mixes): a rule set with versions tagged `/1`
/// would be judged by version 1 alone by an older `sla`.
#[test]
fn the_tag_says_whether_there_are_versions() {
    let v = Validator::new();
    let mut versioned = compiled(&root().join("contracts/examples/care-versions.sla"));
    versioned["schema"] = json!("sla-rules/1");
    assert!(v.check(&versioned).is_err(), "versions under sla-rules/1");
    let mut plain = compiled(&root().join("contracts/care.sla"));
    plain["schema"] = json!("sla-rules/2");
    assert!(v.check(&plain).is_err(), "sla-rules/2 without versions");
}

#[test]
fn rejects_a_missing_required_field() {
    rejects("a rule set without metrics", |v| {
        v.as_object_mut().expect("object").remove("metrics");
    });
    rejects("a metric without its calendar", |v| {
        v["metrics"][0]
            .as_object_mut()
            .expect("object")
            .remove("calendar");
    });
}

#[test]
fn rejects_unknown_enum_tags() {
    rejects("an unknown field type", |v| {
        v["fields"][0]["type"] = json!("colour")
    });
    rejects("an unknown period", |v| {
        v["objectives"][0]["period"] = json!("fortnight")
    });
    rejects("an unknown target duration kind", |v| {
        v["targets"][0]["duration"]["kind"] = json!("eventually")
    });
    rejects("an unknown weekday", |v| {
        v["calendars"]["office"]["open"][0]["day"] = json!("funday")
    });
    rejects("an unknown condition op", |v| {
        v["exclusions"][0]["when"]["op"] = json!("xor")
    });
}

#[test]
fn rejects_wrong_value_types() {
    rejects("a percentage as text", |v| {
        v["objectives"][0]["required"] = json!("85%")
    });
    rejects("a negative opening time", |v| {
        v["calendars"]["office"]["open"][0]["start"] = json!(-1)
    });
}
