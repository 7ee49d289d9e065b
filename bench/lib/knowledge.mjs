// Reads the knowledge entries straight from crate/knowledge/<article>/<id>.md, the files the
// engine embeds at build time, so the peers index exactly the same knowledge.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

function markdownFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...markdownFiles(path));
    else if (name.endsWith('.md')) out.push(path);
  }
  return out;
}

/** The body as plain text: headings, list markers, fences and backticks removed. */
function bodyText(markdown) {
  return markdown
    .split('\n')
    .filter((line) => !/^\s*##\s/.test(line) && !/^\s*```/.test(line))
    .map((line) => line.replace(/^\s*(\d+\.|-)\s+/, '').replace(/[`*]/g, '').trim())
    .filter(Boolean)
    .join('\n');
}

/** Every entry: {id, title, source, codes, messages, keywords, connectors, body}. */
export function loadEntries(knowledgeDir) {
  return markdownFiles(knowledgeDir).map((path) => {
    const file = readFileSync(path, 'utf8');
    const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(file);
    if (!match) throw new Error(`${path}: no front matter`);
    const front = parseYaml(match[1]);
    return {
      id: front.id,
      title: front.title,
      source: front.source,
      codes: (front.codes ?? []).map(String),
      // `*` marks a variable part for the engine; for a text index it is just noise.
      messages: (front.messages ?? []).map((m) => m.replaceAll('*', ' ')),
      keywords: front.keywords ?? [],
      connectors: front.context?.connectors ?? [],
      body: bodyText(match[2]),
    };
  });
}

/** The development evaluation set: [{text, expected}] (expected: Learn URL or null). */
export function loadEval(path) {
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}
