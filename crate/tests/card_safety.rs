//! What a card repeats from the error: secrets masked in "What we read" and in both copies,
//! and Markdown that shows read text literally.
#![cfg(not(target_arch = "wasm32"))]

use adf_troubleshooter::card::Card;
use adf_troubleshooter::explain;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

fn failed_activity(activity: &str) -> String {
    format!("Operation on target {activity} failed: ErrorCode=InvalidGatewayKey, Client IP address isn't valid private ip")
}

/// Each kind of secret, inside the one fact that holds free text (the activity), with the
/// value that must not be repeated.
#[test]
fn every_kind_of_secret_is_masked_in_the_card() {
    for (kind, activity, value) in [
        ("sas-signature", "Copy from https://a.blob.core.windows.net/c?sp=r&sig=R2VoZWlt%2Bq", "R2VoZWlt%2Bq"),
        ("account-key", "Copy AccountKey=c2VjcmV0c2VjcmV0==;", "c2VjcmV0c2VjcmV0=="),
        ("password", "Copy Server=db;Password=Tr0ub4dor&3;", "Tr0ub4dor&3"),
        ("password", "Copy uid=etl;pwd={x;y z}", "x;y z"),
        ("bearer-token", "Call Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl", "eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl"),
        ("client-secret", "Token client_id=1&client_secret=Qx8Q~abc.DEF_ghi", "Qx8Q~abc.DEF_ghi"),
        (
            "ir-authentication-key",
            "Register IR@7c1e2c1a-0000-4b0f-9d55-31a7c5e1f0aa@adf@ServiceEndpoint=adf.westeurope.datafactory.azure.net@c2VjcmV0",
            "7c1e2c1a-0000-4b0f-9d55-31a7c5e1f0aa@adf@ServiceEndpoint=adf.westeurope.datafactory.azure.net@c2VjcmV0",
        ),
    ] {
        let text = failed_activity(activity);
        let diagnosis = explain(&text);
        assert!(
            diagnosis.secrets.iter().any(|s| serde_json::to_value(s.kind).unwrap() == kind),
            "{kind}: {:?}",
            diagnosis.secrets
        );
        let card = Card::from_diagnosis(&diagnosis, &text).unwrap();
        let shown = card.read.iter().find(|f| f.label == "Activity").unwrap();
        assert!(shown.value.contains("****"), "{kind}: {}", shown.value);
        for (place, content) in [
            ("What we read", &shown.value),
            ("plain text", &card.plain_text()),
            ("Markdown", &card.markdown()),
        ] {
            assert!(!content.contains(value), "{kind} in {place}: {content}");
        }
    }
}

/// Each list item of a Markdown document, as a renderer reads it: its text, and whether any of
/// it became markup (a link, an image, emphasis, HTML).
fn list_items(markdown: &str) -> Vec<(String, bool)> {
    let (mut items, mut current) = (Vec::new(), None::<(String, bool)>);
    for event in Parser::new_ext(markdown, Options::all()) {
        let Some((text, markup)) = current.as_mut() else {
            current = matches!(event, Event::Start(Tag::Item)).then(Default::default);
            continue;
        };
        match event {
            Event::End(TagEnd::Item) => items.extend(current.take()),
            Event::Text(t) => text.push_str(&t),
            Event::Start(_) | Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) => {
                *markup = true
            }
            _ => {}
        }
    }
    items
}

#[test]
fn markdown_copy_shows_read_text_literally() {
    for activity in [
        "[Open the fix](https://evil.example/login) **now**",
        "Copy_*sales*_ <img src=x> ~~old~~ \\[a\\]",
        "Copy &lt & load | ![i](https://evil.example/i.png)",
    ] {
        let card = Card::for_text(&failed_activity(activity)).unwrap();
        let items = list_items(&card.markdown());
        let shown = items
            .iter()
            .find(|(text, _)| text.starts_with("Activity: "))
            .unwrap_or_else(|| panic!("{activity}: {items:?}"));
        assert_eq!(
            shown,
            &(format!("Activity: {activity}"), false),
            "{}",
            card.markdown()
        );
        assert!(card
            .plain_text()
            .contains(&format!("- Activity: {activity}\n")));
    }
}
