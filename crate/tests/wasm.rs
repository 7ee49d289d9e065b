//! The JavaScript binding layer, run as wasm in Node and in headless Chromium
//! (`WASM_BINDGEN_USE_BROWSER=1`): the objects the extension receives.
#![cfg(target_arch = "wasm32")]

use adf_troubleshooter::wasm::{cards_for_regions, entries, explain, surface_rules};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).expect("a readable property")
}

#[wasm_bindgen_test]
fn explain_returns_the_cli_object_and_a_card() {
    let result = explain("Failed to get service token from ADF service with key ****, the error code is: InvalidGatewayKey, activityId is: 1 and detailed error message is Client IP address isn't valid private ip").unwrap();
    let best = Array::from(&get(&result, "matches")).get(0);
    assert_eq!(get(&best, "confidence").as_string().unwrap(), "high");
    let codes = Array::from(&get(&get(&result, "facts"), "error_codes"));
    assert_eq!(codes.get(0).as_string().unwrap(), "InvalidGatewayKey");
    let card = get(&result, "card");
    assert_eq!(
        get(&card, "source").as_string(),
        get(&best, "source").as_string()
    );
    assert!(Array::from(&get(&card, "steps")).length() >= 2);
}

#[wasm_bindgen_test]
fn unknown_and_empty_text_get_no_card() {
    for text in ["", "hello world", "\u{0}\u{fffd}"] {
        let result = explain(text).unwrap();
        assert!(get(&result, "card").is_null());
        assert_eq!(Array::from(&get(&result, "matches")).length(), 0);
    }
}

#[wasm_bindgen_test]
fn regions_become_cards_and_bad_regions_an_error() {
    let rules = surface_rules("adf.azure.com").unwrap();
    assert!(Array::from(&rules).length() >= 3);
    let regions: JsValue = js_sys::JSON::parse(r#"[{"id": 7, "rule": "error-dialog", "text": "Error code\nInvalidGatewayKey\nFailure type\nUser configuration issue\nDetails\nthe error code is: InvalidGatewayKey, Client IP address isn't valid private ip"}]"#).unwrap();
    let cards = Array::from(&cards_for_regions(regions, "medium").unwrap());
    assert_eq!(cards.length(), 1);
    assert_eq!(get(&cards.get(0), "id").as_f64(), Some(7.0));
    assert!(cards_for_regions(JsValue::from_str("not regions"), "medium").is_err());
    assert!(Array::from(&entries().unwrap()).length() >= 8);
}
