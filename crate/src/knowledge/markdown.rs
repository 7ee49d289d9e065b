//! Reads an entry file's Markdown body into Symptoms / Cause / Resolution blocks.
//!
//! ```
//! use adf_troubleshooter::knowledge::{markdown::parse_body, Block};
//! let fix = "## Resolution\n1. Copy the new key.\n   ```\n   dmgcmd -Key <key>\n   ```\n";
//! let body = format!("## Symptoms\nThe IR is offline.\n## Cause\nThe key was rotated.\n{fix}");
//! let guidance = parse_body(&body).unwrap();
//! assert_eq!(guidance.resolution[1], Block::Code("dmgcmd -Key <key>".into()));
//! ```
//!
//! Only what the cards render is understood: paragraphs, numbered steps, bullets and fenced code.
//! The build script includes this file too, so it depends on `model.rs` alone.

use super::model::Block;

/// The three sections every entry body has.
#[derive(Debug, Default, PartialEq)]
pub struct Guidance {
    pub symptoms: Vec<Block>,
    pub cause: Vec<Block>,
    pub resolution: Vec<Block>,
}

/// Splits `---`-delimited front matter from the body.
pub fn split_front_matter(file: &str) -> Result<(&str, &str), String> {
    let rest = file
        .strip_prefix("---\n")
        .or_else(|| file.strip_prefix("---\r\n"))
        .ok_or("the file must start with `---` front matter")?;
    let end = rest
        .find("\n---\n")
        .or_else(|| rest.find("\n---\r\n"))
        .ok_or("the front matter has no closing `---` line")?;
    let body_start = end + rest[end..].find("---").unwrap_or(0) + 3;
    Ok((
        &rest[..end + 1],
        rest[body_start..].trim_start_matches(['\r', '\n']),
    ))
}

/// Parses the body; every section must be present and non-empty, and the resolution numbered.
pub fn parse_body(body: &str) -> Result<Guidance, String> {
    let mut guidance = Guidance::default();
    let mut current: Option<&mut Vec<Block>> = None;
    let mut lines = body.lines().peekable();
    let mut paragraph = String::new();
    let flush = |paragraph: &mut String, target: &mut Option<&mut Vec<Block>>| {
        if !paragraph.is_empty() {
            if let Some(blocks) = target.as_deref_mut() {
                blocks.push(classify(paragraph));
            }
            paragraph.clear();
        }
    };
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if let Some(heading) = trimmed.strip_prefix("## ") {
            flush(&mut paragraph, &mut current);
            current = Some(match heading.trim().to_ascii_lowercase().as_str() {
                "symptoms" => &mut guidance.symptoms,
                "cause" => &mut guidance.cause,
                "resolution" => &mut guidance.resolution,
                other => return Err(format!("unknown section `## {other}`")),
            });
        } else if trimmed.starts_with("```") {
            flush(&mut paragraph, &mut current);
            let indent = line.len() - line.trim_start().len();
            let mut code = String::new();
            for code_line in lines.by_ref() {
                if code_line.trim().starts_with("```") {
                    break;
                }
                let cut = code_line.len() - code_line.trim_start().len();
                code.push_str(&code_line[cut.min(indent)..]);
                code.push('\n');
            }
            let blocks = current
                .as_deref_mut()
                .ok_or("code before the first section")?;
            blocks.push(Block::Code(code.trim_end().to_string()));
        } else if trimmed.is_empty() {
            flush(&mut paragraph, &mut current);
        } else {
            if current.is_none() {
                return Err(format!("text before the first section: `{trimmed}`"));
            }
            if starts_list_item(trimmed) {
                flush(&mut paragraph, &mut current);
            }
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(trimmed);
        }
    }
    flush(&mut paragraph, &mut current);
    for (name, blocks) in [
        ("Symptoms", &guidance.symptoms),
        ("Cause", &guidance.cause),
        ("Resolution", &guidance.resolution),
    ] {
        if blocks.is_empty() {
            return Err(format!("the `## {name}` section is missing or empty"));
        }
    }
    if !guidance
        .resolution
        .iter()
        .any(|b| matches!(b, Block::Step(_)))
    {
        return Err("the resolution has no numbered step".into());
    }
    Ok(guidance)
}

fn starts_list_item(line: &str) -> bool {
    numbered_item(line).is_some() || line.starts_with("- ") || line.starts_with("* ")
}

fn numbered_item(line: &str) -> Option<&str> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0)
        .then(|| line[digits..].strip_prefix(". "))
        .flatten()
}

fn classify(paragraph: &str) -> Block {
    if let Some(step) = numbered_item(paragraph) {
        Block::Step(step.trim().to_string())
    } else if let Some(bullet) = paragraph
        .strip_prefix("- ")
        .or_else(|| paragraph.strip_prefix("* "))
    {
        Block::Bullet(bullet.trim().to_string())
    } else {
        Block::Text(paragraph.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sections_steps_and_code() {
        let body = "## Symptoms\nThe IR\nfails.\n\n## Cause\nA key.\n\n## Resolution\n1. Open the\n   portal.\n2. Run:\n   ```\n   dmgcmd -Key x\n   ```\n- Or wait.\n";
        let g = parse_body(body).unwrap();
        assert_eq!(g.symptoms, vec![Block::Text("The IR fails.".into())]);
        assert_eq!(
            g.resolution,
            vec![
                Block::Step("Open the portal.".into()),
                Block::Step("Run:".into()),
                Block::Code("dmgcmd -Key x".into()),
                Block::Bullet("Or wait.".into()),
            ]
        );
    }

    #[test]
    fn rejects_missing_sections_and_unnumbered_resolutions() {
        assert!(parse_body("## Symptoms\nx\n## Cause\ny\n").is_err());
        assert!(parse_body("## Symptoms\nx\n## Cause\ny\n## Resolution\nJust do it.\n").is_err());
        assert!(parse_body("intro\n## Symptoms\nx\n").is_err());
    }

    #[test]
    fn splits_front_matter() {
        let (front, body) = split_front_matter("---\nid: a\n---\n\n## Symptoms\n").unwrap();
        assert_eq!(front, "id: a\n");
        assert_eq!(body, "## Symptoms\n");
        assert!(split_front_matter("id: a\n").is_err());
    }
}
