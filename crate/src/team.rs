//! Team rules: a team's own knowledge entries, validated here and matched beside the bundled
//! knowledge through the same scoring.
//!
//! ```
//! use adf_troubleshooter::team::{validate, TeamKnowledge};
//! let rules = serde_json::json!([{
//!     "id": "contoso-gateway", "title": "Contoso gateway GW-17 refused the copy",
//!     "codes": ["ContosoGatewayRefused"], "cause": "The gateway's allow-list misses the runtime.",
//!     "steps": ["Ask the network team to add the runtime's IP."],
//!     "link": "https://wiki.contoso.com/adf/gw-17"
//! }]);
//! let (entries, problems) = validate(&rules, false);
//! assert!(problems.is_empty());
//! let team = TeamKnowledge::build(entries);
//! let d = team.explain("ErrorCode=ContosoGatewayRefused, the gateway said no");
//! assert_eq!(d.matches[0].id, "team:contoso-gateway");
//! ```
//!
//! A rule is the small shape the options page's form writes (JSON: `id`, `title`, `codes`,
//! `messages`, `keywords`, `symptoms`, `cause`, `steps`, `link`). [`markdown`] reads the
//! bundled entries' Markdown format into that shape without a YAML or CommonMark library, so
//! the extension's wasm stays small. Rules become ordinary [`Entry`] values with their own
//! [`Index`] and [`Related`]; the bundled and team rankings are merged by confidence and score.

pub mod markdown;

use crate::card::Card;
use crate::diagnosis::{explain, explain_with, Confidence, Diagnosis, Match};
use crate::fields::Object;
use crate::index::{placeholders_to_wildcards, Index};
use crate::knowledge::{self, Block, BlockKind, Context, Entry, Style, Styled};
use crate::scoring::MAX_MATCHES;
use crate::suggest::Related;
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

/// Team entries' ids start with this, so they never collide with a bundled entry's id.
pub const ID_PREFIX: &str = "team:";
/// The `guide` of entries from the user's own rules and from the administrator's policy.
pub const GUIDE_TEAM: &str = "team";
pub const GUIDE_MANAGED: &str = "managed";

/// Limits that keep one rule a readable card and a rule set within browser storage.
pub const MAX_RULES: usize = 200;
const MAX_ID: usize = 64;
const MAX_TITLE: usize = 200;
const MAX_LIST: usize = 40;
const MAX_VALUE: usize = 2000;
const MAX_TEXT: usize = 4000;
const MAX_STEPS: usize = 20;
const MAX_LINK: usize = 2000;
/// Fixed text a message template needs, as in the bundled entries (docs/knowledge-format.md).
const MIN_MESSAGE_CHARS: usize = 12;

/// The fields of a rule, in the order they are written.
const FIELDS: [&str; 9] = [
    "id", "title", "codes", "messages", "keywords", "symptoms", "cause", "steps", "link",
];

/// One team rule as the form, the JSON export and the policy write it.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct TeamRule {
    pub id: String,
    pub title: String,
    pub codes: Vec<String>,
    /// Message templates: `*` (or `{0}`, `<name>`) stands for a variable part.
    pub messages: Vec<String>,
    pub keywords: Vec<String>,
    pub symptoms: String,
    pub cause: String,
    pub steps: Vec<String>,
    /// The team's own page about the problem: `https` only.
    pub link: String,
}

impl TeamRule {
    /// A rule from JSON: unknown fields are refused; `codes`, `messages`, `keywords` and
    /// `symptoms` may be left out.
    pub fn from_json(value: &serde_json::Value) -> Result<TeamRule, String> {
        let object = Object::new(value, "struct TeamRule")?;
        object.deny_unknown(&FIELDS)?;
        let text = |name| object.required(object.string(name)?, name);
        let list = |name| Ok::<_, String>(object.strings(name)?.unwrap_or_default());
        Ok(TeamRule {
            id: text("id")?,
            title: text("title")?,
            codes: list("codes")?,
            messages: list("messages")?,
            keywords: list("keywords")?,
            symptoms: object.string("symptoms")?.unwrap_or_default(),
            cause: text("cause")?,
            steps: object.required(object.strings("steps")?, "steps")?,
            link: text("link")?,
        })
    }
}

/// Something wrong with a rule: which rule, which field, and (for Markdown files) which line.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Problem {
    /// The rule's position in what was given, from 0.
    pub rule: usize,
    /// The rule's id when it has one.
    pub id: String,
    /// The field, with an index for list fields: `messages[1]`; empty for the whole rule.
    pub field: String,
    /// The 1-based line in a Markdown file; absent for JSON and the form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: ")?,
            None => write!(f, "rule {}", self.rule + 1)?,
        }
        if self.line.is_none() {
            if !self.id.is_empty() {
                write!(f, " ({})", self.id)?;
            }
            if !self.field.is_empty() {
                write!(f, ", {}", self.field)?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// The rules of a JSON value: an array of rules, or an export `{"rules": [...]}`; `null` holds
/// none.
pub fn listed(value: &serde_json::Value) -> Result<&[serde_json::Value], Problem> {
    match (value, value.get("rules")) {
        (serde_json::Value::Array(list), _) | (_, Some(serde_json::Value::Array(list))) => Ok(list),
        (serde_json::Value::Null, _) => Ok(&[]),
        _ => Err(problem(
            0,
            "",
            "",
            "expected a list of rules or {\"rules\": [...]}",
        )),
    }
}

/// Validates rules given as JSON (see [`listed`]): the valid ones as entries, and every problem
/// of the others, each rule read on its own. `managed` marks the administrator's rules.
pub fn validate(value: &serde_json::Value, managed: bool) -> (Vec<Entry>, Vec<Problem>) {
    let (rules, mut problems) = read(value);
    let (entries, more) = validate_rules(&rules, managed);
    problems.extend(more);
    (entries, problems)
}

/// Reads rules given as JSON (see [`listed`]), each on its own: those that read (each with its
/// position), and a problem for each that does not. Not yet validated ([`validate_rules`]).
pub fn read(value: &serde_json::Value) -> (Vec<(usize, TeamRule)>, Vec<Problem>) {
    let list = match listed(value) {
        Ok(list) => list,
        Err(problem) => return (Vec::new(), vec![problem]),
    };
    let mut rules = Vec::new();
    let mut problems = Vec::new();
    for (at, value) in list.iter().enumerate() {
        match TeamRule::from_json(value) {
            Ok(rule) => rules.push((at, rule)),
            Err(message) => {
                let id = value.get("id").and_then(|v| v.as_str()).unwrap_or_default();
                problems.push(problem(at, id, field_of_error(&message), &message));
            }
        }
    }
    (rules, problems)
}

/// Validates parsed rules (each with its position); see [`validate`].
pub fn validate_rules(rules: &[(usize, TeamRule)], managed: bool) -> (Vec<Entry>, Vec<Problem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    for (at, rule) in rules {
        let mut found = check(*at, rule);
        if !rule.id.is_empty() && !ids.insert(rule.id.clone()) {
            found.push(problem(*at, &rule.id, "id", "another rule has this id"));
        }
        if *at >= MAX_RULES {
            found.push(problem(
                *at,
                &rule.id,
                "",
                &format!("at most {MAX_RULES} rules"),
            ));
        }
        if found.is_empty() {
            entries.push(to_entry(rule, managed));
        }
        problems.extend(found);
    }
    (entries, problems)
}

pub fn problem(rule: usize, id: &str, field: &str, message: &str) -> Problem {
    Problem {
        rule,
        id: id.to_string(),
        field: field.to_string(),
        line: None,
        message: message.to_string(),
    }
}

/// A missing or unknown field is named in backticks; that field is the spot to point at.
fn field_of_error(text: &str) -> &'static str {
    for field in FIELDS {
        if text.contains(&format!("`{field}`")) {
            return field;
        }
    }
    ""
}

/// Every problem of one rule.
fn check(at: usize, rule: &TeamRule) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut say =
        |field: String, message: String| out.push(problem(at, &rule.id, &field, &message));
    let id_ok = !rule.id.is_empty()
        && rule.id.len() <= MAX_ID
        && rule
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !id_ok {
        say(
            "id".into(),
            format!(
                "the id is lowercase letters, digits and `-` (1 to {MAX_ID}): `{}`",
                rule.id
            ),
        );
    }
    if rule.title.trim().is_empty() || rule.title.len() > MAX_TITLE {
        say(
            "title".into(),
            format!("a title is needed (at most {MAX_TITLE} characters)"),
        );
    }
    if rule.codes.is_empty() && rule.messages.is_empty() {
        say(
            "codes".into(),
            "the rule needs an error code or a message template to recognise the error".into(),
        );
    }
    for (field, list) in [
        ("codes", &rule.codes),
        ("messages", &rule.messages),
        ("keywords", &rule.keywords),
    ] {
        if list.len() > MAX_LIST {
            say(field.into(), format!("at most {MAX_LIST} values"));
        }
        let mut seen = BTreeSet::new();
        for (i, value) in list.iter().enumerate() {
            let spot = format!("{field}[{i}]");
            if value.trim().is_empty() {
                say(spot, "empty value".into());
            } else if value.len() > MAX_VALUE {
                say(spot, format!("longer than {MAX_VALUE} characters"));
            } else if !seen.insert(value.to_ascii_lowercase()) {
                say(spot, format!("`{value}` is listed twice"));
            } else if field == "codes" {
                if let Some(message) = code_problem(value) {
                    say(spot, message);
                }
            } else if field == "messages" {
                if let Some(message) = template_problem(value) {
                    say(spot, message);
                }
            }
        }
    }
    for (field, text) in [("symptoms", &rule.symptoms), ("cause", &rule.cause)] {
        if text.len() > MAX_TEXT {
            say(field.into(), format!("longer than {MAX_TEXT} characters"));
        }
    }
    if rule.cause.trim().is_empty() {
        say("cause".into(), "say what causes the error".into());
    }
    if rule.steps.iter().all(|s| s.trim().is_empty()) {
        say(
            "steps".into(),
            "at least one numbered step is needed".into(),
        );
    }
    if rule.steps.len() > MAX_STEPS {
        say("steps".into(), format!("at most {MAX_STEPS} steps"));
    }
    for (i, step) in rule.steps.iter().enumerate() {
        if step.len() > MAX_TEXT {
            say(
                format!("steps[{i}]"),
                format!("longer than {MAX_TEXT} characters"),
            );
        }
    }
    if let Some(message) = link_problem(&rule.link) {
        say("link".into(), message);
    }
    out
}

/// A code is looked up as written (`InvalidGatewayKey`, `2200`, `Msg 105208`): no wildcards,
/// quotes or line breaks, which belong in a message template.
fn code_problem(code: &str) -> Option<String> {
    let bad = code
        .chars()
        .find(|c| c.is_control() || matches!(c, '*' | '"' | '\'' | '{' | '}' | '<' | '>'));
    if let Some(c) = bad {
        return Some(format!(
            "`{code}` is not a code as errors print it (found '{}'): put text with variable parts in `messages`",
            c.escape_default()
        ));
    }
    if code.split_whitespace().count() > 3 || !code.chars().any(|c| c.is_ascii_alphanumeric()) {
        return Some(format!(
            "`{code}` is not a code: put sentences in `messages`"
        ));
    }
    None
}

/// A message template must keep enough fixed text to be found, and its placeholders closed.
fn template_problem(template: &str) -> Option<String> {
    for (open, close) in [('{', '}'), ('<', '>')] {
        let mut depth = 0i32;
        for c in template.chars() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth -= 1;
            }
            if depth < 0 {
                break;
            }
        }
        if depth != 0 {
            return Some(format!(
                "the template `{template}` has an unclosed `{open}`: placeholders are `{open}name{close}` or `*`"
            ));
        }
    }
    let wild = placeholders_to_wildcards(template);
    let fixed: usize = wild
        .split('*')
        .map(|part| part.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    if fixed < MIN_MESSAGE_CHARS {
        return Some(format!(
            "the template `{template}` has {fixed} letters or digits of fixed text: at least {MIN_MESSAGE_CHARS} are needed for it to be told apart"
        ));
    }
    None
}

/// Links open from a card: `https` to a named host, nothing that could run or mislead.
fn link_problem(link: &str) -> Option<String> {
    if link.trim().is_empty() {
        return Some("a link to your team's page (https) is needed".into());
    }
    if link.len() > MAX_LINK {
        return Some(format!("longer than {MAX_LINK} characters"));
    }
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!("`{link}` holds spaces or control characters"));
    }
    let Some(rest) = link.strip_prefix("https://") else {
        return Some(format!(
            "`{link}` is not an https link: only https pages are linked from a card"
        ));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Some(format!(
            "`{link}` carries a user name or password before the host"
        ));
    }
    let host = authority.split(':').next().unwrap_or_default();
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
    {
        return Some(format!("`{link}` has no valid host name"));
    }
    None
}

/// A valid rule as a knowledge entry.
pub fn to_entry(rule: &TeamRule, managed: bool) -> Entry {
    // The bundled knowledge's generic codes and messages: a team rule holding one gets it
    // flagged too, so `2200` alone never makes it `high`.
    let generics = knowledge::generic_values();
    let generic = rule
        .codes
        .iter()
        .chain(&rule.messages)
        .filter(|v| {
            generics
                .binary_search(&v.to_ascii_lowercase().as_str())
                .is_ok()
        })
        .cloned()
        .collect();
    let paragraphs = |text: &str| -> Vec<Block> {
        text.split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| styled(BlockKind::Text, p))
            .collect()
    };
    Entry {
        id: format!("{ID_PREFIX}{}", rule.id),
        guide: if managed { GUIDE_MANAGED } else { GUIDE_TEAM }.to_string(),
        title: rule.title.trim().to_string(),
        products: vec!["adf".into(), "synapse".into()],
        source: rule.link.clone(),
        codes: rule.codes.iter().map(|c| c.trim().to_string()).collect(),
        messages: rule.messages.iter().map(|m| m.trim().to_string()).collect(),
        keywords: rule.keywords.iter().map(|k| k.trim().to_string()).collect(),
        generic,
        context: Context::default(),
        symptoms: paragraphs(&rule.symptoms),
        cause: paragraphs(&rule.cause),
        resolution: rule
            .steps
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| styled(BlockKind::Step, s))
            .collect(),
    }
}

/// A block from text where `` `code` `` and `**strong**` are the only markup, as in entries.
fn styled(kind: BlockKind, source: &str) -> Block {
    let mut text = String::with_capacity(source.len());
    let mut spans = Vec::new();
    let mut rest = source;
    while !rest.is_empty() {
        let (mark, style) = if rest.starts_with('`') {
            ("`", Style::Code)
        } else if rest.starts_with("**") {
            ("**", Style::Strong)
        } else {
            let next = rest[1..].find(['`', '*']).map_or(rest.len(), |n| n + 1);
            text.push_str(&rest[..next]);
            rest = &rest[next..];
            continue;
        };
        match rest[mark.len()..].find(mark) {
            Some(len) if len > 0 => {
                let inner = &rest[mark.len()..mark.len() + len];
                let start = text.len() as u32;
                text.push_str(inner);
                spans.push(Styled {
                    style,
                    start,
                    end: text.len() as u32,
                });
                rest = &rest[2 * mark.len() + len..];
            }
            _ => {
                text.push_str(mark);
                rest = &rest[mark.len()..];
            }
        }
    }
    Block {
        kind,
        text,
        styled: spans,
    }
}

/// Team entries with their own index, matched beside the bundled knowledge.
pub struct TeamKnowledge {
    entries: &'static [Entry],
    /// `None` without rules: the extension starts with no rules, and an empty index would cost
    /// its first answer the builders' time.
    indexed: Option<(Index, Related)>,
}

impl TeamKnowledge {
    /// Indexes validated team entries. The index borrows them for the program's life, so each
    /// rule set built stays in memory: the extension builds one when the rules change.
    pub fn build(entries: Vec<Entry>) -> TeamKnowledge {
        let entries: &'static [Entry] = Box::leak(entries.into_boxed_slice());
        TeamKnowledge {
            entries,
            indexed: (!entries.is_empty())
                .then(|| (Index::build(entries), Related::build(entries))),
        }
    }

    pub fn entries(&self) -> &'static [Entry] {
        self.entries
    }

    /// An entry by id: a team entry or a bundled one.
    pub fn entry(&self, id: &str) -> Option<&'static Entry> {
        self.entries
            .iter()
            .find(|e| e.id == id)
            .or_else(|| knowledge::entry(id))
    }

    /// The bundled and the team diagnoses of `text`, merged: see [`merge`].
    pub fn explain(&self, text: &str) -> Diagnosis {
        let bundled = explain(text);
        match &self.indexed {
            Some((index, related)) => merge(bundled, explain_with(index, related, text)),
            None => bundled,
        }
    }

    /// The card of the best match of a merged diagnosis.
    pub fn card(&self, diagnosis: &Diagnosis, text: &str) -> Option<Card> {
        Card::from_diagnosis_with(diagnosis, text, &|id| self.entry(id))
    }
}

/// Merges a team diagnosis into the bundled one of the same text. Both were scored by the same
/// rules, so confidences compare directly. At the same confidence a team rule comes first,
/// whatever the scores: the team wrote it for its own environment, and a bundled entry usually
/// scores higher only because it lists more of Microsoft's messages. The bundled entry stays as
/// the next match. A team rule found only by shared words is dropped: over a handful of rules,
/// word similarity says nothing.
pub fn merge(mut bundled: Diagnosis, team: Diagnosis) -> Diagnosis {
    let team = team
        .matches
        .into_iter()
        .filter(|m| m.evidence.iter().any(|e| e.signal != "related"));
    bundled.matches.extend(team);
    let is_team = |m: &Match| m.id.starts_with(ID_PREFIX);
    crate::sort::by(&mut bundled.matches, |a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then_with(|| is_team(b).cmp(&is_team(a)))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.id.cmp(&b.id))
    });
    bundled.matches.truncate(MAX_MATCHES);
    // A team rule above a bundled entry is a decision, not a tie.
    bundled.ambiguous = match bundled.matches.as_slice() {
        [best, second, ..] => is_team(best) == is_team(second) && best.ties_with(second),
        _ => false,
    };
    bundled
}

/// Whether a match reaches a minimum confidence named as the options page names it.
pub fn confidence_named(name: &str) -> Confidence {
    match name {
        "low" => Confidence::Low,
        "high" => Confidence::High,
        _ => Confidence::Medium,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule() -> serde_json::Value {
        json!({
            "id": "contoso-sql-login",
            "title": "The ETL login was locked by the nightly rotation",
            "codes": ["SqlFailedToConnect"],
            "messages": ["Login failed for user 'svc-contoso-etl'"],
            "cause": "The password rotation job locks `svc-contoso-etl` for ten minutes.",
            "steps": ["Wait ten minutes and rerun.", "If it persists, page the **DBA on call**."],
            "link": "https://wiki.contoso.com/data/etl-login"
        })
    }

    #[test]
    fn a_valid_rule_becomes_a_team_entry_with_styles() {
        let (entries, problems) = validate(&json!([rule()]), false);
        assert_eq!(problems, []);
        let e = &entries[0];
        assert_eq!(
            (e.id.as_str(), e.guide.as_str()),
            ("team:contoso-sql-login", "team")
        );
        assert_eq!(
            e.cause[0].text,
            "The password rotation job locks svc-contoso-etl for ten minutes."
        );
        assert_eq!(e.cause[0].styled[0].style, Style::Code);
        assert_eq!(e.resolution.len(), 2);
        assert_eq!(e.resolution[1].styled[0].style, Style::Strong);
    }

    #[test]
    fn problems_point_at_the_field() {
        let mut bad = rule();
        bad["link"] = json!("http://wiki.contoso.com/x");
        bad["messages"] = json!(["Login * {user"]);
        bad["codes"] = json!(["Sql*Failed"]);
        let (entries, problems) = validate(&json!({"rules": [rule(), bad]}), false);
        assert!(entries.is_empty() || entries.len() == 1);
        let spots: Vec<_> = problems
            .iter()
            .map(|p| (p.rule, p.field.as_str()))
            .collect();
        assert!(spots.contains(&(1, "link")), "{problems:?}");
        assert!(spots.contains(&(1, "messages[0]")), "{problems:?}");
        assert!(spots.contains(&(1, "codes[0]")), "{problems:?}");
        assert!(spots.contains(&(1, "id")), "duplicate id: {problems:?}");
        let said = problems
            .iter()
            .find(|p| p.field == "link")
            .unwrap()
            .to_string();
        assert!(
            said.starts_with("rule 2 (contoso-sql-login), link: `http://"),
            "{said}"
        );
    }

    #[test]
    fn missing_fields_and_unsafe_links_are_named() {
        let (_, problems) = validate(
            &json!([{"id": "x", "title": "t", "steps": [], "link": "javascript:alert(1)"}]),
            false,
        );
        assert_eq!(problems[0].field, "cause", "{problems:?}");
        for link in [
            "javascript:alert(1)",
            "https://user:pw@evil.com/",
            "https:///x",
            "https://a b",
        ] {
            assert!(link_problem(link).is_some(), "{link}");
        }
        assert!(link_problem("https://wiki.contoso.com:8443/a?b#c").is_none());
        let short = template_problem("failed * for *").unwrap();
        assert!(short.contains("at least 12"), "{short}");
    }

    #[test]
    fn a_team_rule_beats_the_bundled_entry_on_its_own_text() {
        let text = "ErrorCode=SqlFailedToConnect,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Cannot connect to SQL Database: 'contoso.database.windows.net', Database: 'sales', User: 'svc-contoso-etl'. Check the linked service configuration is correct, and make sure the SQL Database firewall allows the integration runtime to access.,Source=Microsoft.DataTransfer.ClientLibrary,''Type=System.Data.SqlClient.SqlException,Message=Login failed for user 'svc-contoso-etl'.,Source=.Net SqlClient Data Provider,SqlErrorNumber=18456,Class=14,ErrorCode=-2146232060,State=1,'";
        let bundled = explain(text);
        assert!(!bundled.matches.is_empty());
        let (entries, _) = validate(&json!([rule()]), false);
        let team = TeamKnowledge::build(entries);
        let d = team.explain(text);
        assert_eq!(d.matches[0].id, "team:contoso-sql-login", "{:?}", d.matches);
        let card = team.card(&d, text).unwrap();
        assert!(card.team);
        assert_eq!(card.source, "https://wiki.contoso.com/data/etl-login");
        // Another error keeps its bundled answer.
        let other = "ErrorCode=InvalidGatewayKey, Client IP address isn't valid private ip";
        assert_eq!(
            team.explain(other).matches[0].id,
            explain(other).matches[0].id
        );
    }

    #[test]
    fn a_generic_code_alone_never_makes_a_team_rule_high() {
        let (entries, _) = validate(
            &json!([{"id": "wrapper", "title": "t", "codes": ["2200"], "cause": "c", "steps": ["s"], "link": "https://w.example/x"}]),
            false,
        );
        let team = TeamKnowledge::build(entries);
        let d = team.explain("Error code 2200 something else happened");
        assert!(d
            .matches
            .iter()
            .all(|m| !(m.id.starts_with(ID_PREFIX) && m.confidence == Confidence::High)));
    }
}
