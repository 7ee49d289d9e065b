//! Where errors appear on the ADF, Synapse and Azure portal pages, and how to read them.
//!
//! ```
//! use adf_troubleshooter::surface::{rules, read_region};
//! let dialog = rules().iter().find(|r| r.name == "studio-error-dialog").unwrap();
//! let text = "Error details\nError code\n2108\nFailure type\nUser configuration issue\nDetails\nInvalid URL";
//! assert!(read_region(dialog.name, text).is_some());
//! assert!(read_region(dialog.name, "Publish all\nSaved").is_none());
//! ```
//!
//! The content script knows nothing about these pages: it asks for [`rules`], collects the text
//! of the elements they select, and renders whatever cards come back. Each rule lists the
//! fixture pages (under `tests/fixtures/`) that show the markup it was written for; the
//! end-to-end tests load them at their real addresses.

use crate::card::Card;
use crate::diagnosis::{explain, Confidence};
use serde::{Deserialize, Serialize};

/// One kind of place where an error shows up.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub name: &'static str,
    /// Hosts (or host suffixes after `.`) the rule runs on.
    pub hosts: &'static [&'static str],
    /// CSS selector of the candidate elements.
    pub selector: &'static str,
    /// At least one of these must appear in the element's text (case-insensitive).
    pub requires_any: &'static [&'static str],
    /// `append` puts the card at the end of the element (dialogs, panes); `after` puts it
    /// right after the element (banners, code blocks) so the page's own controls stay free.
    pub placement: &'static str,
    /// Small surfaces (toasts, notifications) start with the card collapsed to one line.
    pub collapsed: bool,
    /// Fixture pages showing the markup this rule reads.
    pub examples: &'static [&'static str],
}

const STUDIO_HOSTS: &[&str] = &[
    "adf.azure.com",
    "adf.azure.us",
    "adf.azure.cn",
    "web.azuresynapse.net",
    "web.azuresynapse.usgovcloudapi.net",
    "web.azuresynapse.azure.cn",
];
const PORTAL_HOSTS: &[&str] = &[
    "portal.azure.com",
    ".portal.azure.com",
    "portal.azure.us",
    "portal.azure.cn",
    ".reactblade.portal.azure.net",
    ".hosting.portal.azure.net",
    ".reactblade.portal.azure.us",
    ".hosting.portal.azure.us",
    ".reactblade.portal.azure.cn",
    ".hosting.portal.azure.cn",
];

/// Words that mark a text as an error at all; anything else is never sent to the matcher.
const ERROR_WORDS: &[&str] = &[
    "error",
    "failed",
    "failure",
    "exception",
    "denied",
    "invalid",
];

static RULES: &[Rule] = &[
    // The monitoring "Error details" dialog: Error code / Failure type / Details fields.
    Rule {
        name: "studio-error-dialog",
        hosts: STUDIO_HOSTS,
        selector: "[role=dialog], [role=alertdialog]",
        requires_any: &["error code", "failure type", "errorcode"],
        placement: "append",
        collapsed: false,
        examples: &["adf-monitoring.html", "synapse-monitoring.html", "strict-csp.html"],
    },
    // The activity Output / Error JSON viewer (a code editor or a plain pre block).
    Rule {
        name: "studio-output-json",
        hosts: STUDIO_HOSTS,
        selector: "pre, .monaco-editor .view-lines, [data-testid=activity-output]",
        requires_any: &["\"errorcode\"", "\"error\"", "errorcode="],
        placement: "after",
        collapsed: false,
        examples: &["adf-activity-output.html"],
    },
    // Studio toasts and notification panel items.
    Rule {
        name: "studio-notification",
        hosts: STUDIO_HOSTS,
        selector: "[role=alert], .notification-item, .toast-message",
        requires_any: ERROR_WORDS,
        placement: "after",
        collapsed: true,
        examples: &["synapse-monitoring.html"],
    },
    // Portal notifications: the toast and the notifications pane.
    Rule {
        name: "portal-notification",
        hosts: PORTAL_HOSTS,
        selector: ".fxs-toast, .fxs-notificationspane-notification",
        requires_any: ERROR_WORDS,
        placement: "append",
        collapsed: true,
        examples: &["portal-notification.html"],
    },
    // Error banners and info boxes on portal blades, also inside extension iframes.
    Rule {
        name: "portal-error-banner",
        hosts: PORTAL_HOSTS,
        selector: ".msportalfx-infobox-error, .fxs-blade-statusbar-error, .fxs-error-content, [role=alert]",
        requires_any: ERROR_WORDS,
        placement: "after",
        collapsed: false,
        examples: &["portal-notification.html", "portal-iframe.html"],
    },
];

/// Every surface rule, in priority order: an element selected by an earlier rule is not
/// read again by a later one.
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rules that apply to a page host.
pub fn rules_for_host(host: &str) -> Vec<&'static Rule> {
    RULES
        .iter()
        .filter(|r| {
            // A listed `.suffix` keeps its dot, so `host.ends_with` matches whole labels only.
            r.hosts.iter().any(|h| {
                if h.starts_with('.') {
                    host.ends_with(h)
                } else {
                    host == *h
                }
            })
        })
        .collect()
}

/// Longest region text read; an error pane's relevant text is far shorter.
pub const MAX_REGION_CHARS: usize = 64 * 1024;

/// Turns a region's visible text into the text to diagnose, or `None` when the rule says the
/// region is not an error (so the matcher never runs on ordinary page content).
pub fn read_region(rule: &str, text: &str) -> Option<String> {
    let rule = RULES.iter().find(|r| r.name == rule)?;
    let text: String = text.chars().take(MAX_REGION_CHARS).collect();
    let lower = text.to_lowercase();
    if !rule.requires_any.iter().any(|w| lower.contains(w)) {
        return None;
    }
    if !ERROR_WORDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    Some(strip_controls(&text))
}

/// A region of a page as the content script saw it.
#[derive(Debug, Clone, Deserialize)]
pub struct Region {
    /// The content script's handle for the element.
    pub id: u32,
    pub rule: String,
    pub text: String,
}

/// The card for one region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionCard {
    pub id: u32,
    pub card: Card,
}

/// Diagnoses page regions; only regions whose best match reaches `min` get a card.
pub fn cards_for_regions(regions: &[Region], min: Confidence) -> Vec<RegionCard> {
    regions
        .iter()
        .filter_map(|region| {
            let text = read_region(&region.rule, &region.text)?;
            let diagnosis = explain(&text);
            if diagnosis.matches.first()?.confidence < min {
                return None;
            }
            let card = Card::from_diagnosis(&diagnosis, &text)?;
            Some(RegionCard {
                id: region.id,
                card,
            })
        })
        .collect()
}

/// Button captions copied along with a dialog's text add nothing and can mislead matching.
fn strip_controls(text: &str) -> String {
    const CONTROLS: &[&str] = &[
        "Close",
        "Copy",
        "OK",
        "Cancel",
        "Dismiss",
        "More info",
        "Copy to clipboard",
    ];
    text.lines()
        .filter(|line| !CONTROLS.contains(&line.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_scoped_to_their_hosts() {
        let names = |host| {
            rules_for_host(host)
                .iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        assert!(names("adf.azure.com").contains(&"studio-error-dialog"));
        assert!(names("web.azuresynapse.net").contains(&"studio-output-json"));
        assert!(names("portal.azure.com").contains(&"portal-notification"));
        assert!(names("ms.portal.azure.com").contains(&"portal-error-banner"));
        assert!(names("datafactory.reactblade.portal.azure.net").contains(&"portal-error-banner"));
        assert!(names("evil-portal.azure.com.example").is_empty());
        assert!(names("example.com").is_empty());
    }

    #[test]
    fn selectors_are_plain_lists_the_content_script_can_split_at_commas() {
        for rule in rules() {
            for part in rule.selector.split(',') {
                let part = part.trim();
                let balanced = part.matches('[').count() == part.matches(']').count()
                    && !part.contains(['(', '"', '\'']);
                assert!(!part.is_empty() && balanced, "{}: `{part}`", rule.name);
            }
        }
    }

    #[test]
    fn every_rule_names_its_fixture_pages() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        for rule in rules() {
            assert!(
                !rule.examples.is_empty(),
                "{} has no example page",
                rule.name
            );
            for page in rule.examples {
                assert!(
                    fixtures.join(page).is_file(),
                    "{}: missing fixture {page}",
                    rule.name
                );
            }
        }
    }

    #[test]
    fn cards_only_for_confident_error_regions() {
        let region = |id, rule: &str, text: &str| Region {
            id,
            rule: rule.into(),
            text: text.into(),
        };
        let regions = [
            region(1, "studio-error-dialog", "Error code\nInvalidGatewayKey\nFailure type\nUser configuration issue\nDetails\nthe error code is: InvalidGatewayKey, Client IP address isn't valid private ip"),
            region(2, "studio-error-dialog", "Error code\n9999\nFailure type\nSystem error\nDetails\nSomething odd failed"),
            region(3, "portal-notification", "Deployment succeeded"),
        ];
        let cards = cards_for_regions(&regions, Confidence::Medium);
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].id, 1);
        assert_eq!(cards[0].card.id, "shir-register-key-private-link");
    }

    #[test]
    fn reads_only_error_regions() {
        assert!(read_region("portal-notification", "Deployment succeeded").is_none());
        let toast = read_region(
            "portal-notification",
            "Failed to delete data factory\nClose\nInternalError",
        );
        assert_eq!(
            toast.as_deref(),
            Some("Failed to delete data factory\nInternalError")
        );
        assert!(read_region("no-such-rule", "error").is_none());
    }
}
