//! The extension's settings: defaults, the user's choices and the administrator's policy
//! resolved into one value, with what the policy pins and what was invalid.
//!
//! ```
//! use adf_troubleshooter::settings::{resolve, surface_of_host, Stored};
//! let read = |v| Stored::from_json(&v).unwrap();
//! let r = resolve(&read(serde_json::json!({"theme": "dark"})), &read(serde_json::json!({"surfaces": {"portal": false}})));
//! assert_eq!(r.settings.theme, "dark");
//! assert!(!r.settings.surfaces.portal && r.pinned == ["surfaces.portal"]);
//! assert_eq!(surface_of_host("datafactory.reactblade.portal.azure.net"), Some("portal"));
//! ```

use crate::fields::Object;
use serde::Serialize;

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

/// Settings as stored by the options page or set by policy: any of them may be missing.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    pub surfaces: StoredSurfaces,
    pub expanded: Option<bool>,
    pub min_confidence: Option<String>,
    pub theme: Option<String>,
    /// The one switch of older versions: false turned every page's cards off.
    pub show_cards: Option<bool>,
    /// Policy only: whether the administrator pushes team rules (they are read elsewhere).
    pub team_rules: bool,
}

impl Stored {
    /// Settings from their stored JSON (camelCase keys; other keys are left alone). A value of
    /// the wrong type is an error, as serde says it.
    pub fn from_json(value: &serde_json::Value) -> Result<Stored, String> {
        let object = Object::new(value, "struct Stored")?;
        let surfaces = match object.get("surfaces") {
            None => StoredSurfaces::default(),
            Some(value) => {
                let object = Object::new(value, "struct StoredSurfaces")?;
                StoredSurfaces {
                    adf: object.flag("adf")?,
                    synapse: object.flag("synapse")?,
                    fabric: object.flag("fabric")?,
                    portal: object.flag("portal")?,
                    context_menu: object.flag("contextMenu")?,
                }
            }
        };
        Ok(Stored {
            surfaces,
            expanded: object.flag("expanded")?,
            min_confidence: object.optional_string("minConfidence")?,
            theme: object.optional_string("theme")?,
            show_cards: object.flag("showCards")?,
            team_rules: object.get("teamRules").is_some_and(|v| !v.is_null()),
        })
    }
}

#[derive(Debug, Clone, Default)]
pub struct StoredSurfaces {
    pub adf: Option<bool>,
    pub synapse: Option<bool>,
    pub fabric: Option<bool>,
    pub portal: Option<bool>,
    pub context_menu: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub settings: Settings,
    /// Settings the administrator set (`surfaces.adf`, `minConfidence`, `teamRules`...).
    pub pinned: Vec<String>,
    /// Values that were ignored, and why.
    pub problems: Vec<String>,
}

const CONFIDENCES: [&str; 3] = ["high", "medium", "low"];
const THEMES: [&str; 3] = ["auto", "light", "dark"];

/// Resolves stored user settings and managed (policy) values: policy wins and is pinned.
pub fn resolve(user: &Stored, managed: &Stored) -> Resolved {
    let mut pinned = Vec::new();
    let mut problems = Vec::new();
    let legacy_on = user.show_cards.unwrap_or(true);
    let mut flag = |key: &str, policy: Option<bool>, mine: Option<bool>, default: bool| {
        if let Some(value) = policy {
            pinned.push(key.to_string());
            return value;
        }
        mine.unwrap_or(default)
    };
    let (p, u) = (&managed.surfaces, &user.surfaces);
    let surfaces = Surfaces {
        adf: flag("surfaces.adf", p.adf, u.adf, legacy_on),
        synapse: flag("surfaces.synapse", p.synapse, u.synapse, legacy_on),
        fabric: flag("surfaces.fabric", p.fabric, u.fabric, legacy_on),
        portal: flag("surfaces.portal", p.portal, u.portal, legacy_on),
        context_menu: flag("surfaces.contextMenu", p.context_menu, u.context_menu, true),
    };
    let expanded = flag("expanded", managed.expanded, user.expanded, true);
    let mut choice = |key: &str,
                      policy: &Option<String>,
                      mine: &Option<String>,
                      allowed: &[&str],
                      default: &str| {
        for (value, is_policy) in [(policy, true), (mine, false)] {
            let Some(value) = value else { continue };
            if allowed.contains(&value.as_str()) {
                if is_policy {
                    pinned.push(key.to_string());
                }
                return value.clone();
            }
            let by = if is_policy { "policy" } else { "stored" };
            problems.push(format!(
                "{by} value `{value}` for `{key}` is not one of {}: ignored",
                allowed.join(", ")
            ));
        }
        default.to_string()
    };
    let min_confidence = choice(
        "minConfidence",
        &managed.min_confidence,
        &user.min_confidence,
        &CONFIDENCES,
        "medium",
    );
    let theme = choice("theme", &managed.theme, &user.theme, &THEMES, "auto");
    if managed.team_rules {
        pinned.push("teamRules".into());
    }
    Resolved {
        settings: Settings {
            surfaces,
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

    fn resolve(user: serde_json::Value, managed: serde_json::Value) -> Resolved {
        let read = |v| Stored::from_json(&v).unwrap();
        super::resolve(&read(user), &read(managed))
    }

    #[test]
    fn defaults_user_choices_and_policy_pins() {
        let r = resolve(json!({}), json!({}));
        assert!(r.settings.surfaces.adf && r.settings.expanded && r.pinned.is_empty());
        assert_eq!(
            (
                r.settings.min_confidence.as_str(),
                r.settings.theme.as_str()
            ),
            ("medium", "auto")
        );
        let r = resolve(
            json!({"minConfidence": "low", "surfaces": {"adf": false}, "theme": "purple"}),
            json!({"minConfidence": "high", "teamRules": []}),
        );
        assert_eq!(r.settings.min_confidence, "high");
        assert!(!r.settings.surfaces.adf);
        assert_eq!(r.pinned, ["minConfidence", "teamRules"]);
        assert!(r.problems[0].contains("`theme`"), "{:?}", r.problems);
    }

    #[test]
    fn the_old_switch_turns_page_cards_off() {
        let s = resolve(json!({"showCards": false}), json!({})).settings;
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
