#!/usr/bin/env node
// Accuracy on texts the team did not write: the engine against a docs search over the saved
// Microsoft Learn articles (MiniSearch and Fuse.js indexing every section, queried with the
// whole paste), on the development, field and foreign sets. Writes its section of
// bench/RESULTS.md.
//
//   node bench/field.mjs      (after ./build.sh; needs ../shared/sources beside the checkout)
//
// The peers can answer any section of the articles; the engine only the sections its knowledge
// holds. Figures are given both over the cases the knowledge can answer and over every labelled
// case.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = dirname(fileURLToPath(import.meta.url));
const root = join(bench, '..');
const sources = join(root, '..', 'shared', 'sources');
if (!existsSync(join(sources, 'INDEX.md'))) {
  console.log(`skipped: the saved Learn articles are not at ${sources}`);
  process.exit(0);
}
if (!existsSync(join(bench, 'node_modules', 'minisearch'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
}
const { default: MiniSearch } = await import('minisearch');
const { default: Fuse } = await import('fuse.js');
const { MINISEARCH_CONFIDENT_RATIO, FUSE_CONFIDENT_BELOW } = await import('./lib/peers.mjs');
const { loadLearnSections } = await import('./lib/knowledge.mjs');

const docs = loadLearnSections(sources);
const mini = new MiniSearch({
  fields: ['title', 'body'],
  storeFields: ['source'],
  searchOptions: { boost: { title: 2 }, combineWith: 'OR', fuzzy: 0.1, prefix: false },
});
mini.addAll(docs);
const fuse = new Fuse(docs, { includeScore: true, useTokenSearch: true, threshold: 0, ignoreLocation: true, ignoreFieldNorm: true, keys: ['title', 'body'] });

const cli = join(root, 'target', 'release', 'adf-troubleshooter');
execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'adf-troubleshooter'], { cwd: root, stdio: 'inherit' });
const known = new Set(execFileSync(cli, ['list', '--json'], { encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l).source));

/** Each system answers a text with a ranked list of sources and whether it is confident. */
const systems = {
  'ADF Troubleshooter': (texts) => execFileSync(cli, ['explain', '--jsonl'], {
    input: texts.map((text) => JSON.stringify({ text })).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28,
  }).trim().split('\n').map((line) => {
    const d = JSON.parse(line);
    return { sources: d.matches.map((m) => m.source), confident: d.matches[0]?.confidence === 'high' };
  }),
  MiniSearch: (texts) => texts.map((text) => {
    const r = mini.search(text).slice(0, 5);
    const confident = r.length === 1 || (r.length > 1 && r[0].score >= MINISEARCH_CONFIDENT_RATIO * r[1].score);
    return { sources: r.map((x) => x.source), confident };
  }),
  'Fuse.js': (texts) => texts.map((text) => {
    // Token search over a long paste: the first 400 words are the error; the rest is stack.
    const r = fuse.search(text.split(/\s+/).slice(0, 400).join(' '), { limit: 5 });
    return { sources: r.map((x) => x.item.source), confident: r.length > 0 && r[0].score < FUSE_CONFIDENT_BELOW };
  }),
};

const sets = ['eval', 'field', 'foreign'].map((name) => ({
  name,
  cases: readFileSync(join(root, 'tests', 'data', `${name}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    .map((c) => ({ text: c.text, expected: c.expected === null ? [] : [c.expected].flat() })),
}));

const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}% (${n}/${d})` : 'n/a');
const rows = [];
for (const set of sets) {
  for (const [system, answer] of Object.entries(systems)) {
    const started = performance.now();
    const answers = answer(set.cases.map((c) => c.text));
    const ms = performance.now() - started;
    const t = { answerable: 0, top1: 0, top3: 0, labelled: 0, top1All: 0, top3All: 0, confidentWrong: 0, confident: 0 };
    set.cases.forEach((c, i) => {
      const a = answers[i];
      const right = (s) => c.expected.includes(s);
      t.confident += a.confident ? 1 : 0;
      if (a.confident && !right(a.sources[0])) t.confidentWrong += 1;
      if (!c.expected.length) return;
      t.labelled += 1;
      t.top1All += right(a.sources[0]) ? 1 : 0;
      t.top3All += a.sources.slice(0, 3).some(right) ? 1 : 0;
      if (!c.expected.some((e) => known.has(e))) return;
      t.answerable += 1;
      t.top1 += right(a.sources[0]) ? 1 : 0;
      t.top3 += a.sources.slice(0, 3).some(right) ? 1 : 0;
    });
    rows.push([set.name, system, pct(t.top1, t.answerable), pct(t.top3, t.answerable), pct(t.top1All, t.labelled),
      pct(t.top3All, t.labelled), pct(t.confidentWrong, set.cases.length), pct(t.confident, set.cases.length),
      `${(ms / set.cases.length).toFixed(2)} ms`]);
  }
}

const header = ['Set', 'System', 'Top-1 (answerable)', 'Top-3 (answerable)', 'Top-1 (all labelled)', 'Top-3 (all labelled)', 'Confident and wrong', 'Confident at all', 'Time per text'];
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
const section = `<!-- field-sets:start -->
## Accuracy on texts the team did not write

Generated by \`node bench/field.mjs\` at commit \`${commit}\` (${new Date().toISOString().slice(0, 10)}). Sets: \`eval\`, the
development set written from the articles; \`field\`, real error texts users pasted in public GitHub
issues, labelled from the saved articles; \`foreign\`, real errors of other tools (every answer there is
wrong). The peers index all ${docs.length} headed sections of the 47 saved Learn troubleshooting
articles, as a docs search would, and are queried with the whole text; "confident" for the engine is
\`high\`, for MiniSearch a best score at least ${MINISEARCH_CONFIDENT_RATIO}x the second, for Fuse.js a best score below
${FUSE_CONFIDENT_BELOW}. *Answerable*: cases whose section the engine's knowledge holds (${known.size} sections); the
peers may also find sections the knowledge does not hold yet, counted in *all labelled*. Times are
for the whole set in one process (the engine: the release CLI in \`--jsonl\` mode, start-up included).

${table}
<!-- field-sets:end -->`;

const resultsPath = join(bench, 'RESULTS.md');
const results = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
const marked = /<!-- field-sets:start -->[\s\S]*<!-- field-sets:end -->/;
writeFileSync(resultsPath, marked.test(results) ? results.replace(marked, section) : `${results.trimEnd()}\n\n${section}\n`);
console.log(section);
