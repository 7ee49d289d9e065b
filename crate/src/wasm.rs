//! The JavaScript face of the engine: type conversion only, all logic lives in plain Rust.

use crate::card::Card;
use crate::diagnosis::Diagnosis;
use crate::surface::{self, Region};
use crate::team::{self, markdown, Problem, TeamKnowledge, TeamRule};
use crate::{settings, settings::surface_of_host};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The team rules in force (the user's and the administrator's), set by `setTeamRules`.
    static TEAM: RefCell<TeamKnowledge> = RefCell::new(TeamKnowledge::build(Vec::new()));
}

/// What the extension receives: the CLI's `explain --json` object (without the secret ranges:
/// the card already shows read text masked) plus the card.
#[derive(Serialize)]
struct Explained {
    #[serde(flatten)]
    diagnosis: Diagnosis,
    card: Option<Card>,
}

fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Diagnoses an error text against the bundled knowledge and the team rules.
#[wasm_bindgen]
pub fn explain(text: &str) -> Result<JsValue, JsError> {
    explain_preferring(text, None)
}

/// The same; `prefer` (an entry id, from an omnibox suggestion) puts that match first when it
/// is one of them.
#[wasm_bindgen(js_name = explainPreferring)]
pub fn explain_preferring(text: &str, prefer: Option<String>) -> Result<JsValue, JsError> {
    TEAM.with_borrow(|team| {
        let mut diagnosis = team.explain(text);
        if let Some(at) = prefer.and_then(|id| diagnosis.matches.iter().position(|m| m.id == id)) {
            let chosen = diagnosis.matches.remove(at);
            diagnosis.matches.insert(0, chosen);
        }
        let card = team.card(&diagnosis, text);
        to_js(&Explained { diagnosis, card })
    })
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&e.to_string()))
}

/// Problems with their sentence (`rule 2 (id), link: ...` or `line 12: ...`).
fn said(problems: &[Problem]) -> Vec<serde_json::Value> {
    problems
        .iter()
        .map(|p| serde_json::json!({"rule": p.rule, "id": p.id, "field": p.field, "line": p.line, "text": p.to_string()}))
        .collect()
}

/// Puts team rules in force: the user's and the administrator's (JSON values as stored).
/// Invalid rules are left out; the answer lists their problems.
#[wasm_bindgen(js_name = setTeamRules)]
pub fn set_team_rules(user: JsValue, managed: JsValue) -> Result<JsValue, JsError> {
    let user: serde_json::Value = from_js(user)?;
    let managed: serde_json::Value = from_js(managed)?;
    let (mut entries, user_problems) = team::validate(&user, false);
    let (managed_entries, managed_problems) = team::validate(&managed, true);
    // The administrator's rule wins over a user's rule of the same id.
    entries.retain(|e| managed_entries.iter().all(|m| m.id != e.id));
    entries.extend(managed_entries);
    let count = entries.len();
    TEAM.set(TeamKnowledge::build(entries));
    to_js(
        &serde_json::json!({"count": count, "problems": said(&user_problems), "managedProblems": said(&managed_problems)}),
    )
}

/// Validates rules from the form or a JSON file: the valid ones and every problem.
#[wasm_bindgen(js_name = validateRules)]
pub fn validate_rules(rules: JsValue) -> Result<JsValue, JsError> {
    let value: serde_json::Value = from_js(rules)?;
    let (entries, problems) = team::validate(&value, false);
    let valid: Vec<&serde_json::Value> = match &value {
        serde_json::Value::Array(list) => list.iter().collect(),
        serde_json::Value::Object(map) => map
            .get("rules")
            .and_then(|r| r.as_array())
            .map(|l| l.iter().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let ok: Vec<&serde_json::Value> = valid
        .into_iter()
        .enumerate()
        .filter(|(i, _)| problems.iter().all(|p| p.rule != *i))
        .map(|(_, v)| v)
        .collect();
    debug_assert_eq!(ok.len(), entries.len());
    to_js(&serde_json::json!({"rules": ok, "problems": said(&problems)}))
}

/// Reads team rules from a Markdown file in the entries' format (one or many).
#[wasm_bindgen(js_name = importMarkdown)]
pub fn import_markdown(file: &str) -> Result<JsValue, JsError> {
    let (rules, problems): (Vec<TeamRule>, _) = markdown::read(file);
    to_js(&serde_json::json!({"rules": rules, "problems": said(&problems)}))
}

/// The settings in force: defaults, the stored ones, the policy's (pinned).
#[wasm_bindgen(js_name = resolveSettings)]
pub fn resolve_settings(user: JsValue, managed: JsValue) -> Result<JsValue, JsError> {
    let user: serde_json::Value = from_js(user)?;
    let managed: serde_json::Value = from_js(managed)?;
    to_js(&settings::resolve(&user, &managed))
}

/// The surface (`adf`, `synapse`, `fabric`, `portal`) of a page host, if any.
#[wasm_bindgen(js_name = surfaceOfHost)]
pub fn surface_of(host: &str) -> Option<String> {
    surface_of_host(host).map(str::to_string)
}

/// The knowledge entries (id, title, source), for the options page.
#[wasm_bindgen]
pub fn entries() -> Result<JsValue, JsError> {
    let list: Vec<_> = crate::knowledge::entries()
        .iter()
        .map(|e| serde_json::json!({"id": e.id, "title": e.title, "source": e.source}))
        .collect();
    to_js(&list)
}

/// The surface rules that apply to a page host, for the content script.
#[wasm_bindgen(js_name = surfaceRules)]
pub fn surface_rules(host: &str) -> Result<JsValue, JsError> {
    to_js(&surface::rules_for_host(host))
}

/// Cards for page regions `[{id, rule, text}]`; `min_confidence` is `low`, `medium` or `high`.
#[wasm_bindgen(js_name = cardsForRegions)]
pub fn cards_for_regions(regions: JsValue, min_confidence: &str) -> Result<JsValue, JsError> {
    let regions: Vec<Region> = from_js(regions)?;
    let min = team::confidence_named(min_confidence);
    TEAM.with_borrow(|team| {
        to_js(&surface::cards_for_regions_with(
            &regions,
            min,
            &|text| team.explain(text),
            &|d, text| team.card(d, text),
        ))
    })
}
