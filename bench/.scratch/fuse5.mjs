import { loadEntries, loadEval } from '../lib/knowledge.mjs';
import Fuse from 'fuse.js';
const entries = loadEntries('../crate/knowledge');
const cases = loadEval('../tests/data/eval.jsonl').filter((_, i) => i % 8 === 0);
const docs = entries.map((e) => ({ source: e.source, title: e.title, codes: e.codes.join(' '), messages: e.messages.join('\n'), keywords: e.keywords.join(', '), connectors: e.connectors.join(', '), body: e.body }));
const names = ['codes', 'messages', 'title', 'keywords', 'connectors', 'body'];
const keysW = [{ name: 'codes', weight: 3 }, { name: 'messages', weight: 3 }, { name: 'title', weight: 2 }, { name: 'keywords', weight: 1 }, { name: 'connectors', weight: 1 }, { name: 'body', weight: 0.5 }];
const variants = {
  tok0eqNorm: { includeScore: true, ignoreLocation: true, threshold: 0.0, useTokenSearch: true, ignoreFieldNorm: true, keys: names },
  tok0wNorm: { includeScore: true, ignoreLocation: true, threshold: 0.0, useTokenSearch: true, ignoreFieldNorm: true, keys: keysW },
  tok02eqNorm: { includeScore: true, ignoreLocation: true, threshold: 0.2, useTokenSearch: true, ignoreFieldNorm: true, keys: names },
  tok0eqNormNoBody: { includeScore: true, ignoreLocation: true, threshold: 0.0, useTokenSearch: true, ignoreFieldNorm: true, keys: names.slice(0,5) },
};
for (const [name, opts] of Object.entries(variants)) {
  const f = new Fuse(docs, opts);
  let t1 = 0, t3 = 0, lab = 0; const t0 = performance.now(); const ratios = [];
  for (const c of cases) {
    const r = f.search(c.text, { limit: 5 });
    if (c.expected) { lab++; t1 += r[0]?.item.source === c.expected; t3 += r.slice(0,3).some(x=>x.item.source === c.expected); }
    ratios.push([c.expected ? (r[0]?.item.source === c.expected ? 'R' : 'W') : 'N', r[0]?.score.toFixed(3), r[1]?.score.toFixed(3)].join(':'));
  }
  console.log(name, (t1 / lab).toFixed(3), (t3/lab).toFixed(3), ((performance.now() - t0) / cases.length).toFixed(1), 'ms/q', cases.length, ratios.join(' '));
}
