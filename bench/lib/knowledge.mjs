// Reads the knowledge entries straight from crate/knowledge/<article>/<id>.md, the files the
// engine embeds at build time, so the peers index exactly the same knowledge.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/** The saved Learn articles beside the repository (`../shared/sources`), or null. */
export function findSources(root) {
  const sources = join(root, '..', 'shared', 'sources');
  return existsSync(join(sources, 'INDEX.md')) ? sources : null;
}

/** Learn's anchor for a heading: lowercase, spaces to `-`, punctuation but `-` and `_` dropped. */
const anchorOf = (heading) => [...heading.toLowerCase()]
  .filter((c) => c === ' ' || c === '-' || c === '_' || /[\p{L}\p{N}]/u.test(c))
  .map((c) => (c === ' ' ? '-' : c)).join('');

/**
 * Every heading (H2-H4) of every saved article as a section, as a docs search would index
 * them: its URL with the anchor, title and text (and the entries' other fields, empty).
 */
export function loadLearnSections(sources) {
  const index = readFileSync(join(sources, 'INDEX.md'), 'utf8');
  const urls = Object.fromEntries([...index.matchAll(/^\| ([\w.-]+\.md) \| (https:\/\/learn\.microsoft\.com\/\S+) \|/gm)]
    .map((m) => [m[1], m[2]]));
  const out = [];
  for (const file of readdirSync(join(sources, 'azure-docs'))) {
    if (!urls[file]) continue;
    const seen = new Map();
    let inCode = false;
    let current = null;
    for (const line of readFileSync(join(sources, 'azure-docs', file), 'utf8').split('\n')) {
      const trimmed = line.trimStart();
      if (trimmed.startsWith('```')) inCode = !inCode;
      const heading = !inCode && /^(#{2,4}) (.+)$/.exec(trimmed);
      if (heading) {
        const base = anchorOf(heading[2].trim());
        const count = seen.get(base) ?? 0;
        seen.set(base, count + 1);
        current = {
          id: out.length, source: `${urls[file]}#${count ? `${base}-${count}` : base}`, title: heading[2].trim(), body: '',
          codes: [], messages: [], keywords: [], connectors: [],
        };
        out.push(current);
      } else if (current) {
        current.body += `${line}\n`;
      }
    }
  }
  return out;
}
