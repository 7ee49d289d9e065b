import { loadEntries, loadEval } from '../lib/knowledge.mjs';
import Fuse from 'fuse.js';
const entries = loadEntries('../crate/knowledge');
const step = Number(process.argv[2] ?? 8);
const cases = loadEval('../tests/data/eval.jsonl').filter((_, i) => i % step === 0);
const docs = entries.map((e) => ({ source: e.source, title: e.title, codes: e.codes.join(' '), messages: e.messages.join('\n'), keywords: e.keywords.join(', '), connectors: e.connectors.join(', '), body: e.body }));
const keysAll = [{ name: 'codes', weight: 3 }, { name: 'messages', weight: 3 }, { name: 'title', weight: 2 }, { name: 'keywords', weight: 1 }, { name: 'connectors', weight: 1 }, { name: 'body', weight: 0.5 }];
const variants = {
  token02: { includeScore: true, ignoreLocation: true, threshold: 0.2, useTokenSearch: true, keys: keysAll },
  token04: { includeScore: true, ignoreLocation: true, threshold: 0.4, useTokenSearch: true, keys: keysAll },
  token0: { includeScore: true, ignoreLocation: true, threshold: 0.0, useTokenSearch: true, keys: keysAll },
  token02eq: { includeScore: true, ignoreLocation: true, threshold: 0.2, useTokenSearch: true, keys: keysAll.map(k => k.name) },
};
for (const [name, opts] of Object.entries(variants)) {
  const f = new Fuse(docs, opts);
  let t1 = 0, t3 = 0, lab = 0; const nul = [0,0,0,0]; const cr = [0,0,0,0]; const th=[0.3,0.5,0.6,0.7]; const t0 = performance.now();
  for (const c of cases) {
    const r = f.search(c.text, { limit: 5 });
    if (c.expected) { lab++; t1 += r[0]?.item.source === c.expected; t3 += r.slice(0,3).some(x=>x.item.source === c.expected); th.forEach((t,i)=>{ if (r[0] && r[0].score < t && r[0].item.source === c.expected) cr[i]++; }); }
    else th.forEach((t,i)=>{ if (r[0] && r[0].score < t) nul[i]++; });
  }
  console.log(name, (t1 / lab).toFixed(3), (t3/lab).toFixed(3), 'null conf', nul, 'right conf', cr, ((performance.now() - t0) / cases.length).toFixed(1), 'ms/q', cases.length);
}
