import { loadEntries, loadEval } from '/work/main/bench/lib/knowledge.mjs';
import Fuse from 'fuse.js';
const entries = loadEntries('/work/main/crate/knowledge');
const cases = loadEval('/work/main/tests/data/eval.jsonl').filter((_, i) => i % 8 === 0);
const docs = entries.map((e) => ({ source: e.source, title: e.title, codes: e.codes.join(' '), messages: e.messages.join('\n'), keywords: e.keywords.join(', '), connectors: e.connectors.join(', '), body: e.body }));
const keysAll = [{ name: 'codes', weight: 3 }, { name: 'messages', weight: 3 }, { name: 'title', weight: 2 }, { name: 'keywords', weight: 1 }, { name: 'connectors', weight: 1 }, { name: 'body', weight: 0.5 }];
const tok = (t) => [...new Set(t.split(/[^A-Za-z0-9_\-]+/).filter((w) => w.length >= 3))];
const variants = {
  whole03: [{ includeScore: true, ignoreLocation: true, threshold: 0.3, keys: keysAll }, (t) => t],
  whole03nobody: [{ includeScore: true, ignoreLocation: true, threshold: 0.3, keys: keysAll.slice(0, 5) }, (t) => t],
  orTokens03: [{ includeScore: true, ignoreLocation: true, threshold: 0.3, useExtendedSearch: true, keys: keysAll }, (t) => tok(t).join(' | ')],
  orTokens0: [{ includeScore: true, ignoreLocation: true, threshold: 0.0, useExtendedSearch: true, keys: keysAll }, (t) => tok(t).join(' | ')],
  logicalOr02: [{ includeScore: true, ignoreLocation: true, threshold: 0.2, keys: keysAll }, (t) => ({ $or: tok(t).map((w) => ({ $or: keysAll.map((k) => ({ [k.name]: w })) })) })],
};
for (const [name, [opts, q]] of Object.entries(variants)) {
  const f = new Fuse(docs, opts);
  let t1 = 0, lab = 0, nulConf = 0; const t0 = performance.now();
  for (const c of cases) {
    const r = f.search(q(c.text), { limit: 5 });
    if (c.expected) { lab++; t1 += r[0]?.item.source === c.expected; } else if (r[0] && r[0].score < 0.3) nulConf++;
  }
  console.log(name, (t1 / lab).toFixed(3), 'null conf', nulConf, ((performance.now() - t0) / cases.length).toFixed(1), 'ms/q', cases.length);
}
