//! Reads team rules written in the bundled entries' Markdown format (docs/knowledge-format.md),
//! one or many per file, with a small reader: the YAML and CommonMark libraries the build uses
//! would add about 660 KB to the extension's wasm.
//!
//! ```
//! let file = "---\nid: gw-17\ntitle: Gateway GW-17 refused\ncodes: [ContosoGatewayRefused]\n\
//!     source: https://wiki.contoso.com/gw-17\n---\n## Cause\nThe allow-list.\n\
//!     \n## Resolution\n1. Ask the network team.\n";
//! let (rules, problems) = adf_troubleshooter::team::markdown::read(file);
//! assert!(problems.is_empty(), "{problems:?}");
//! assert_eq!(rules[0].link, "https://wiki.contoso.com/gw-17");
//! ```
//!
//! The front matter may use what entries use: `key: value`, quoted strings, `[a, b]` lists and
//! `- item` lists. `products`, `generic`, `context` and `examples` are read past: genericity
//! comes from the bundled knowledge, and a team rule's examples are its own tests. `source` is
//! the rule's link (`link` is accepted too). The body has `## Symptoms`, `## Cause` and
//! `## Resolution` with numbered steps; `` `code` `` and `**strong**` keep their style.

use super::{validate_rules, Problem, TeamRule};
use std::collections::HashMap;

/// Fields the bundled format has that a team rule does without.
const PASSED_OVER: &[&str] = &["products", "generic", "context", "examples"];

/// Where each field (and each item of a list field) was written.
#[derive(Default)]
struct Lines {
    fields: HashMap<String, usize>,
    items: HashMap<String, Vec<usize>>,
}

impl Lines {
    /// The line of a problem's field: `messages[1]` is the second message's line.
    fn of(&self, field: &str, start: usize) -> usize {
        if let Some((name, index)) = field.strip_suffix(']').and_then(|f| f.split_once('[')) {
            if let Some(&line) = index
                .parse::<usize>()
                .ok()
                .and_then(|i| self.items.get(name)?.get(i))
            {
                return line;
            }
            return self.fields.get(name).copied().unwrap_or(start);
        }
        self.fields.get(field).copied().unwrap_or(start)
    }
}

/// The valid rules of a Markdown file, and every problem with its line.
pub fn read(file: &str) -> (Vec<TeamRule>, Vec<Problem>) {
    let lines: Vec<&str> = file.lines().collect();
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    let mut at = 0;
    while at < lines.len() && lines[at].trim().is_empty() {
        at += 1;
    }
    if at == lines.len() {
        problems.push(located(0, "", 1, "the file is empty"));
    }
    while at < lines.len() {
        let start = at + 1;
        if lines[at].trim_end() != "---" {
            problems.push(located(
                parsed.len(),
                "",
                start,
                "an entry starts with a `---` line",
            ));
            break;
        }
        let Some(close) = (at + 1..lines.len()).find(|&i| lines[i].trim_end() == "---") else {
            problems.push(located(
                parsed.len(),
                "",
                start,
                "the front matter has no closing `---` line",
            ));
            break;
        };
        let next = (close + 1..lines.len())
            .find(|&i| lines[i].trim_end() == "---")
            .unwrap_or(lines.len());
        let mut rule = TeamRule::default();
        let mut where_ = Lines::default();
        let rule_at = parsed.len();
        let mut say =
            |line: usize, message: String| problems.push(located(rule_at, "", line, &message));
        front_matter(&lines, at + 1, close, &mut rule, &mut where_, &mut say);
        body(&lines, close + 1, next, &mut rule, &mut where_, &mut say);
        parsed.push((rule, where_, start));
        at = next;
    }
    for problem in problems.iter_mut() {
        if let Some((rule, _, _)) = parsed.get(problem.rule) {
            problem.id = rule.id.clone();
        }
    }
    let numbered: Vec<(usize, TeamRule)> = parsed
        .iter()
        .enumerate()
        .map(|(i, (rule, _, _))| (i, rule.clone()))
        .collect();
    let (_, found) = validate_rules(&numbered, false);
    for mut problem in found {
        let (_, lines, start) = &parsed[problem.rule];
        problem.line = Some(lines.of(&problem.field, *start));
        problems.push(problem);
    }
    crate::sort::by_key(&mut problems, |p| (p.line, p.rule));
    let bad: Vec<usize> = problems.iter().map(|p| p.rule).collect();
    let rules = parsed
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !bad.contains(i))
        .map(|(_, (rule, _, _))| rule)
        .collect();
    (rules, problems)
}

fn located(rule: usize, field: &str, line: usize, message: &str) -> Problem {
    Problem {
        rule,
        id: String::new(),
        field: field.to_string(),
        line: Some(line),
        message: message.to_string(),
    }
}

/// Reads the front matter lines `from..to` (0-based) into `rule`.
fn front_matter(
    lines: &[&str],
    from: usize,
    to: usize,
    rule: &mut TeamRule,
    where_: &mut Lines,
    say: &mut dyn FnMut(usize, String),
) {
    let mut i = from;
    while i < to {
        let line = lines[i];
        let number = i + 1;
        i += 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if line.starts_with([' ', '\t', '-']) {
            say(
                number,
                "front matter: an indented line outside a list".into(),
            );
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            say(
                number,
                format!("front matter: `{}` is not `key: value`", line.trim()),
            );
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        // The indented lines that belong to this key: a `- item` list or a nested map.
        let block_end = (i..to)
            .find(|&j| !lines[j].trim().is_empty() && !lines[j].starts_with([' ', '\t', '-']))
            .unwrap_or(to);
        let block = i..block_end;
        i = block_end;
        if PASSED_OVER.contains(&key) {
            continue;
        }
        where_.fields.insert(key.to_string(), number);
        let list_field = matches!(key, "codes" | "messages" | "keywords");
        if list_field {
            let mut items = Vec::new();
            let mut item_lines = Vec::new();
            if value.starts_with('[') {
                match flow_list(value) {
                    Ok(values) => {
                        item_lines = vec![number; values.len()];
                        items = values;
                    }
                    Err(message) => say(number, format!("`{key}`: {message}")),
                }
            } else if !value.is_empty() {
                say(
                    number,
                    format!("`{key}` is a list: `[a, b]` or `- a` lines"),
                );
            }
            for j in block {
                let item = lines[j].trim();
                if item.is_empty() {
                    continue;
                }
                match item.strip_prefix('-').map(str::trim).map(scalar) {
                    Some(Ok(value)) => {
                        items.push(value);
                        item_lines.push(j + 1);
                    }
                    Some(Err(message)) => say(j + 1, format!("`{key}`: {message}")),
                    None => say(j + 1, format!("`{key}`: expected a `- item` line")),
                }
            }
            where_.items.insert(key.to_string(), item_lines);
            match key {
                "codes" => rule.codes = items,
                "messages" => rule.messages = items,
                _ => rule.keywords = items,
            }
            continue;
        }
        if !block.is_empty() && lines[block.clone()].iter().any(|l| !l.trim().is_empty()) {
            say(number, format!("`{key}` takes one value on its line"));
        }
        let value = match scalar(value) {
            Ok(value) => value,
            Err(message) => {
                say(number, format!("`{key}`: {message}"));
                continue;
            }
        };
        match key {
            "id" => rule.id = value,
            "title" => rule.title = value,
            "source" | "link" => {
                where_.fields.insert("link".into(), number);
                rule.link = value;
            }
            _ => say(number, format!("unknown field `{key}`")),
        }
    }
}

/// One YAML scalar as entries write them: plain, `"double"` (with `\` escapes) or `'single'`.
fn scalar(value: &str) -> Result<String, String> {
    let value = value.trim();
    if let Some(inner) = value.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => {
                    return match chars.as_str().trim() {
                        "" => Ok(out),
                        rest => Err(format!("unexpected `{rest}` after the closing quote")),
                    }
                }
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(c @ ('"' | '\\' | '/')) => out.push(c),
                    other => return Err(format!("unknown escape `\\{}`", other.unwrap_or(' '))),
                },
                c => out.push(c),
            }
        }
        return Err("a quoted string is not closed".into());
    }
    if let Some(inner) = value.strip_prefix('\'') {
        let Some(inner) = inner.strip_suffix('\'') else {
            return Err("a quoted string is not closed".into());
        };
        return Ok(inner.replace("''", "'"));
    }
    Ok(value
        .split(" #")
        .next()
        .unwrap_or_default()
        .trim()
        .to_string())
}

/// `[a, "b, c", 'd']`.
fn flow_list(value: &str) -> Result<Vec<String>, String> {
    let inner = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .ok_or("a `[` list must close with `]` on the same line")?;
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quote = None;
    for c in inner.chars() {
        match (quote, c) {
            (None, '"' | '\'') if current.trim().is_empty() => {
                quote = Some(c);
                current.push(c);
            }
            (Some(q), c) if c == q => {
                quote = None;
                current.push(c);
            }
            (None, ',') => {
                items.push(scalar(&current)?);
                current.clear();
            }
            (_, c) => current.push(c),
        }
    }
    if quote.is_some() {
        return Err("a quoted string is not closed".into());
    }
    if !current.trim().is_empty() {
        items.push(scalar(&current)?);
    }
    Ok(items)
}

#[derive(Clone, Copy, PartialEq)]
enum Section {
    None,
    Symptoms,
    Cause,
    Resolution,
}

/// Reads the body lines `from..to` into the rule's symptoms, cause and steps.
fn body(
    lines: &[&str],
    from: usize,
    to: usize,
    rule: &mut TeamRule,
    where_: &mut Lines,
    say: &mut dyn FnMut(usize, String),
) {
    let mut section = Section::None;
    let mut fenced = false;
    let mut step_lines = Vec::new();
    for (i, &line) in lines.iter().enumerate().take(to).skip(from) {
        let number = i + 1;
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            if let Some(heading) = trimmed.strip_prefix("## ") {
                section = match heading.trim().to_ascii_lowercase().as_str() {
                    "symptoms" => Section::Symptoms,
                    "cause" => Section::Cause,
                    "resolution" => Section::Resolution,
                    other => {
                        say(
                            number,
                            format!(
                                "unknown section `## {other}`: use Symptoms, Cause, Resolution"
                            ),
                        );
                        Section::None
                    }
                };
                let field = match section {
                    Section::Symptoms => "symptoms",
                    Section::Cause => "cause",
                    _ => "steps",
                };
                where_.fields.insert(field.into(), number);
                continue;
            }
        }
        let text = match section {
            Section::Symptoms => &mut rule.symptoms,
            Section::Cause => &mut rule.cause,
            Section::Resolution => {
                let step = trimmed
                    .split_once(". ")
                    .filter(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
                match step {
                    Some((_, text)) if !fenced && !line.starts_with([' ', '\t']) => {
                        rule.steps.push(text.trim().to_string());
                        step_lines.push(number);
                    }
                    _ => match rule.steps.last_mut() {
                        Some(last) if !trimmed.is_empty() => {
                            last.push(if fenced { '\n' } else { ' ' });
                            last.push_str(if fenced { line.trim_end() } else { trimmed });
                        }
                        Some(_) => {}
                        // Text before the first step (a warning) is kept as a step of its own.
                        None if !trimmed.is_empty() => {
                            rule.steps.push(trimmed.to_string());
                            step_lines.push(number);
                        }
                        None => {}
                    },
                }
                continue;
            }
            Section::None => {
                if !trimmed.is_empty() {
                    say(
                        number,
                        "text outside `## Symptoms`, `## Cause` or `## Resolution`".into(),
                    );
                }
                continue;
            }
        };
        // Paragraphs: lines joined by spaces, a blank line between paragraphs.
        if trimmed.is_empty() {
            if !text.is_empty() && !text.ends_with("\n\n") {
                text.push_str("\n\n");
            }
        } else {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push(' ');
            }
            text.push_str(trimmed);
        }
    }
    rule.symptoms = rule.symptoms.trim().to_string();
    rule.cause = rule.cause.trim().to_string();
    where_.items.insert("steps".into(), step_lines);
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "---\nid: gw-17\ntitle: \"Gateway GW-17: refused\"\ncodes: [ContosoGatewayRefused, 'CGR-1']\nmessages:\n  - \"The gateway * refused the connection from *\"\nproducts: [adf]\nexamples:\n  match:\n    - \"x\"\nsource: https://wiki.contoso.com/gw-17\n---\n## Symptoms\nThe copy stops.\n\n## Cause\nThe allow-list\nmisses the runtime.\n\n## Resolution\n1. Ask the `network` team.\n2. Rerun:\n   ```\n   rerun --all\n   ```\n---\nid: second\ntitle: Second\nmessages:\n  - \"short *\"\nsource: http://wiki.contoso.com/x\n---\n## Cause\nc\n## Resolution\n1. s\n";

    #[test]
    fn reads_many_entries_and_points_problems_at_their_lines() {
        let (rules, problems) = read(TWO);
        assert_eq!(rules.len(), 1, "{problems:?}");
        let r = &rules[0];
        assert_eq!(r.title, "Gateway GW-17: refused");
        assert_eq!(r.codes, ["ContosoGatewayRefused", "CGR-1"]);
        assert_eq!(r.cause, "The allow-list misses the runtime.");
        assert_eq!(
            r.steps,
            ["Ask the `network` team.", "Rerun:\n   rerun --all"]
        );
        let at: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.field.as_str(), p.id.as_str()))
            .collect();
        assert!(
            at.contains(&(Some(30), "messages[0]", "second")),
            "{problems:?}"
        );
        assert!(at.contains(&(Some(31), "link", "second")), "{problems:?}");
        assert!(
            problems[0].to_string().starts_with("line 30: "),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn every_bundled_entry_file_reads_as_a_rule() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        let mut read_files = 0;
        for article in std::fs::read_dir(root).unwrap() {
            for file in std::fs::read_dir(article.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                let (rules, problems) = read(&text);
                // A team rule needs a code or a message; a few bundled entries match by
                // keywords alone.
                let keywords_only = problems.len() == 1 && problems[0].field == "codes";
                assert!(
                    problems.is_empty() || keywords_only,
                    "{}: {problems:?}",
                    path.display()
                );
                assert_eq!(rules.len(), usize::from(!keywords_only));
                read_files += 1;
            }
        }
        assert!(read_files > 100);
    }
}
