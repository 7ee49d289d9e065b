//! `docs/coverage.md`: per Learn article, its troubleshooting entries (as counted in the saved
//! sources' INDEX.md) against the knowledge base. Regenerate with
//! `UPDATE_COVERAGE=1 cargo test -p adf-troubleshooter --test coverage`; the test fails when
//! the committed table is stale.

use adf_troubleshooter::knowledge::articles::{article_name, headings, Heading};
use adf_troubleshooter::knowledge::entries;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Headings of the articles that are neither cited by an entry nor part of a cited section nor
/// a group of cited sections, and why they have no entry of their own.
const LEFT_OUT: &[(&str, &str, &str)] = &[
    ("ci-cd-github-troubleshoot-guide", "arm-template-deployment-failing-with-error-datafactorypropertyupdatenotsupported",
     "the same problem as \"Updating property type isn't supported\", whose entry holds its error code"),
    ("ci-cd-github-troubleshoot-guide", "cause-3", "a stray Cause heading; its text belongs to the section before it"),
    ("connector-troubleshoot-guide", "connector-specific-problems", "a list of links to the connector articles, each covered"),
    ("copy-activity-performance-troubleshooting", "performance-tuning-tips", "reference on reading the copy monitoring view; no error to recognise"),
    ("copy-activity-performance-troubleshooting", "understand-copy-activity-execution-details", "reference on reading the copy monitoring view; no error to recognise"),
    ("data-factory-troubleshoot-guide", "connector-and-copy-activity", "a pointer to the connector articles, each covered"),
    ("data-factory-troubleshoot-guide", "payload-is-too-large", "the same problem as Error Code 2002, whose entry holds its message"),
    ("known-issues-troubleshoot-guide", "active-known-issues", "a heading over the known-issue entries, each covered"),
    ("self-hosted-integration-runtime-troubleshoot-guide", "gather-self-hosted-ir-logs", "how to collect logs for support; the entries' steps point to it"),
    ("self-hosted-integration-runtime-troubleshoot-guide", "analyze-the-netmon-trace", "how to read a network trace; the connectivity entries' steps point to it"),
    ("ssis-integration-runtime-ssis-activity-faq", "general", "where SSIS logs are; the SSIS entries' steps point to it"),
];

/// Headings that are never troubleshooting sections.
fn is_navigation(heading: &Heading) -> bool {
    let text = heading.text.to_ascii_lowercase();
    [
        "next steps",
        "related content",
        "overview",
        "other references",
    ]
    .contains(&text.as_str())
}

/// The headings of `article` with no entry of their own: not cited, not inside a cited section
/// (its Symptoms, Cause... subheadings), not a group whose subsections are cited; a left-out
/// section's own subheadings are not listed again.
fn uncited(article: &str, cited: &HashSet<&str>) -> Vec<Heading> {
    let all = headings(article);
    let is_cited = |h: &Heading| {
        cited.contains(h.anchor.as_str()) || h.explicit.iter().any(|a| cited.contains(a.as_str()))
    };
    let mut out = Vec::new();
    for (i, heading) in all.iter().enumerate() {
        if is_cited(heading) || is_navigation(heading) {
            continue;
        }
        let group_of_cited = all[i + 1..]
            .iter()
            .take_while(|h| h.level > heading.level)
            .any(is_cited);
        // Inside a cited section, or inside one already left out (listed once, at its top).
        let mut level = heading.level;
        let inside = all[..i].iter().rev().any(|h| {
            let ancestor = h.level < level;
            if ancestor {
                level = h.level;
            }
            ancestor && (is_cited(h) || out.contains(h))
        });
        if !group_of_cited && !inside {
            out.push(heading.clone());
        }
    }
    out
}

/// The "left out" section of docs/coverage.md; fails on an uncited heading without a reason,
/// and on a reason for a heading that is cited now or does not exist.
fn left_out(sources: &Path) -> String {
    let mut cited: BTreeMap<&str, HashSet<&str>> = BTreeMap::new();
    let mut pages: BTreeMap<&str, &str> = BTreeMap::new();
    for entry in entries() {
        if let Some((page, anchor)) = entry.source.split_once('#') {
            let article = article_name(&entry.source);
            cited.entry(article).or_default().insert(anchor);
            pages.insert(article, page);
        }
    }
    let mut out = String::from(
        "\n## Sections without an entry of their own\n\nEvery other heading of the articles is an entry's \
         section, part of one (its Symptoms, Cause... headings), a group of them, or navigation \
         (Next steps, Related content). `crate/tests/coverage.rs` fails on a heading that is none \
         of these and not listed here with its reason.\n\n| Article | Section | Why |\n|---|---|---|\n",
    );
    let mut unexplained = Vec::new();
    let mut reasons: BTreeMap<(&str, &str), &str> = LEFT_OUT
        .iter()
        .map(|(a, s, why)| ((*a, *s), *why))
        .collect();
    for (article, anchors) in &cited {
        let Ok(text) = std::fs::read_to_string(sources.join(format!("{article}.md"))) else {
            continue;
        };
        for heading in uncited(&text, anchors) {
            let key = reasons
                .keys()
                .find(|(a, s)| a == article && *s == heading.anchor)
                .copied();
            match key.and_then(|key| reasons.remove(&key)) {
                Some(why) => out.push_str(&format!(
                    "| {article} | [{}]({}#{}) | {why} |\n",
                    heading.text.replace('|', "\\|"),
                    pages[article],
                    heading.anchor
                )),
                None => {
                    unexplained.push(format!("{article}#{} ({})", heading.anchor, heading.text))
                }
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "headings with no entry and no reason in LEFT_OUT: write their entries or say why not:\n{}",
        unexplained.join("\n")
    );
    assert!(
        reasons.is_empty(),
        "LEFT_OUT names headings that are cited now or do not exist: {:?}",
        reasons.keys().collect::<Vec<_>>()
    );
    out
}

fn index_counts(index: &str) -> BTreeMap<String, usize> {
    index
        .lines()
        .filter(|line| line.starts_with("| ") && line.contains(".md |"))
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let article = cells.get(1)?.strip_suffix(".md")?.to_string();
            let count = cells.get(7)?.parse().ok()?;
            Some((article, count))
        })
        .collect()
}

fn render(counts: &BTreeMap<String, usize>) -> String {
    let mut per_article: BTreeMap<&str, (usize, BTreeSet<&str>)> = BTreeMap::new();
    for entry in entries() {
        let (page, anchor) = entry.source.split_once('#').unwrap_or((&entry.source, ""));
        let article = page.rsplit('/').next().unwrap_or(page);
        let slot = per_article.entry(article).or_default();
        slot.0 += 1;
        slot.1.insert(anchor);
    }
    let mut out = String::from(
        "# Knowledge coverage\n\nGenerated by `UPDATE_COVERAGE=1 cargo test -p adf-troubleshooter --test coverage` \
         from the saved Learn articles' index. *In the article*: troubleshooting entries the index counts; \
         *sections cited*: distinct Learn sections the knowledge base links to; *entries*: knowledge files \
         (a section with two distinct problems may have two).\n\n\
         | Article | In the article | Sections cited | Entries |\n|---|---:|---:|---:|\n",
    );
    let (mut total_article, mut total_sections, mut total_entries) = (0, 0, 0);
    for (article, &count) in counts {
        let (entries, sections) = per_article
            .get(article.as_str())
            .map_or((0, 0), |(n, anchors)| (*n, anchors.len()));
        out.push_str(&format!(
            "| {article} | {count} | {sections} | {entries} |\n"
        ));
        total_article += count;
        total_sections += sections;
        total_entries += entries;
    }
    out.push_str(&format!(
        "| **All articles** | **{total_article}** | **{total_sections}** | **{total_entries}** |\n"
    ));
    out
}

#[test]
fn coverage_table_is_current() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let Ok(index) = std::fs::read_to_string(manifest.join("../../shared/sources/INDEX.md")) else {
        eprintln!("skipped: ../shared/sources is not here, coverage table not checked");
        return;
    };
    let sources = manifest.join("../../shared/sources/azure-docs");
    let table = render(&index_counts(&index)) + &left_out(&sources);
    let path = manifest.join("../docs/coverage.md");
    if std::env::var_os("UPDATE_COVERAGE").is_some() {
        std::fs::write(&path, &table).expect("docs/coverage.md is writable");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == table,
        "docs/coverage.md is stale: run UPDATE_COVERAGE=1 cargo test -p adf-troubleshooter --test coverage"
    );
}
