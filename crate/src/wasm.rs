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

/// A problem with its sentence (`rule 2 (id), link: ...` or `line 12: ...`).
#[derive(Serialize)]
struct Said<'a> {
    rule: usize,
    id: &'a str,
    field: &'a str,
    line: Option<usize>,
    text: String,
}

fn said(problems: &[Problem]) -> Vec<Said<'_>> {
    problems
        .iter()
        .map(|p| Said {
            rule: p.rule,
            id: &p.id,
            field: &p.field,
            line: p.line,
            text: p.to_string(),
        })
        .collect()
}

/// Rules from JavaScript: a list, or an export `{rules: [...]}`; each read on its own, so a
/// malformed rule costs only itself. Read straight into [`TeamRule`] (no JSON value tree: it
/// would cost the engine's wasm budget).
fn read_rules(value: JsValue) -> (Vec<(usize, TeamRule)>, Vec<JsValue>, Vec<Problem>) {
    let list = if js_sys::Array::is_array(&value) {
        value.clone()
    } else {
        js_sys::Reflect::get(&value, &JsValue::from_str("rules")).unwrap_or(JsValue::UNDEFINED)
    };
    let mut rules = Vec::new();
    let mut raw = Vec::new();
    let mut problems = Vec::new();
    if !js_sys::Array::is_array(&list) {
        if !value.is_undefined() && !value.is_null() {
            problems.push(team::problem(
                0,
                "",
                "",
                "expected a list of rules or {\"rules\": [...]}",
            ));
        }
        return (rules, raw, problems);
    }
    for (at, item) in js_sys::Array::from(&list).iter().enumerate() {
        match serde_wasm_bindgen::from_value::<TeamRule>(item.clone()) {
            Ok(rule) => rules.push((at, rule)),
            Err(e) => {
                let message = e.to_string();
                let id = js_sys::Reflect::get(&item, &JsValue::from_str("id"))
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                problems.push(team::problem(
                    at,
                    &id,
                    team::field_of_error(&message),
                    &message,
                ));
            }
        }
        raw.push(item);
    }
    (rules, raw, problems)
}

fn validated(
    value: JsValue,
    managed: bool,
) -> (Vec<crate::knowledge::Entry>, Vec<JsValue>, Vec<Problem>) {
    let (rules, raw, mut problems) = read_rules(value);
    let (entries, found) = team::validate_rules(&rules, managed);
    problems.extend(found);
    (entries, raw, problems)
}

#[derive(Serialize)]
struct Applied<'a> {
    count: usize,
    problems: Vec<Said<'a>>,
    #[serde(rename = "managedProblems")]
    managed_problems: Vec<Said<'a>>,
}

/// Puts team rules in force: the user's and the administrator's (as stored). Invalid rules are
/// left out; the answer lists their problems.
#[wasm_bindgen(js_name = setTeamRules)]
pub fn set_team_rules(user: JsValue, managed: JsValue) -> Result<JsValue, JsError> {
    let (mut entries, _, user_problems) = validated(user, false);
    let (managed_entries, _, managed_problems) = validated(managed, true);
    // The administrator's rule wins over a user's rule of the same id.
    entries.retain(|e| managed_entries.iter().all(|m| m.id != e.id));
    entries.extend(managed_entries);
    let count = entries.len();
    TEAM.set(TeamKnowledge::build(entries));
    to_js(&Applied {
        count,
        problems: said(&user_problems),
        managed_problems: said(&managed_problems),
    })
}

#[derive(Serialize)]
struct Checked<'a, R: Serialize> {
    rules: Vec<R>,
    problems: Vec<Said<'a>>,
}

/// Validates rules from the form or a JSON file: the valid ones and every problem.
#[wasm_bindgen(js_name = validateRules)]
pub fn validate_rules(rules: JsValue) -> Result<JsValue, JsError> {
    let (_, raw, problems) = validated(rules, false);
    let ok = js_sys::Array::new();
    for (at, item) in raw.into_iter().enumerate() {
        if problems.iter().all(|p| p.rule != at) {
            ok.push(&item);
        }
    }
    let answer = to_js(&Checked::<TeamRule> {
        rules: Vec::new(),
        problems: said(&problems),
    })?;
    js_sys::Reflect::set(&answer, &JsValue::from_str("rules"), &ok)
        .map_err(|_| JsError::new("cannot build the answer"))?;
    Ok(answer)
}

/// Reads team rules from a Markdown file in the entries' format (one or many).
#[wasm_bindgen(js_name = importMarkdown)]
pub fn import_markdown(file: &str) -> Result<JsValue, JsError> {
    let (rules, problems) = markdown::read(file);
    to_js(&Checked {
        rules,
        problems: said(&problems),
    })
}

/// The settings in force: defaults, the stored ones, the policy's (pinned).
#[wasm_bindgen(js_name = resolveSettings)]
pub fn resolve_settings(user: JsValue, managed: JsValue) -> Result<JsValue, JsError> {
    // A stored value of the wrong type leaves the defaults, with the reason.
    let read = |value: JsValue| -> (settings::Stored, Option<String>) {
        serde_wasm_bindgen::from_value(value)
            .map_or_else(|e| (Default::default(), Some(e.to_string())), |s| (s, None))
    };
    let (user, user_problem) = read(user);
    let (managed, managed_problem) = read(managed);
    let mut resolved = settings::resolve(&user, &managed);
    resolved
        .problems
        .extend(user_problem.into_iter().chain(managed_problem));
    to_js(&resolved)
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
