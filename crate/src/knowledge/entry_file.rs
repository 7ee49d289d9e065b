//! Reads one knowledge entry file (YAML front matter and Markdown body) into an [`Entry`],
//! reporting every problem with its line.
//!
//! ```
//! use adf_troubleshooter::knowledge::entry_file::read;
//! let front = "---\nid: gateway-key\ntitle: Key rejected\nproducts: [adf]\n\
//!     source: https://learn.microsoft.com/en-us/azure/data-factory/x#invalid-key\n\
//!     codes: [InvalidGatewayKey]\nexamples:\n  match: [\"ErrorCode=InvalidGatewayKey\"]\n---\n";
//! let body = "## Symptoms\nThe runtime is **offline**.\n## Cause\nA new key.\n## Resolution\n";
//! let file = format!("{front}{body}1. Paste the key with `dmgcmd -Key`.\n");
//! let (entry, examples) = read(&file, "gateway-key", "x").unwrap();
//! assert_eq!(entry.resolution[0].text, "Paste the key with dmgcmd -Key.");
//! assert_eq!(examples.matches.len(), 1);
//!
//! let table = format!("{front}{body}1. Compare:\n\n| a | b |\n|---|---|\n");
//! let problems = read(&table, "gateway-key", "x").unwrap_err();
//! assert_eq!((problems[0].line, problems[0].message.starts_with("a table")), (17, true));
//! ```
//!
//! The build script includes this file to embed the knowledge, and `adf-troubleshooter check`
//! uses it to verify entries, so both apply the same rules. It depends on `model.rs` alone.

use super::model::{Block, BlockKind, Context, Entry, Examples, Style, Styled};
use crate::facts::words::SYMPTOMS;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Something wrong in an entry file, at a 1-based line (0 when it concerns the whole file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

impl Problem {
    fn at(line: usize, message: impl Into<String>) -> Problem {
        Problem {
            line,
            message: message.into(),
        }
    }
}

/// The front matter as written by knowledge authors.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    products: Vec<String>,
    source: String,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    messages: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    generic: Vec<String>,
    #[serde(default)]
    context: Context,
    examples: Examples,
}

/// The runtime kinds `context.ir` may name.
pub const RUNTIME_KINDS: [&str; 4] = ["self-hosted", "azure", "managed-vnet", "ssis"];

/// The names an entry file's place gives it: its file name without `.md` (the entry's id) and
/// its folder's name (the article it comes from).
pub fn names(path: &std::path::Path) -> (String, String) {
    let name = |part: Option<&std::ffi::OsStr>| {
        part.map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    (
        name(path.file_stem()),
        name(path.parent().and_then(|p| p.file_name())),
    )
}

/// Reads an entry file. `stem` is its file name without `.md`, `guide` its folder (the article).
pub fn read(file: &str, stem: &str, guide: &str) -> Result<(Entry, Examples), Vec<Problem>> {
    match read_all(file, stem, guide) {
        (Some(read), problems) if problems.is_empty() => Ok(read),
        (_, problems) => Err(problems),
    }
}

/// Reads as much of an entry file as can be read, with every problem found: the entry is there
/// whenever the front matter parses (its guidance may then be empty), so its examples can still
/// be tried while the body is being fixed.
pub fn read_all(file: &str, stem: &str, guide: &str) -> (Option<(Entry, Examples)>, Vec<Problem>) {
    let (front_text, body, body_line) = match split_front_matter(file) {
        Ok(parts) => parts,
        Err(message) => return (None, vec![Problem::at(1, message)]),
    };
    let front: FrontMatter = match serde_saphyr::from_str(front_text) {
        Ok(front) => front,
        Err(e) => {
            // The front matter starts on the file's second line.
            let line = e.location().map_or(1, |l| l.line() as usize + 1);
            let message = e.to_string();
            let first = message.lines().next().unwrap_or("invalid YAML");
            return (
                None,
                vec![Problem::at(line, format!("front matter: {first}"))],
            );
        }
    };
    let mut problems = validate(&front, stem, file);
    let [symptoms, cause, resolution] = match parse_body(body) {
        Ok(sections) => sections,
        Err(body_problems) => {
            problems.extend(body_problems.into_iter().map(|mut problem| {
                problem.line += body_line - 1;
                problem
            }));
            Default::default()
        }
    };
    let entry = Entry {
        id: front.id,
        guide: guide.to_string(),
        title: front.title,
        products: front.products,
        source: front.source,
        codes: front.codes,
        messages: front.messages,
        keywords: front.keywords,
        generic: front.generic,
        context: front.context,
        symptoms,
        cause,
        resolution,
    };
    (Some((entry, front.examples)), problems)
}

/// Splits `---`-delimited front matter from the body; also returns the body's first line.
pub fn split_front_matter(file: &str) -> Result<(&str, &str, usize), String> {
    let rest = file
        .strip_prefix("---\n")
        .or_else(|| file.strip_prefix("---\r\n"))
        .ok_or("the file must start with `---` front matter")?;
    let end = rest
        .find("\n---\n")
        .or_else(|| rest.find("\n---\r\n"))
        .or_else(|| rest.strip_suffix("\n---").map(str::len))
        .ok_or("the front matter has no closing `---` line")?;
    let closing = end
        + 1
        + rest[end + 1..]
            .find('\n')
            .map_or(rest.len() - end - 1, |n| n + 1);
    let body = &rest[closing.min(rest.len())..];
    let body_line = file[..file.len() - body.len()].matches('\n').count() + 1;
    Ok((&rest[..end + 1], body, body_line))
}

/// The line of `file` where `needle` first appears (1 when it does not); a needle starting
/// with a line break names the line after it.
pub fn line_of(file: &str, needle: &str) -> usize {
    file.find(needle).map_or(1, |at| {
        file[..at].matches('\n').count() + 1 + usize::from(needle.starts_with('\n'))
    })
}

/// The line of a YAML value, found by its longest stretch of text that YAML does not escape.
pub fn line_of_value(file: &str, value: &str) -> usize {
    let stretch = value
        .split(['\'', '"', '\\', '\n'])
        .max_by_key(|part| part.len())
        .unwrap_or(value);
    let stretch: String = stretch.chars().take(60).collect();
    if stretch.trim().len() >= 6 {
        line_of(file, &stretch)
    } else {
        1
    }
}

fn validate(front: &FrontMatter, stem: &str, file: &str) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem =
        |key: &str, message: String| problems.push(Problem::at(line_of(file, key), message));
    if front.id != stem {
        problem(
            "\nid:",
            format!("id `{}` differs from the file name `{stem}`", front.id),
        );
    }
    if !front
        .id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        problem("\nid:", "ids are lowercase words joined by `-`".into());
    }
    match front.source.split_once('#') {
        Some((page, anchor))
            if page.starts_with("https://learn.microsoft.com/en-us/azure/")
                && !anchor.is_empty() => {}
        Some(_) => problem(
            "\nsource:",
            format!(
                "source `{}` is not a Learn URL with an anchor",
                front.source
            ),
        ),
        None => problem(
            "\nsource:",
            format!("source `{}` has no section anchor", front.source),
        ),
    }
    if front.products.is_empty() || front.products.iter().any(|p| p != "adf" && p != "synapse") {
        problem(
            "\nproducts:",
            "products must list `adf` and/or `synapse`".into(),
        );
    }
    if front.codes.is_empty() && front.messages.is_empty() && front.keywords.is_empty() {
        problem(
            "\nid:",
            "the entry has no match signal (`codes`, `messages` or `keywords`)".into(),
        );
    }
    if front.examples.matches.is_empty() {
        problem(
            "\nexamples:",
            "the entry needs at least one `examples.match` text".into(),
        );
    }
    if let Some(side) = &front.context.side {
        if side != "source" && side != "sink" {
            problem(
                "side:",
                format!("context.side `{side}` is neither `source` nor `sink`"),
            );
        }
    }
    if let Some(ir) = &front.context.ir {
        if !RUNTIME_KINDS.contains(&ir.as_str()) {
            problem(
                "ir:",
                format!(
                    "context.ir `{ir}` is not one of {}",
                    RUNTIME_KINDS.join(", ")
                ),
            );
        }
    }
    if let Some(symptom) = &front.context.symptom {
        if !SYMPTOMS.iter().any(|(name, _)| name == symptom) {
            let names: Vec<&str> = SYMPTOMS.iter().map(|(name, _)| *name).collect();
            problem(
                "symptom:",
                format!(
                    "context.symptom `{symptom}` is not one of {}",
                    names.join(", ")
                ),
            );
        }
    }
    for value in &front.generic {
        if !front.codes.contains(value) && !front.messages.contains(value) {
            problems.push(Problem::at(
                line_of_value(file, value),
                format!(
                    "generic `{value}` is neither one of the entry's codes nor one of its messages"
                ),
            ));
        }
    }
    for message in &front.messages {
        if message.replace('*', "").trim().len() < 12 {
            problems.push(Problem::at(
                line_of_value(file, message),
                format!("message `{message}` is too short to be distinctive (12+ characters of fixed text)"),
            ));
        }
    }
    for (field, values) in [("codes", &front.codes), ("keywords", &front.keywords)] {
        let mut seen = std::collections::BTreeSet::new();
        for value in values.iter() {
            if value.trim().is_empty() {
                problems.push(Problem::at(
                    line_of(file, &format!("\n{field}:")),
                    format!("`{field}` has an empty value"),
                ));
            } else if !seen.insert(value.to_lowercase()) {
                problems.push(Problem::at(
                    line_of_value(file, value),
                    format!("`{field}` lists `{value}` twice"),
                ));
            }
        }
    }
    problems
}

/// Where inline text of the body is going.
#[derive(Clone, Copy, PartialEq)]
enum Container {
    Ordered,
    Bullets,
}

/// Collects one block's text and styled ranges.
#[derive(Default)]
struct Inline {
    text: String,
    styled: Vec<Styled>,
    /// The open style and where it started; nesting is rejected.
    open: Option<(Style, usize)>,
}

impl Inline {
    fn push_text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn push_styled(&mut self, style: Style, text: &str) {
        let start = self.text.len();
        self.text.push_str(text);
        self.styled.push(Styled {
            style,
            start: start as u32,
            end: self.text.len() as u32,
        });
    }

    fn take(&mut self, kind: BlockKind) -> Option<Block> {
        let inline = std::mem::take(self);
        let leading = inline.text.len() - inline.text.trim_start().len();
        let text = inline.text.trim();
        if text.is_empty() {
            return None;
        }
        let styled = inline
            .styled
            .into_iter()
            .filter(|s| s.end > s.start)
            .map(|s| Styled {
                style: s.style,
                start: (s.start as usize).saturating_sub(leading).min(text.len()) as u32,
                end: (s.end as usize).saturating_sub(leading).min(text.len()) as u32,
            })
            .collect();
        Some(Block {
            kind,
            text: text.to_string(),
            styled,
        })
    }
}

/// The body being read: where text goes, and what was found so far.
#[derive(Default)]
struct BodyReader {
    sections: [Vec<Block>; 3],
    section: Option<usize>,
    inline: Inline,
    /// Open lists, innermost last.
    lists: Vec<Container>,
    /// Whether the current list item has produced its first block (its step or bullet).
    item_started: bool,
    problems: Vec<Problem>,
}

impl BodyReader {
    /// Ends the block being collected: a step or bullet when it opens a list item, text
    /// otherwise.
    fn flush(&mut self, line: usize) {
        let kind = match self.lists.last() {
            Some(Container::Ordered) if !self.item_started => BlockKind::Step,
            Some(Container::Bullets) if !self.item_started => BlockKind::Bullet,
            _ => BlockKind::Text,
        };
        if let Some(block) = self.inline.take(kind) {
            self.item_started = true;
            self.push(block, line);
        }
    }

    fn push(&mut self, block: Block, line: usize) {
        match self.section {
            Some(i) => self.sections[i].push(block),
            None => self.problem(
                line,
                format!("text before the first section: `{}`", block.text),
            ),
        }
    }

    fn problem(&mut self, line: usize, message: impl Into<String>) {
        self.problems.push(Problem::at(line, message));
    }
}

/// Parses the body into Symptoms, Cause and Resolution blocks. Only what a card can show is
/// accepted: `## Symptoms`/`## Cause`/`## Resolution` headings, paragraphs, numbered steps,
/// bullets, fenced code and inline code, strong and emphasis (not nested). Anything else (other
/// headings, tables, raw HTML, links, images, quotes) is a problem at its line.
pub fn parse_body(body: &str) -> Result<[Vec<Block>; 3], Vec<Problem>> {
    let line_at = |offset: usize| body[..offset.min(body.len())].matches('\n').count() + 1;
    let mut reader = BodyReader::default();
    let mut heading: Option<(String, usize)> = None;
    let mut code: Option<String> = None;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;

    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let line = line_at(range.start);
        if let Some(code_text) = code.as_mut() {
            match event {
                Event::Text(text) => code_text.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let text = code.take().unwrap_or_default();
                    reader.push(Block::plain(BlockKind::Code, text.trim_end()), line);
                }
                _ => {}
            }
            continue;
        }
        if let Some((text, _)) = heading.as_mut() {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::End(TagEnd::Heading(_)) => {
                    let (text, at) = heading.take().unwrap_or_default();
                    match text.trim().to_ascii_lowercase().as_str() {
                        "symptoms" => reader.section = Some(0),
                        "cause" => reader.section = Some(1),
                        "resolution" => reader.section = Some(2),
                        other => reader.problem(
                            at,
                            format!("unknown section `## {other}`: the sections are Symptoms, Cause and Resolution"),
                        ),
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                reader.flush(line);
                if level == HeadingLevel::H2 {
                    heading = Some((String::new(), line));
                } else {
                    reader.problem(
                        line,
                        format!("a level-{} heading: cards show only `## Symptoms`, `## Cause` and `## Resolution`", level as usize),
                    );
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                reader.flush(line);
                if matches!(kind, CodeBlockKind::Indented) {
                    reader.problem(
                        line,
                        "an indented code block: fence code with ``` (or indent it under its step)",
                    );
                }
                code = Some(String::new());
            }
            Event::Start(Tag::List(first)) => {
                reader.flush(line);
                reader.lists.push(if first.is_some() {
                    Container::Ordered
                } else {
                    Container::Bullets
                });
            }
            Event::End(TagEnd::List(_)) => {
                reader.flush(line);
                reader.lists.pop();
                // Text after a nested list continues its parent item.
                reader.item_started = true;
            }
            Event::Start(Tag::Item) => {
                reader.flush(line);
                reader.item_started = false;
            }
            Event::End(TagEnd::Item | TagEnd::Paragraph) => reader.flush(line),
            Event::Text(text) => reader.inline.push_text(&text),
            Event::Code(text) => {
                if reader.inline.open.is_some() {
                    reader.problem(
                        line,
                        "inline code inside strong or emphasis: cards show one style at a time",
                    );
                }
                reader.inline.push_styled(Style::Code, &text);
            }
            Event::SoftBreak | Event::HardBreak => reader.inline.push_text(" "),
            Event::Start(tag @ (Tag::Strong | Tag::Emphasis)) => {
                let style = if matches!(tag, Tag::Strong) {
                    Style::Strong
                } else {
                    Style::Emphasis
                };
                if reader.inline.open.is_some() {
                    reader.problem(
                        line,
                        "nested strong and emphasis: cards show one style at a time",
                    );
                } else {
                    reader.inline.open = Some((style, reader.inline.text.len()));
                }
            }
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => {
                if let Some((style, start)) = reader.inline.open.take() {
                    let end = reader.inline.text.len();
                    reader.inline.styled.push(Styled {
                        style,
                        start: start as u32,
                        end: end as u32,
                    });
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => reader.problem(
                line,
                format!(
                    "raw HTML `{}`: cards show text only (put placeholders such as <name> in backticks)",
                    body[range].trim()
                ),
            ),
            Event::Start(Tag::Table(_)) => {
                reader.problem(line, "a table: cards cannot show tables; use steps or bullets")
            }
            Event::Start(Tag::Link { .. }) => reader.problem(
                line,
                "a link: cards link to the entry's Learn section only; name the page in words",
            ),
            Event::Start(Tag::Image { .. }) => reader.problem(line, "an image: cards show text only"),
            Event::Start(Tag::BlockQuote(_)) => reader.problem(
                line,
                "a block quote: cards cannot show quotes; write a paragraph",
            ),
            Event::Start(Tag::Strikethrough) => {
                reader.problem(line, "strikethrough: cards cannot show it")
            }
            Event::Rule => reader.problem(line, "a horizontal rule: cards cannot show it"),
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_)) => {
                reader.problem(line, "a footnote: cards cannot show footnotes")
            }
            Event::TaskListMarker(_) => reader.problem(line, "a task list: use numbered steps"),
            _ => {}
        }
    }
    let last_line = line_at(body.len());
    reader.flush(last_line);

    for (i, name) in ["Symptoms", "Cause", "Resolution"].iter().enumerate() {
        if reader.sections[i].is_empty() {
            reader.problem(
                last_line,
                format!("the `## {name}` section is missing or empty"),
            );
        }
    }
    let resolution = &reader.sections[2];
    if !resolution.is_empty() && !resolution.iter().any(|b| b.kind == BlockKind::Step) {
        reader.problem(last_line, "the resolution has no numbered step");
    }
    if reader.problems.is_empty() {
        Ok(reader.sections)
    } else {
        reader.problems.sort_by_key(|p| p.line);
        Err(reader.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(block: &Block) -> Vec<(Style, &str)> {
        block.runs()
    }

    #[test]
    fn reads_sections_steps_bullets_code_and_styles() {
        let body = "## Symptoms\nThe IR\nfails.\n\n## Cause\nA *rotated* key.\n\n## Resolution\n1. Open the\n   **Keys** page.\n2. Run:\n   ```\n   dmgcmd -Key x\n   ```\n- Or wait for `sync`.\n";
        let [symptoms, cause, resolution] = parse_body(body).unwrap();
        assert_eq!(
            symptoms,
            vec![Block::plain(BlockKind::Text, "The IR fails.")]
        );
        assert_eq!(
            runs(&cause[0]),
            [
                (Style::Plain, "A "),
                (Style::Emphasis, "rotated"),
                (Style::Plain, " key.")
            ]
        );
        let kinds: Vec<BlockKind> = resolution.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [
                BlockKind::Step,
                BlockKind::Step,
                BlockKind::Code,
                BlockKind::Bullet
            ]
        );
        assert_eq!(
            runs(&resolution[0]),
            [
                (Style::Plain, "Open the "),
                (Style::Strong, "Keys"),
                (Style::Plain, " page.")
            ]
        );
        assert_eq!(resolution[2].text, "dmgcmd -Key x");
        assert_eq!(
            runs(&resolution[3]),
            [
                (Style::Plain, "Or wait for "),
                (Style::Code, "sync"),
                (Style::Plain, ".")
            ]
        );
    }

    #[test]
    fn rejects_what_a_card_cannot_show_at_its_line() {
        let cases = [
            ("### Details\n", "level-3 heading"),
            ("| a | b |\n|---|---|\n| 1 | 2 |\n", "a table"),
            ("See <b>this</b>.\n", "raw HTML"),
            ("Read [the docs](https://example.com).\n", "a link"),
            ("> quoted\n", "block quote"),
            ("**bold *and* emphasis**\n", "nested"),
        ];
        for (markdown, expected) in cases {
            let body =
                format!("## Symptoms\nx\n## Cause\ny\n## Resolution\n1. Do it.\n\n{markdown}");
            let problems = parse_body(&body).unwrap_err();
            assert!(
                problems
                    .iter()
                    .any(|p| p.line == 8 && p.message.contains(expected)),
                "{markdown:?}: {problems:?}"
            );
        }
    }

    #[test]
    fn rejects_missing_sections_and_unnumbered_resolutions() {
        assert!(parse_body("## Symptoms\nx\n## Cause\ny\n").is_err());
        let unnumbered = parse_body("## Symptoms\nx\n## Cause\ny\n## Resolution\nJust do it.\n");
        assert!(unnumbered.unwrap_err()[0]
            .message
            .contains("no numbered step"));
        let before = parse_body("intro\n## Symptoms\nx\n").unwrap_err();
        assert_eq!(before[0].line, 1);
        let unknown = parse_body("## Symptoms\nx\n## Fix\ny\n").unwrap_err();
        assert!(unknown
            .iter()
            .any(|p| p.line == 3 && p.message.contains("## fix")));
    }

    #[test]
    fn splits_front_matter_and_finds_the_body_line() {
        let (front, body, line) =
            split_front_matter("---\nid: a\nx: b\n---\n\n## Symptoms\n").unwrap();
        assert_eq!(front, "id: a\nx: b\n");
        assert_eq!(body, "\n## Symptoms\n");
        assert_eq!(line, 5);
        assert!(split_front_matter("id: a\n").is_err());
    }

    const GOOD: &str = "---\nid: key\ntitle: Key\nproducts: [adf]\nsource: https://learn.microsoft.com/en-us/azure/data-factory/x#a\ncodes: [InvalidGatewayKey]\nexamples:\n  match:\n    - \"ErrorCode=InvalidGatewayKey\"\n---\n## Symptoms\nx\n## Cause\ny\n## Resolution\n1. z\n";

    #[test]
    fn front_matter_problems_name_their_line() {
        assert!(read(GOOD, "key", "x").is_ok());
        let cases = [
            (GOOD.replace("id: key", "id: Key"), 2, "lowercase"),
            (GOOD.replace("#a\n", "\n"), 5, "no section anchor"),
            (GOOD.replace("[adf]", "[fabric]"), 4, "products"),
            (
                GOOD.replace(
                    "codes: [InvalidGatewayKey]",
                    "codes: [InvalidGatewayKey]\nmessages: [\"too short\"]",
                ),
                7,
                "too short",
            ),
            (
                GOOD.replace("title: Key\n", "title: Key\ncolour: red\n"),
                4,
                "colour",
            ),
        ];
        for (file, line, expected) in cases {
            let problems = read(&file, "key", "x").unwrap_err();
            assert!(
                problems
                    .iter()
                    .any(|p| p.line == line && p.message.contains(expected)),
                "{expected}: {problems:?}"
            );
        }
        let body = read(&GOOD.replace("1. z", "1. z\n<br>"), "key", "x").unwrap_err();
        assert_eq!(body[0].line, 17);
    }
}
