//! The saved Learn articles an entry comes from: their section anchors, and the wording check
//! that keeps entry bodies in the project's own words.
//!
//! ```
//! use adf_troubleshooter::knowledge::articles::learn_anchors;
//! let anchors = learn_anchors("## Error code: UserErrorFailedToConnect\n### Symptoms\n### Symptoms\n");
//! assert!(anchors.contains("error-code-usererrorfailedtoconnect"));
//! assert!(anchors.contains("symptoms-1"));
//! ```
//!
//! The articles are not part of the product; these checks run where a copy is beside the
//! checkout (`../shared/sources/azure-docs`) and say they skipped otherwise.

use super::model::{BlockKind, Entry, Style};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The shortest shared run of words that counts as copied wording.
pub const RUN: usize = 10;

/// A word sequence; `None` marks a break that no run may cross.
pub type Words = Vec<Option<String>>;

/// The folder of saved articles, looked for beside `start` and each of its parents
/// (`<dir>/shared/sources/azure-docs`).
pub fn find_sources(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("shared/sources/azure-docs"))
        .find(|dir| dir.is_dir())
}

/// The article file name (without `.md`) of an entry's Learn URL.
pub fn article_name(source: &str) -> &str {
    let page = source.split('#').next().unwrap_or(source);
    page.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(page)
}

/// A heading of an article: its level (`##` is 2), the anchor Learn gives it, any explicit
/// `<a name="...">` anchors on or just before it, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: usize,
    pub anchor: String,
    pub explicit: Vec<String>,
    pub text: String,
}

/// The headings of an article (level 2 and below), in order, with the anchors Learn builds:
/// lowercase, spaces to `-`, punctuation other than `-` and `_` dropped, repeated headings
/// suffixed `-1`, `-2`.
pub fn headings(article: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut in_code = false;
    let mut pending_explicit = Vec::new();
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
                pending_explicit.push(name.to_string());
            }
        }
        let level = trimmed.bytes().take_while(|&b| b == b'#').count();
        if level < 2 || !trimmed[level..].starts_with(' ') {
            if !trimmed.is_empty() && !trimmed.starts_with("<a name=") {
                pending_explicit.clear();
            }
            continue;
        }
        let text = trimmed[level..].trim();
        let base: String = text
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
        out.push(Heading {
            level,
            anchor,
            explicit: std::mem::take(&mut pending_explicit),
            text: text.to_string(),
        });
    }
    out
}

/// Every anchor a link into the article may use: its headings' and the explicit ones.
pub fn learn_anchors(article: &str) -> HashSet<String> {
    let mut anchors: HashSet<String> = HashSet::new();
    for part in article.split("<a name=\"").skip(1) {
        if let Some(name) = part.split('"').next() {
            anchors.insert(name.to_string());
        }
    }
    for heading in headings(article) {
        anchors.insert(heading.anchor);
    }
    anchors
}

/// Lowercased words with punctuation stripped; a token that is all punctuation disappears.
pub fn push_words(text: &str, out: &mut Words) {
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

/// The words of one line of Markdown text, with inline code and emphasis left out as breaks
/// (UI labels and names may stay verbatim when styled).
fn push_markdown_line(line: &str, out: &mut Words) {
    let mut rest = line;
    while !rest.is_empty() {
        let (marker, style_end) = match rest.find(['`', '*']) {
            Some(at) => (at, at),
            None => {
                push_words(rest, out);
                break;
            }
        };
        push_words(&rest[..marker], out);
        let after = &rest[style_end..];
        let delimiter = if after.starts_with("**") {
            "**"
        } else if after.starts_with('`') {
            "`"
        } else {
            "*"
        };
        match after[delimiter.len()..].find(delimiter) {
            Some(close) => {
                if delimiter != "**" {
                    out.push(None);
                } else {
                    push_words(&after[2..2 + close], out);
                }
                rest = &after[delimiter.len() + close + delimiter.len()..];
            }
            None => {
                push_words(&after[delimiter.len()..], out);
                break;
            }
        }
    }
}

/// An article's prose: front matter, fenced code, HTML comments and tags, link targets,
/// images and `:::` directives removed.
pub fn article_words(article: &str) -> Words {
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
        push_markdown_line(&strip_markup(&text), &mut words);
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

/// The entry's body prose: all three sections in order, code blocks, inline code and emphasis
/// left out as breaks.
pub fn entry_words(entry: &Entry) -> Words {
    let mut words = Words::new();
    for block in entry
        .symptoms
        .iter()
        .chain(&entry.cause)
        .chain(&entry.resolution)
    {
        if block.kind != BlockKind::Code {
            for (style, text) in block.runs() {
                match style {
                    Style::Code | Style::Emphasis => words.push(None),
                    Style::Plain | Style::Strong => push_words(text, &mut words),
                }
            }
        }
        words.push(None);
    }
    words
}

/// The word sequences of the entry's verbatim strings: each fixed part of a message (`*` is a
/// variable part) and each code.
pub fn verbatim_sequences(entry: &Entry) -> Vec<Vec<String>> {
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
pub fn remove_sequences(words: &Words, sequences: &[Vec<String>]) -> Words {
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
pub fn shared_runs(entry_words: &Words, article_words: &Words) -> Vec<String> {
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

/// The runs of [`RUN`]+ words the entry's body shares with its article's prose, the entry's
/// own verbatim codes and messages left out on both sides.
pub fn copied_runs(entry: &Entry, article: &Words) -> Vec<String> {
    let verbatim = verbatim_sequences(entry);
    let mine = remove_sequences(&entry_words(entry), &verbatim);
    let theirs = remove_sequences(article, &verbatim);
    shared_runs(&mine, &theirs)
}

/// Saved articles read once each, by name.
#[derive(Default)]
pub struct Articles {
    dir: PathBuf,
    words: BTreeMap<String, Option<(HashSet<String>, Words)>>,
}

impl Articles {
    pub fn new(dir: PathBuf) -> Articles {
        Articles {
            dir,
            words: BTreeMap::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The anchors and prose of an article, or `None` when it is not saved.
    pub fn get(&mut self, name: &str) -> Option<&(HashSet<String>, Words)> {
        let dir = &self.dir;
        self.words
            .entry(name.to_string())
            .or_insert_with(|| {
                std::fs::read_to_string(dir.join(format!("{name}.md")))
                    .ok()
                    .map(|text| (learn_anchors(&text), article_words(&text)))
            })
            .as_ref()
    }

    /// What is wrong with an entry against its saved article: a missing article, an anchor
    /// that is not one of its headings, copied wording.
    pub fn problems(&mut self, entry: &Entry) -> Vec<String> {
        let name = article_name(&entry.source);
        let anchor = entry.source.split_once('#').map_or("", |(_, a)| a);
        let Some((anchors, words)) = self.get(name) else {
            return vec![format!("no saved article `{name}.md` for the source")];
        };
        let mut problems = Vec::new();
        if !anchors.contains(anchor) {
            problems.push(format!(
                "`#{anchor}` is not a section of the article {name}"
            ));
        }
        for run in copied_runs(entry, words) {
            problems.push(format!(
                "the body repeats the article's wording ({RUN}+ words): \"{run}\"; say it in your own words"
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_learn_rules() {
        let article = "## Error code: AzureBlobOperationFailed\n### Sharing a self-hosted IR isn't supported \n## Symptoms\n## Symptoms\n```\n## not a heading\n```\n<a name=\"custom-one\"></a>\n";
        let anchors = learn_anchors(article);
        for expected in [
            "error-code-azurebloboperationfailed",
            "sharing-a-self-hosted-ir-isnt-supported",
            "symptoms",
            "symptoms-1",
            "custom-one",
        ] {
            assert!(anchors.contains(expected), "{expected} in {anchors:?}");
        }
        assert!(!anchors.contains("not-a-heading"));
    }

    fn words(line: &str) -> Words {
        let mut out = Words::new();
        push_markdown_line(line, &mut out);
        out
    }

    #[test]
    fn runs_ignore_case_punctuation_code_and_verbatim_messages() {
        let article = article_words(
            "---\ntitle: x\n---\n# T\nThe Quick, brown fox [jumps](https://x) over the lazy dog and runs far away.\n```\nnot prose at all one two three four five six seven eight nine\n```\n",
        );
        let copied = words("the quick brown fox jumps over the lazy dog and runs");
        assert_eq!(
            shared_runs(&copied, &article),
            ["the quick brown fox jumps over the lazy dog and runs"]
        );
        let split = words("the quick brown fox `jumps` over the lazy dog and runs");
        assert!(shared_runs(&split, &article).is_empty());
        let coded = words("not prose at all one two three four five six seven eight");
        assert!(shared_runs(&coded, &article).is_empty());
        let verbatim = vec![vec!["lazy".to_string(), "dog".to_string()]];
        assert!(shared_runs(
            &remove_sequences(&copied, &verbatim),
            &remove_sequences(&article, &verbatim)
        )
        .is_empty());
    }
}
