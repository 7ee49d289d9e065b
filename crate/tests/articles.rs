//! Every entry's body is written in the project's own words, and its `source` anchor is a
//! section of the saved Learn article (where the saved articles are here): the checks of
//! `knowledge::articles`, over the whole knowledge base.
//!
//! Wording: the body shares no run of `RUN` consecutive words with the article's prose. Both
//! sides are lowercased and stripped of punctuation. Left out of the comparison on both sides:
//! fenced code blocks, inline `code`, *emphasis* (UI names may stay verbatim when emphasised or
//! backticked), and the entry's own verbatim `messages` and `codes`; a left-out span breaks a run.

use adf_troubleshooter::knowledge::articles::{find_sources, Articles};
use adf_troubleshooter::knowledge::entries;
use std::path::Path;

#[test]
fn entries_cite_a_section_of_their_article_in_their_own_words() {
    let Some(dir) = find_sources(Path::new(env!("CARGO_MANIFEST_DIR"))) else {
        eprintln!("skipped: ../shared/sources is not here, anchors and wording not checked");
        return;
    };
    let mut articles = Articles::new(dir);
    let problems: Vec<String> = entries()
        .iter()
        .flat_map(|entry| {
            articles
                .problems(entry)
                .into_iter()
                .map(move |p| format!("{}: {p}", entry.id))
        })
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!(
        "checked {} source anchors and the wording of every entry against {}",
        entries().len(),
        articles.dir().display()
    );
}
