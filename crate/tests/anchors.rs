//! Every entry's `source` anchor exists in the saved Learn article (where the articles are here).

use adf_troubleshooter::knowledge::entries;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Builds the anchors Learn gives an article's headings: lowercase, spaces to `-`, punctuation
/// other than `-` and `_` dropped, repeated headings suffixed `-1`, `-2`; plus explicit
/// `<a name="...">` anchors.
fn learn_anchors(article: &str) -> HashSet<String> {
    let mut anchors = HashSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_code = false;
    for line in article.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        for part in trimmed.split("<a name=\"").skip(1) {
            if let Some(name) = part.split('"').next() {
                anchors.insert(name.to_string());
            }
        }
        let level = trimmed.bytes().take_while(|&b| b == b'#').count();
        if level < 2 || !trimmed[level..].starts_with(' ') {
            continue;
        }
        let heading = trimmed[level..].trim();
        let base: String = heading
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let count = seen.entry(base.clone()).or_insert(0);
        let anchor = if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        };
        *count += 1;
        anchors.insert(anchor);
    }
    anchors
}

fn sources_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/sources/azure-docs");
    dir.is_dir().then_some(dir)
}

#[test]
fn every_source_anchor_is_a_heading_of_its_article() {
    let Some(dir) = sources_dir() else {
        eprintln!("skipped: ../shared/sources is not here, anchors not checked");
        return;
    };
    let mut problems = Vec::new();
    for entry in entries() {
        let (page, anchor) = entry.source.split_once('#').expect("validated by build.rs");
        let article = page.rsplit('/').next().unwrap();
        let path = dir.join(format!("{article}.md"));
        let Ok(text) = std::fs::read_to_string(&path) else {
            problems.push(format!("{}: no saved article `{article}.md`", entry.id));
            continue;
        };
        if !learn_anchors(&text).contains(anchor) {
            problems.push(format!(
                "{}: `#{anchor}` is not a heading of {article}",
                entry.id
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!(
        "checked {} source anchors against {}",
        entries().len(),
        dir.display()
    );
}

#[test]
fn anchors_follow_learn_rules() {
    let article = "## Error code: AzureBlobOperationFailed\n### Sharing a self-hosted IR isn't supported \n## Symptoms\n## Symptoms\n```\n## not a heading\n```\n<a name=\"custom-one\"></a>\n";
    let anchors = learn_anchors(article);
    for expected in [
        "error-code-azurebloboperationfailed".to_string(),
        "sharing-a-self-hosted-ir-isnt-supported".into(),
        "symptoms".into(),
        "symptoms-1".into(),
        "custom-one".into(),
    ] {
        assert!(anchors.contains(&expected), "{expected} in {anchors:?}");
    }
    assert!(!anchors.contains("not-a-heading"));
}
