//! Where errors appear on the ADF, Synapse and Azure portal pages, and how to read them.
//!
//! ```
//! use adf_troubleshooter::surface::{rules, read_region};
//! let dialog = rules().iter().find(|r| r.name == "error-dialog").unwrap();
//! let text = "Error details\nError code\n2108\nClose\nDetails\nInvalid URL";
//! assert_eq!(read_region(dialog.name, text).as_deref(), Some("Error details\nError code\n2108\nDetails\nInvalid URL"));
//! assert!(read_region("no-such-rule", text).is_none());
//! ```
//!
//! The content script knows nothing about these pages: it asks for [`rules`], collects the text
//! of the regions they find, and renders whatever cards come back. Regions are found by what
//! they *mean* (ARIA roles and live regions, invalid fields and their messages, class names that
//! say error, toast or banner, table columns headed Error, the text signatures of ADF errors),
//! so pages nobody here has seen still get cards; class names of known pages only add. Nothing
//! is gated on words: every region goes to the engine, and only a confident match makes a card
//! (a region found by its text alone needs `high`). Each rule lists the fixture pages (under
//! `tests/fixtures/`) that show the markup it was written for; the end-to-end tests load them at
//! their real addresses.

use crate::card::Card;
use crate::diagnosis::{explain, Confidence, Diagnosis};
use crate::fields::Object;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the content script finds a rule's regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Find {
    /// The elements the selector selects.
    Select,
    /// The messages that the selected fields name in `aria-describedby`.
    Described,
    /// The cells of the column whose header (selected) starts with one of `words`.
    Column,
    /// Text nodes holding one of `words` (case-sensitive), each read as the closest ancestor
    /// the selector selects.
    Text,
}

/// Where the card goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    /// At the end of the element (dialogs, panes, toasts).
    Append,
    /// Right after the element (banners, code blocks), so the page's own controls stay free.
    After,
    /// A compact one-line badge (title and confidence) at the end of the element, which opens
    /// the full card: for the rows of a list, where full cards would bury the list.
    Badge,
}

/// One kind of place where an error shows up.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub name: &'static str,
    /// Hosts (or host suffixes after `.`) the rule runs on; empty: every supported host.
    pub hosts: &'static [&'static str],
    pub find: Find,
    /// Rules of one tier compete by position, the outermost element winning (a message bar
    /// over the status line inside it); an earlier tier wins over a later one wherever they
    /// nest (a dialog over the error banner inside it, a notification over the pane around it).
    pub tier: u8,
    /// CSS selector (a plain list: no commas inside it but between its parts).
    pub selector: &'static str,
    /// Header words (`column`) or text signatures (`text`).
    pub words: &'static [&'static str],
    /// Attributes in which the page keeps its own full copy of a clipped text (`aria-label`,
    /// `title`): on the element or within it, preferred over the visible text when they hold one.
    pub full_text: &'static [&'static str],
    /// Longer elements are layout containers, not error regions.
    pub max_chars: usize,
    /// The least confidence for a card from this rule, whatever the user's setting allows.
    pub min_confidence: Confidence,
    pub placement: Placement,
    /// Small surfaces (toasts, notifications) start with the card collapsed to one line.
    pub collapsed: bool,
    /// Fixture pages showing the markup this rule reads.
    pub examples: &'static [&'static str],
}

const STUDIO_HOSTS: &[&str] = &[
    "adf.azure.com",
    "ms-adf.azure.com",
    "adf.azure.us",
    "adf.azure.cn",
    "web.azuresynapse.net",
    "ms.web.azuresynapse.net",
    "web.azuresynapse.usgovcloudapi.net",
    "web.azuresynapse.azure.cn",
    // Microsoft Fabric, whose Data Factory runs the same pipelines and prints the same errors.
    "app.fabric.microsoft.com",
];
const PORTAL_HOSTS: &[&str] = &[
    "portal.azure.com",
    ".portal.azure.com",
    "portal.azure.us",
    "portal.azure.cn",
    ".reactblade.portal.azure.net",
    ".reactblade-ms.portal.azure.net",
    ".reactblade-rc.portal.azure.net",
    ".hosting.portal.azure.net",
    ".reactblade.portal.azure.us",
    ".hosting.portal.azure.us",
    ".reactblade.portal.azure.cn",
    ".hosting.portal.azure.cn",
];

/// Longest region text read; an error pane's relevant text is far shorter.
pub const MAX_REGION_CHARS: usize = 64 * 1024;
/// Longest text of a small surface (toast, banner, live region, table cell).
const SMALL: usize = 8 * 1024;

const DEFAULT: Rule = Rule {
    name: "",
    hosts: &[],
    find: Find::Select,
    tier: 0,
    selector: "",
    words: &[],
    full_text: &[],
    max_chars: SMALL,
    min_confidence: Confidence::Low,
    placement: Placement::After,
    collapsed: false,
    examples: &[],
};

/// In priority order (see [`Rule::tier`]): an element inside a region found before, or holding
/// one, is not a region. Site rules come first, then meaning and class names, then text.
static RULES: &[Rule] = &[
    // Portal toasts (`li.fxs-toast-item`, role=alert).
    Rule {
        name: "portal-notification",
        hosts: PORTAL_HOSTS,
        selector: ".fxs-toast-item, .fxs-toast",
        placement: Placement::Append,
        collapsed: true,
        examples: &["portal-notification.html"],
        ..DEFAULT
    },
    // Items of the notifications pane: each item is itself a control (it opens the operation),
    // so the card goes after it, where clicking the card does not click the item.
    Rule {
        name: "portal-notification-pane",
        hosts: PORTAL_HOSTS,
        selector: ".fxs-notificationmenu-notification, .fxs-notificationspane-notification",
        collapsed: true,
        examples: &["portal-notifications-pane.html"],
        ..DEFAULT
    },
    // Portal blade info boxes (role=status, the full message in aria-label) and error banners,
    // also inside the blades' iframes.
    Rule {
        name: "portal-info-box",
        hosts: PORTAL_HOSTS,
        selector: ".fxc-infoBox-container, .msportalfx-infobox-error, .fxs-blade-statusbar-error, .fxs-error-content",
        full_text: &["aria-label"],
        examples: &["portal-notification.html", "portal-iframe.html", "portal-info-box.html"],
        ..DEFAULT
    },
    // Dialogs and panes: the studios' "Error details" dialog (Error code / Failure type / Details).
    Rule {
        name: "error-dialog",
        tier: 1,
        selector: "[role=dialog], [role=alertdialog], dialog",
        max_chars: MAX_REGION_CHARS,
        placement: Placement::Append,
        examples: &["adf-monitoring.html", "synapse-monitoring.html", "strict-csp.html"],
        ..DEFAULT
    },
    // Code viewers: the activity Output / Error JSON (a pre block, or the Monaco editor as a
    // whole, so that the card goes after the editor, not into its clipped line layer).
    Rule {
        name: "code-viewer",
        tier: 2,
        selector: "pre, [data-testid=activity-output], .monaco-editor",
        max_chars: MAX_REGION_CHARS,
        examples: &["adf-activity-output.html", "monaco-output.html"],
        ..DEFAULT
    },
    // Form fields marked invalid, read through the messages they name.
    Rule {
        name: "invalid-field",
        tier: 3,
        find: Find::Described,
        selector: "[aria-invalid=true]",
        examples: &["fluent-message-bar.html"],
        ..DEFAULT
    },
    // Lists of runs: the cells of the Error column, one badge per failed row.
    Rule {
        name: "error-column",
        tier: 4,
        find: Find::Column,
        selector: "th, [role=columnheader]",
        words: &["error", "failure", "message"],
        full_text: &["title", "aria-label"],
        placement: Placement::Badge,
        examples: &["runs-list.html", "adf-monitoring.html"],
        ..DEFAULT
    },
    // Live regions: alerts, status lines, logs, tooltips.
    Rule {
        name: "live-region",
        tier: 5,
        selector: "[role=alert], [role=status], [role=log], [role=tooltip], [aria-live=assertive], [aria-live=polite]",
        full_text: &["aria-label"],
        collapsed: true,
        examples: &["synapse-notification.html", "material-snack-bar.html", "synapse-monitoring.html"],
        ..DEFAULT
    },
    // Toasts, snack bars and notifications by their class names (any framework's).
    Rule {
        name: "toast-class",
        tier: 5,
        selector: "[class*=toast i], [class*=snack i], [class*=notification i]",
        collapsed: true,
        examples: &["material-snack-bar.html", "synapse-notification.html"],
        ..DEFAULT
    },
    // Banners, message bars, call-outs, info boxes and anything whose class says error or fail.
    Rule {
        name: "banner-class",
        tier: 5,
        selector: "[class*=error i], [class*=fail i], [class*=messagebar i], [class*=banner i], [class*=callout i], [class*=infobox i]",
        full_text: &["aria-label"],
        examples: &[
            "fluent-message-bar.html",
            "shadow-root.html",
            "same-origin-iframe.html",
            "fabric-pipeline.html",
        ],
        ..DEFAULT
    },
    // The text signatures of ADF errors anywhere else: only a `high` match makes a card.
    Rule {
        name: "error-text",
        tier: 6,
        find: Find::Text,
        selector: "dl, pre, p, li, td, dd, section, article, div",
        words: &[
            "ErrorCode=",
            "\"errorCode\"",
            "Error code",
            "Operation on target",
            "Failure happened on",
            "{\"error\":{\"code\"",
        ],
        min_confidence: Confidence::High,
        examples: &["dl-dialog.html"],
        ..DEFAULT
    },
];

/// Every surface rule, in priority order.
pub fn rules() -> &'static [Rule] {
    RULES
}

fn host_in(hosts: &[&str], host: &str) -> bool {
    // A listed `.suffix` keeps its dot, so `host.ends_with` matches whole labels only.
    hosts.iter().any(|h| {
        if h.starts_with('.') {
            host.ends_with(h)
        } else {
            host == *h
        }
    })
}

/// The rules that apply to a page host.
pub fn rules_for_host(host: &str) -> Vec<&'static Rule> {
    if !host_in(STUDIO_HOSTS, host) && !host_in(PORTAL_HOSTS, host) {
        return Vec::new();
    }
    RULES
        .iter()
        .filter(|r| r.hosts.is_empty() || host_in(r.hosts, host))
        .collect()
}

/// Turns a region's text into the text to diagnose, or `None` for a rule that does not exist.
pub fn read_region(rule: &str, text: &str) -> Option<String> {
    RULES.iter().find(|r| r.name == rule)?;
    let text: String = text.chars().take(MAX_REGION_CHARS).collect();
    Some(strip_controls(&text))
}

/// A region of a page as the content script saw it.
#[derive(Debug, Clone)]
pub struct Region {
    /// The content script's handle for the element.
    pub id: u32,
    pub rule: String,
    pub text: String,
}

impl Region {
    /// Regions from their JSON list `[{id, rule, text}]`.
    pub fn list_from_json(value: &serde_json::Value) -> Result<Vec<Region>, String> {
        let serde_json::Value::Array(list) = value else {
            return Err(crate::fields::invalid_type(value, "a sequence"));
        };
        list.iter()
            .map(|value| {
                let object = Object::new(value, "struct Region")?;
                Ok(Region {
                    id: object.required(object.number("id")?, "id")?,
                    rule: object.required(object.string("rule")?, "rule")?,
                    text: object.required(object.string("text")?, "text")?,
                })
            })
            .collect()
    }
}

/// The card for one region.
#[derive(Debug, Clone, Serialize)]
pub struct RegionCard {
    pub id: u32,
    pub card: Card,
}

/// Diagnoses page regions; a region gets a card when its best match reaches `min` and its
/// rule's own minimum. Regions with the same text (the failed rows of a list) are diagnosed once.
pub fn cards_for_regions(regions: &[Region], min: Confidence) -> Vec<RegionCard> {
    cards_for_regions_with(regions, min, &explain, &Card::from_diagnosis)
}

/// The same against a knowledge base of one's own: `explain` diagnoses, `card` builds the card.
pub fn cards_for_regions_with(
    regions: &[Region],
    min: Confidence,
    explain: &dyn Fn(&str) -> Diagnosis,
    card: &dyn Fn(&Diagnosis, &str) -> Option<Card>,
) -> Vec<RegionCard> {
    let mut seen: BTreeMap<(String, Confidence), Option<Card>> = BTreeMap::new();
    regions
        .iter()
        .filter_map(|region| {
            let rule = RULES.iter().find(|r| r.name == region.rule)?;
            let text = read_region(rule.name, &region.text)?;
            let min = min.max(rule.min_confidence);
            let card = seen
                .entry((text, min))
                .or_insert_with_key(|(text, min)| {
                    let diagnosis = explain(text);
                    if diagnosis.matches.first()?.confidence < *min {
                        return None;
                    }
                    card(&diagnosis, text)
                })
                .clone()?;
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

    fn region(id: u32, rule: &str, text: &str) -> Region {
        Region {
            id,
            rule: rule.into(),
            text: text.into(),
        }
    }

    #[test]
    fn rules_are_scoped_to_their_hosts() {
        // (host, a rule that runs there, a rule that does not)
        let table: &[(&str, &[&str], &[&str])] = &[
            (
                "adf.azure.com",
                &["error-dialog", "error-column", "error-text"],
                &["portal-notification"],
            ),
            (
                "ms-adf.azure.com",
                &["live-region", "banner-class"],
                &["portal-info-box"],
            ),
            (
                "web.azuresynapse.net",
                &["code-viewer", "toast-class"],
                &["portal-info-box"],
            ),
            ("ms.web.azuresynapse.net", &["live-region"], &[]),
            (
                "app.fabric.microsoft.com",
                &["banner-class", "error-dialog"],
                &["portal-info-box"],
            ),
            (
                "portal.azure.com",
                &["portal-notification", "error-dialog"],
                &[],
            ),
            ("ms.portal.azure.com", &["portal-info-box"], &[]),
            (
                "datafactory.reactblade.portal.azure.net",
                &["portal-info-box", "live-region"],
                &[],
            ),
            (
                "sandbox-1.reactblade-ms.portal.azure.net",
                &["portal-info-box"],
                &[],
            ),
            (
                "sandbox-1.reactblade-rc.portal.azure.net",
                &["portal-notification"],
                &[],
            ),
        ];
        for (host, runs, not) in table {
            let names: Vec<_> = rules_for_host(host).iter().map(|r| r.name).collect();
            for rule in *runs {
                assert!(
                    names.contains(rule),
                    "{rule} should run on {host}: {names:?}"
                );
            }
            for rule in *not {
                assert!(!names.contains(rule), "{rule} should not run on {host}");
            }
        }
        for host in [
            "evil-portal.azure.com.example",
            "example.com",
            "adf.azure.com.evil.net",
            "reactblade-ms.portal.azure.net.x",
        ] {
            assert!(rules_for_host(host).is_empty(), "{host}");
        }
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
    fn rules_that_need_words_have_them_and_names_are_unique() {
        let mut names: Vec<_> = rules().iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), rules().len());
        for rule in rules() {
            let needs_words = matches!(rule.find, Find::Column | Find::Text);
            assert_eq!(needs_words, !rule.words.is_empty(), "{}", rule.name);
        }
        // Tiers run in order: the content script takes the rules as they come.
        assert!(rules().windows(2).all(|w| w[0].tier <= w[1].tier));
        // A region found only by its text needs the engine to be sure.
        for rule in rules().iter().filter(|r| r.find == Find::Text) {
            assert_eq!(rule.min_confidence, Confidence::High, "{}", rule.name);
        }
    }

    #[test]
    fn class_tokens_and_roles_are_matched_by_meaning() {
        let all: String = rules()
            .iter()
            .map(|r| r.selector)
            .collect::<Vec<_>>()
            .join(",");
        for token in [
            "error",
            "fail",
            "toast",
            "snack",
            "notification",
            "messagebar",
            "banner",
            "callout",
            "infobox",
        ] {
            assert!(
                all.contains(&format!("[class*={token} i]")),
                "class token {token}"
            );
        }
        for role in ["alert", "alertdialog", "status", "dialog", "log", "tooltip"] {
            assert!(all.contains(&format!("[role={role}]")), "role {role}");
        }
        assert!(all.contains("[aria-live=polite]") && all.contains("[aria-invalid=true]"));
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
    fn cards_only_for_confident_regions() {
        const PRIVATE_LINK: &str =
            "the error code is: InvalidGatewayKey, Client IP address isn't valid private ip";
        const SQL: &str = "Operation on target Copy orders failed: ErrorCode=SqlFailedToConnect,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Cannot connect to SQL Database. Please contact SQL server team for further support.,Source=Microsoft.DataTransfer.ClientLibrary,'";
        // (rule, text, minimum, card expected)
        let table: &[(&str, &str, Confidence, Option<&str>)] = &[
            ("error-dialog", &format!("Error code\nInvalidGatewayKey\nDetails\n{PRIVATE_LINK}"), Confidence::Medium, Some("shir-register-key-private-link")),
            ("error-dialog", "Error code\n9999\nFailure type\nSystem error\nDetails\nSomething odd failed", Confidence::Medium, None),
            ("portal-notification", "Deployment succeeded", Confidence::Low, None),
            // No error words at all: the engine decides.
            ("live-region", "Cannot connect to the data factory. Please check whether the factory has enabled public network access or the machine is hosted in a approved private endpoint Virtual Network.", Confidence::Medium, Some("shir-auth-key-invalid-after-public-access-disabled")),
            ("banner-class", SQL, Confidence::Medium, Some("sql-failed-to-connect")),
            // The same text found only by its signature needs `high`, whatever the setting.
            ("error-text", SQL, Confidence::Low, None),
            ("error-text", &format!("Error code 2200 {PRIVATE_LINK}"), Confidence::Low, Some("shir-register-key-private-link")),
            ("no-such-rule", PRIVATE_LINK, Confidence::Low, None),
        ];
        for (rule, text, min, expected) in table {
            let cards = cards_for_regions(&[region(7, rule, text)], *min);
            let got = cards.first().map(|c| c.card.id.as_str());
            assert_eq!(got, *expected, "{rule}: {text}");
        }
    }

    #[test]
    fn identical_rows_each_get_the_card_of_one_diagnosis() {
        let text = "Operation on target Copy failed: Failure happened on 'Sink' side. ErrorCode=AzureBlobFailedToCreateContainer,'Message=Unable to create Azure Blob container.'";
        let regions: Vec<_> = (0..200).map(|i| region(i, "error-column", text)).collect();
        let cards = cards_for_regions(&regions, Confidence::Medium);
        assert_eq!(cards.len(), 200);
        assert!(cards.iter().all(|c| c.card.id == cards[0].card.id));
    }

    #[test]
    fn reads_regions_without_their_button_captions() {
        let toast = read_region(
            "portal-notification",
            "Failed to delete data factory\nClose\nInternalError",
        );
        assert_eq!(
            toast.as_deref(),
            Some("Failed to delete data factory\nInternalError")
        );
        assert_eq!(
            read_region("live-region", "Deployment succeeded").as_deref(),
            Some("Deployment succeeded")
        );
        assert!(read_region("no-such-rule", "error").is_none());
    }
}
