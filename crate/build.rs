//! Embeds the knowledge base: reads `knowledge/**/*.md`, validates every entry and writes the
//! entries (and, separately, their examples) as JSON for `include_str!`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/knowledge/model.rs"]
#[allow(dead_code)]
mod model;

#[path = "src/knowledge/markdown.rs"]
#[allow(dead_code)]
mod markdown;

use model::{Context, Entry, Examples};

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

fn main() {
    let root = Path::new("knowledge");
    println!("cargo:rerun-if-changed=knowledge");
    println!("cargo:rerun-if-changed=src/knowledge/model.rs");
    println!("cargo:rerun-if-changed=src/knowledge/markdown.rs");
    let mut files = Vec::new();
    collect_markdown(root, &mut files);
    files.sort();

    let mut entries = Vec::new();
    let mut examples = BTreeMap::new();
    let mut errors = Vec::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        match read_entry(path) {
            Ok((entry, entry_examples)) => {
                if examples.insert(entry.id.clone(), entry_examples).is_some() {
                    errors.push(format!("{}: duplicate id `{}`", path.display(), entry.id));
                }
                entries.push(entry);
            }
            Err(message) => errors.push(format!("{}: {message}", path.display())),
        }
    }
    if !errors.is_empty() {
        panic!("invalid knowledge entries:\n  {}", errors.join("\n  "));
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    fs::write(
        out.join("knowledge.json"),
        serde_json::to_string(&entries).unwrap(),
    )
    .unwrap();
    fs::write(
        out.join("examples.json"),
        serde_json::to_string(&examples).unwrap(),
    )
    .unwrap();
}

fn collect_markdown(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for item in read.flatten() {
        let path = item.path();
        if path.is_dir() {
            collect_markdown(&path, files);
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
}

fn read_entry(path: &Path) -> Result<(Entry, Examples), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (front, body) = markdown::split_front_matter(&text)?;
    let front: FrontMatter =
        serde_saphyr::from_str(front).map_err(|e| format!("front matter: {e}"))?;
    let guidance = markdown::parse_body(body)?;
    let guide = path
        .parent()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    validate(&front, path)?;
    let entry = Entry {
        id: front.id,
        guide,
        title: front.title,
        products: front.products,
        source: front.source,
        codes: front.codes,
        messages: front.messages,
        keywords: front.keywords,
        generic: front.generic,
        context: front.context,
        symptoms: guidance.symptoms,
        cause: guidance.cause,
        resolution: guidance.resolution,
    };
    Ok((entry, front.examples))
}

fn validate(front: &FrontMatter, path: &Path) -> Result<(), String> {
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    if front.id != stem {
        return Err(format!(
            "id `{}` differs from the file name `{stem}`",
            front.id
        ));
    }
    if !front
        .id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err("ids are lowercase words joined by `-`".into());
    }
    let Some((page, anchor)) = front.source.split_once('#') else {
        return Err(format!("source `{}` has no section anchor", front.source));
    };
    if !page.starts_with("https://learn.microsoft.com/en-us/azure/") || anchor.is_empty() {
        return Err(format!(
            "source `{}` is not a Learn URL with an anchor",
            front.source
        ));
    }
    if front.products.is_empty() || front.products.iter().any(|p| p != "adf" && p != "synapse") {
        return Err("products must list `adf` and/or `synapse`".into());
    }
    if front.codes.is_empty() && front.messages.is_empty() && front.keywords.is_empty() {
        return Err("the entry has no match signal".into());
    }
    if front.examples.matches.is_empty() {
        return Err("the entry needs at least one `examples.match` text".into());
    }
    if let Some(side) = &front.context.side {
        if side != "source" && side != "sink" {
            return Err(format!(
                "context.side `{side}` is neither `source` nor `sink`"
            ));
        }
    }
    if let Some(ir) = &front.context.ir {
        if !["self-hosted", "azure", "managed-vnet", "ssis"].contains(&ir.as_str()) {
            return Err(format!(
                "context.ir `{ir}` is not a known integration runtime kind"
            ));
        }
    }
    for value in &front.generic {
        if !front.codes.contains(value) && !front.messages.contains(value) {
            return Err(format!(
                "generic `{value}` is neither one of the entry's codes nor one of its messages"
            ));
        }
    }
    for message in &front.messages {
        if message.replace('*', "").trim().len() < 12 {
            return Err(format!(
                "message `{message}` is too short to be distinctive"
            ));
        }
    }
    Ok(())
}
