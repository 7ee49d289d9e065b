//! The extension's settings: defaults, the user's choices and the administrator's policy
//! resolved into one value, with what the policy pins and what was invalid.
//!
//! ```
//! use adf_troubleshooter::settings::{resolve, surface_of_host};
//! let r = resolve(&serde_json::json!({"theme": "dark"}), &serde_json::json!({"surfaces": {"portal": false}}));
//! assert_eq!(r.settings.theme, "dark");
//! assert!(!r.settings.surfaces.portal && r.pinned == ["surfaces.portal"]);
//! assert_eq!(surface_of_host("datafactory.reactblade.portal.azure.net"), Some("portal"));
//! ```

use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Surfaces {
    pub adf: bool,
    pub synapse: bool,
    pub fabric: bool,
    pub portal: bool,
    pub context_menu: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub surfaces: Surfaces,
    /// Cards open with their fix showing (badges in lists stay one line).
    pub expanded: bool,
    /// `high`, `medium` or `low`: the lowest confidence that still shows a card on a page.
    pub min_confidence: String,
    /// `auto` (follow the page, or the system for the popup), `light` or `dark`.
    pub theme: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub settings: Settings,
    /// Settings the administrator set (`surfaces.adf`, `minConfidence`, `teamRules`...).
    pub pinned: Vec<String>,
    /// Values that were ignored, and why.
    pub problems: Vec<String>,
}

const SURFACES: [&str; 5] = ["adf", "synapse", "fabric", "portal", "contextMenu"];
const CONFIDENCES: [&str; 3] = ["high", "medium", "low"];
const THEMES: [&str; 3] = ["auto", "light", "dark"];

/// Resolves stored user settings and managed (policy) values: policy wins and is pinned.
pub fn resolve(user: &Value, managed: &Value) -> Resolved {
    let mut pinned = Vec::new();
    let mut problems = Vec::new();
    // An older version stored one switch for every page.
    let legacy_on = user
        .get("showCards")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let mut pick = |key: &str, path: &[&str], allowed: &dyn Fn(&Value) -> bool| -> Option<Value> {
        let get = |root: &Value| path.iter().try_fold(root, |v, k| v.get(*k)).cloned();
        for (source, is_policy) in [(managed, true), (user, false)] {
            if let Some(value) = get(source) {
                if allowed(&value) {
                    if is_policy {
                        pinned.push(key.to_string());
                    }
                    return Some(value);
                }
                let by = if is_policy { "policy" } else { "stored" };
                problems.push(format!(
                    "{by} value {value} for `{key}` is not valid: ignored"
                ));
            }
        }
        None
    };
    let is_bool = |v: &Value| v.is_boolean();
    let one_of = |list: &'static [&'static str]| {
        move |v: &Value| v.as_str().is_some_and(|s| list.contains(&s))
    };
    let mut surfaces = [true; 5];
    for (i, name) in SURFACES.iter().enumerate() {
        let default = legacy_on || *name == "contextMenu";
        surfaces[i] = pick(&format!("surfaces.{name}"), &["surfaces", name], &is_bool)
            .and_then(|v| v.as_bool())
            .unwrap_or(default);
    }
    let expanded = pick("expanded", &["expanded"], &is_bool)
        .and_then(|v| v.as_bool())
        .unwrap_or(true);
    let text = |v: Option<Value>, default: &str| {
        v.and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| default.to_string())
    };
    let min_confidence = text(
        pick("minConfidence", &["minConfidence"], &one_of(&CONFIDENCES)),
        "medium",
    );
    let theme = text(pick("theme", &["theme"], &one_of(&THEMES)), "auto");
    if managed.get("teamRules").is_some() {
        pinned.push("teamRules".into());
    }
    let [adf, synapse, fabric, portal, context_menu] = surfaces;
    Resolved {
        settings: Settings {
            surfaces: Surfaces {
                adf,
                synapse,
                fabric,
                portal,
                context_menu,
            },
            expanded,
            min_confidence,
            theme,
        },
        pinned,
        problems,
    }
}

/// Which surface a page host belongs to (`adf`, `synapse`, `fabric`, `portal`); the portal's
/// blade frames are the portal's.
pub fn surface_of_host(host: &str) -> Option<&'static str> {
    let host = host.to_ascii_lowercase();
    let is = |name: &str| host == name || host.ends_with(&format!(".{name}"));
    if [
        "adf.azure.com",
        "ms-adf.azure.com",
        "adf.azure.us",
        "adf.azure.cn",
    ]
    .iter()
    .any(|h| is(h))
    {
        Some("adf")
    } else if host.contains("azuresynapse") {
        Some("synapse")
    } else if is("fabric.microsoft.com") {
        Some("fabric")
    } else if [
        "portal.azure.com",
        "portal.azure.us",
        "portal.azure.cn",
        "portal.azure.net",
    ]
    .iter()
    .any(|h| is(h))
        || host.contains(".reactblade")
    {
        Some("portal")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_user_choices_and_policy_pins() {
        let r = resolve(&json!({}), &json!({}));
        assert!(r.settings.surfaces.adf && r.settings.expanded && r.pinned.is_empty());
        assert_eq!(
            (
                r.settings.min_confidence.as_str(),
                r.settings.theme.as_str()
            ),
            ("medium", "auto")
        );
        let r = resolve(
            &json!({"minConfidence": "low", "surfaces": {"adf": false}, "theme": "purple"}),
            &json!({"minConfidence": "high", "teamRules": []}),
        );
        assert_eq!(r.settings.min_confidence, "high");
        assert!(!r.settings.surfaces.adf);
        assert_eq!(r.pinned, ["minConfidence", "teamRules"]);
        assert!(r.problems[0].contains("`theme`"), "{:?}", r.problems);
    }

    #[test]
    fn the_old_switch_turns_page_cards_off() {
        let s = resolve(&json!({"showCards": false}), &json!({})).settings;
        assert!(!s.surfaces.adf && !s.surfaces.portal && s.surfaces.context_menu);
    }

    #[test]
    fn hosts_map_to_surfaces() {
        for (host, surface) in [
            ("adf.azure.com", Some("adf")),
            ("ms-adf.azure.com", Some("adf")),
            ("web.azuresynapse.usgovcloudapi.net", Some("synapse")),
            ("app.fabric.microsoft.com", Some("fabric")),
            ("ms.portal.azure.com", Some("portal")),
            ("sandbox-1.reactblade-rc.portal.azure.net", Some("portal")),
            ("x.hosting.portal.azure.cn", Some("portal")),
            ("example.com", None),
        ] {
            assert_eq!(surface_of_host(host), surface, "{host}");
        }
    }
}
