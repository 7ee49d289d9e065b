//! Every entry's body is written in the project's own words: its prose shares no run of
//! [`RUN`] consecutive words with the prose of the Learn article it comes from (where the saved
//! articles are here).
//!
//! Both sides are lowercased and stripped of punctuation. Left out of the comparison on both
//! sides: fenced code blocks, inline `code`, `*emphasis*` (UI names such as a setting's label may
//! stay verbatim when emphasised or backticked), and the entry's own verbatim `messages` and
//! `codes`. A left-out span breaks a run: the words on either side of it are not joined.

use adf_troubleshooter::knowledge::inline::spans;
use adf_troubleshooter::knowledge::{entries, Block, Entry};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// The shortest shared run of words that counts as copied wording.
const RUN: usize = 10;

/// A word sequence; `None` marks a break that no run may cross.
type Words = Vec<Option<String>>;

fn sources_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/sources/azure-docs");
    dir.is_dir().then_some(dir)
}

/// Lowercased words with punctuation stripped; a token that is all punctuation disappears.
fn push_words(text: &str, out: &mut Words) {
    for token in text.split_whitespace() {
        let word: String = token
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        if !word.is_empty() {
            out.push(Some(word));
        }
    }
}

/// The words of one line of Markdown text, with code and emphasis spans left out as breaks.
fn push_prose(line: &str, out: &mut Words) {
    for span in spans(line) {
        match span.style {
            "code" | "emphasis" => out.push(None),
            _ => push_words(&span.text, out),
        }
    }
}

/// An article's prose: front matter, fenced code, HTML comments and tags, link targets,
/// images and `:::` directives removed.
fn article_words(article: &str) -> Words {
    let mut words = Words::new();
    let mut body = article;
    if let Some(rest) = article.strip_prefix("---") {
        if let Some(end) = rest.find("\n---") {
            body = &rest[end + 4..];
        }
    }
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    for line in body.lines() {
        let trimmed = line.trim_start().trim_start_matches('>').trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            words.push(None);
            continue;
        }
        if trimmed.starts_with(":::") {
            words.push(None);
            continue;
        }
        let mut text = String::new();
        let mut rest = line;
        loop {
            if in_comment {
                match rest.find("-->") {
                    Some(i) => {
                        rest = &rest[i + 3..];
                        in_comment = false;
                    }
                    None => break,
                }
            } else {
                match rest.find("<!--") {
                    Some(i) => {
                        text.push_str(&rest[..i]);
                        rest = &rest[i + 4..];
                        in_comment = true;
                    }
                    None => {
                        text.push_str(rest);
                        break;
                    }
                }
            }
        }
        push_prose(&strip_markup(&text), &mut words);
    }
    words
}

/// Drops HTML tags, images and link targets, keeping link text.
fn strip_markup(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // `<tag ...>` / `</tag>`: skip to the closing `>`.
        if c == '<'
            && chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/')
        {
            if let Some(end) = chars[i..].iter().position(|&x| x == '>') {
                out.push(' ');
                i += end + 1;
                continue;
            }
        }
        // `![alt](src)`: drop entirely.
        if c == '!' && chars.get(i + 1) == Some(&'[') {
            if let Some(close) = chars[i..].iter().position(|&x| x == ']') {
                let after = i + close + 1;
                if chars.get(after) == Some(&'(') {
                    if let Some(end) = chars[after..].iter().position(|&x| x == ')') {
                        out.push(' ');
                        i = after + end + 1;
                        continue;
                    }
                }
            }
        }
        // `](target)`: keep the link text, drop the target.
        if c == ']' && chars.get(i + 1) == Some(&'(') {
            if let Some(end) = chars[i + 1..].iter().position(|&x| x == ')') {
                out.push(' ');
                i = i + 1 + end + 1;
                continue;
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The entry's body prose: all three sections in order, code blocks left out.
fn entry_words(entry: &Entry) -> Words {
    let mut words = Words::new();
    for block in entry
        .symptoms
        .iter()
        .chain(&entry.cause)
        .chain(&entry.resolution)
    {
        match block {
            Block::Code(_) => {}
            other => push_prose(other.text(), &mut words),
        }
        words.push(None);
    }
    words
}

/// The word sequences of the entry's verbatim strings: each fixed part of a message (`*` is a
/// variable part) and each code.
fn verbatim_sequences(entry: &Entry) -> Vec<Vec<String>> {
    let mut sequences = Vec::new();
    for message in &entry.messages {
        for part in message.split('*') {
            let mut words = Words::new();
            push_words(part, &mut words);
            let seq: Vec<String> = words.into_iter().flatten().collect();
            if !seq.is_empty() {
                sequences.push(seq);
            }
        }
    }
    for code in &entry.codes {
        let mut words = Words::new();
        push_words(code, &mut words);
        let seq: Vec<String> = words.into_iter().flatten().collect();
        if !seq.is_empty() {
            sequences.push(seq);
        }
    }
    sequences
}

/// Replaces every occurrence of each sequence with breaks.
fn remove_sequences(words: &Words, sequences: &[Vec<String>]) -> Words {
    let mut out = words.clone();
    for seq in sequences {
        let n = seq.len();
        if n == 0 || n > words.len() {
            continue;
        }
        for start in 0..=words.len() - n {
            let hit = (0..n).all(|k| words[start + k].as_deref() == Some(seq[k].as_str()));
            if hit {
                for slot in &mut out[start..start + n] {
                    *slot = None;
                }
            }
        }
    }
    out
}

/// Every window of `RUN` words that crosses no break, with its start index.
fn shingles(words: &Words) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    if words.len() < RUN {
        return out;
    }
    for start in 0..=words.len() - RUN {
        let window = &words[start..start + RUN];
        if window.iter().all(Option::is_some) {
            let joined: Vec<&str> = window.iter().map(|w| w.as_deref().unwrap()).collect();
            out.push((start, joined.join(" ")));
        }
    }
    out
}

/// The maximal shared runs of the entry's words, as text.
fn shared_runs(entry_words: &Words, article_words: &Words) -> Vec<String> {
    let article: HashSet<String> = shingles(article_words)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (start, shingle) in shingles(entry_words) {
        if !article.contains(&shingle) {
            continue;
        }
        match runs.last_mut() {
            Some((_, end)) if start <= *end => *end = start + RUN,
            _ => runs.push((start, start + RUN)),
        }
    }
    runs.into_iter()
        .map(|(start, end)| {
            entry_words[start..end]
                .iter()
                .map(|w| w.as_deref().unwrap_or("|"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn entry_bodies_share_no_long_run_with_their_article() {
    let Some(dir) = sources_dir() else {
        eprintln!("skipped: ../shared/sources is not here, wording not checked");
        return;
    };
    let mut articles: BTreeMap<String, Option<Words>> = BTreeMap::new();
    let mut offenders = Vec::new();
    let mut missing = Vec::new();
    for entry in entries() {
        let page = entry.source.split('#').next().unwrap_or(&entry.source);
        let name = page
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let article = articles.entry(name.clone()).or_insert_with(|| {
            std::fs::read_to_string(dir.join(format!("{name}.md")))
                .ok()
                .map(|text| article_words(&text))
        });
        let Some(article) = article else {
            missing.push(format!("{}: no saved article `{name}.md`", entry.id));
            continue;
        };
        let verbatim = verbatim_sequences(entry);
        let mine = remove_sequences(&entry_words(entry), &verbatim);
        let theirs = remove_sequences(article, &verbatim);
        let runs = shared_runs(&mine, &theirs);
        if !runs.is_empty() {
            offenders.push(format!(
                "{} ({name}):\n{}",
                entry.id,
                runs.iter()
                    .map(|r| format!("    \"{r}\""))
                    .collect::<Vec<_>>()
                    .join("\n")
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(
        offenders.is_empty(),
        "{} entries share a run of {RUN}+ words with their article; reword them:\n{}",
        offenders.len(),
        offenders.join("\n")
    );
    println!(
        "checked the wording of {} entries against {}",
        entries().len(),
        dir.display()
    );
}

#[test]
fn runs_ignore_case_punctuation_code_and_verbatim_messages() {
    let article = article_words(
        "---\ntitle: x\n---\n# T\nThe Quick, brown fox [jumps](https://x) over the lazy dog and runs far away.\n```\nnot prose at all one two three four five six seven eight nine\n```\n",
    );
    let mut copied = Words::new();
    push_prose(
        "the quick brown fox jumps over the lazy dog and runs",
        &mut copied,
    );
    assert_eq!(
        shared_runs(&copied, &article),
        ["the quick brown fox jumps over the lazy dog and runs"]
    );
    let mut split = Words::new();
    push_prose(
        "the quick brown fox `jumps` over the lazy dog and runs",
        &mut split,
    );
    assert!(shared_runs(&split, &article).is_empty());
    let mut coded = Words::new();
    push_prose(
        "not prose at all one two three four five six seven eight",
        &mut coded,
    );
    assert!(shared_runs(&coded, &article).is_empty());
    let verbatim = vec![vec!["lazy".to_string(), "dog".to_string()]];
    assert!(shared_runs(
        &remove_sequences(&copied, &verbatim),
        &remove_sequences(&article, &verbatim)
    )
    .is_empty());
}
