//! The JavaScript face of the engine: type conversion only, all logic lives in plain Rust.

use crate::card::Card;
use crate::diagnosis::{explain as diagnose, Confidence, Diagnosis};
use crate::surface::{self, Region};
use serde::Serialize;
use wasm_bindgen::prelude::*;

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

/// Diagnoses an error text.
#[wasm_bindgen]
pub fn explain(text: &str) -> Result<JsValue, JsError> {
    let diagnosis = diagnose(text);
    let card = Card::from_diagnosis(&diagnosis, text);
    to_js(&Explained { diagnosis, card })
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
    let regions: Vec<Region> =
        serde_wasm_bindgen::from_value(regions).map_err(|e| JsError::new(&e.to_string()))?;
    let min = match min_confidence {
        "low" => Confidence::Low,
        "high" => Confidence::High,
        _ => Confidence::Medium,
    };
    to_js(&surface::cards_for_regions(&regions, min))
}
