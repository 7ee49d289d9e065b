//! The JavaScript face of the engine: type conversion only, all logic lives in plain Rust.

use crate::card::Card;
use crate::diagnosis::Diagnosis;
use crate::knowledge::Entry;
use crate::scoring::Confidence;
use crate::surface::{self, Region, RegionCard};
use crate::team::{self, markdown, Problem, TeamKnowledge};
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

/// Values cross the boundary as JSON text, parsed and written by the browser's own `JSON`: the
/// engine needs serde_json anyway, and a second serde format for JS values would cost the wasm
/// its own code for every type that crosses.
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    // serde_json's error messages would bring their formatting into the wasm; these values
    // always serialise.
    let json = serde_json::to_string(value).map_err(|_| JsError::new("cannot build the answer"))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("cannot build the answer"))
}

/// A JS value as JSON; `undefined` (and whatever JSON cannot hold) is `null`.
fn from_js(value: &JsValue) -> Result<serde_json::Value, JsError> {
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|json| json.as_string())
        .unwrap_or_else(|| "null".into());
    serde_json::from_str(&json).map_err(|_| JsError::new("nested too deeply to be read"))
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
        let diagnosis = preferring(team.explain(text), prefer);
        let card = team.card(&diagnosis, text);
        to_js(&Explained { diagnosis, card })
    })
}

fn preferring(mut diagnosis: Diagnosis, prefer: Option<String>) -> Diagnosis {
    if let Some(at) = prefer.and_then(|id| diagnosis.matches.iter().position(|m| m.id == id)) {
        let chosen = diagnosis.matches.remove(at);
        diagnosis.matches.insert(0, chosen);
    }
    diagnosis
}

/// The text of the card [`explain_preferring`] gives for the same `text` and `prefer`, as plain
/// text or as Markdown: built when a copy button is pressed, not with every card.
#[wasm_bindgen(js_name = copyText)]
pub fn copy_text(text: &str, prefer: Option<String>, markdown: bool) -> Option<String> {
    TEAM.with_borrow(|team| {
        let card = team.card(&preferring(team.explain(text), prefer), text)?;
        Some(card.render_copy(markdown))
    })
}

/// The text of the card [`cards_for_regions`] gives for a region (`regions`: a list of that one
/// region), as plain text or as Markdown; `None` when the region has no card (any more).
#[wasm_bindgen(js_name = regionCopyText)]
pub fn region_copy_text(
    regions: JsValue,
    min_confidence: &str,
    markdown: bool,
) -> Result<Option<String>, JsError> {
    let cards = region_cards(&regions, min_confidence)?;
    Ok(cards.first().map(|c| c.card.render_copy(markdown)))
}

/// The best matches of a text, each as its id, title and confidence: the omnibox asks at every
/// keystroke and shows no card, so none is built or sent.
#[wasm_bindgen]
pub fn suggestions(text: &str) -> Result<JsValue, JsError> {
    TEAM.with_borrow(|team| {
        let diagnosis = team.explain(text);
        let brief: Vec<Suggested> = diagnosis
            .matches
            .iter()
            .map(|m| Suggested {
                id: &m.id,
                title: &m.title,
                confidence: m.confidence,
            })
            .collect();
        to_js(&brief)
    })
}

/// One omnibox suggestion.
#[derive(Serialize)]
struct Suggested<'a> {
    id: &'a str,
    title: &'a str,
    confidence: Confidence,
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

fn validated(value: JsValue, managed: bool) -> Result<(Vec<Entry>, Vec<Problem>), JsError> {
    Ok(team::validate(&from_js(&value)?, managed))
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
    let (mut entries, user_problems) = validated(user, false)?;
    let (managed_entries, managed_problems) = validated(managed, true)?;
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

/// Validates rules from the form or a JSON file: the valid ones (as given) and every problem.
#[wasm_bindgen(js_name = validateRules)]
pub fn validate_rules(rules: JsValue) -> Result<JsValue, JsError> {
    let value = from_js(&rules)?;
    let (_, problems) = team::validate(&value, false);
    let valid = team::listed(&value)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(at, _)| problems.iter().all(|p| p.rule != *at))
        .map(|(_, rule)| rule)
        .collect();
    to_js(&Checked {
        rules: valid,
        problems: said(&problems),
    })
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
    let read = |value: JsValue| -> Result<(settings::Stored, Option<String>), JsError> {
        Ok(settings::Stored::from_json(&from_js(&value)?)
            .map_or_else(|e| (Default::default(), Some(e)), |s| (s, None)))
    };
    let (user, user_problem) = read(user)?;
    let (managed, managed_problem) = read(managed)?;
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
    #[derive(Serialize)]
    struct Listed<'a> {
        id: &'a str,
        title: &'a str,
        source: &'a str,
    }
    let list: Vec<_> = crate::knowledge::entries()
        .iter()
        .map(|e| Listed {
            id: &e.id,
            title: &e.title,
            source: &e.source,
        })
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
    to_js(&region_cards(&regions, min_confidence)?)
}

fn region_cards(regions: &JsValue, min_confidence: &str) -> Result<Vec<RegionCard>, JsError> {
    let regions = Region::list_from_json(&from_js(regions)?).map_err(|e| JsError::new(&e))?;
    let min = team::confidence_named(min_confidence);
    Ok(TEAM.with_borrow(|team| {
        surface::cards_for_regions_with(&regions, min, &|text| team.explain(text), &|d, text| {
            team.card(d, text)
        })
    }))
}
