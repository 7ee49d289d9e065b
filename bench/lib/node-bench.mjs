// In one Node process: the engine as wasm (dist/engine, as shipped) and the two peers, each
// on the evaluation set (accuracy and per-query latency) and the padded inputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { execFileSync } from 'node:child_process';
import { perCallMs } from './timing.mjs';
import { score } from './accuracy.mjs';
import {
  PEERS, FUSE_CONFIDENT_BELOW, FUSE_THRESHOLDS, MINISEARCH_CONFIDENT_RATIO, MINISEARCH_RATIOS,
  FUSE_OPTIONS, MINISEARCH_OPTIONS,
} from './peers.mjs';

const here = new URL('.', import.meta.url);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const freshRuns = (script, args, runs) => Array.from({ length: runs }, () => JSON.parse(
  execFileSync(process.execPath, [new URL(script, here).pathname, ...args], { encoding: 'utf8' })));

/** Fresh engine start-ups, each in a new Node process, answering the text in `queryPath`. */
export function wasmStartups(engineDir, queryPath, runs = 5) {
  return freshRuns('wasm-startup.mjs', [engineDir, queryPath], runs);
}

/** Fresh docs-search start-ups (MiniSearch indexing the documents in `documentsPath`, then
 * answering the text in `queryPath`), each in a new Node process. */
export function minisearchStartups(documentsPath, queryPath, runs = 5) {
  return freshRuns('minisearch-startup.mjs', [documentsPath, queryPath], runs);
}

/** Where a fresh engine's first answer spends its time (see wasm-startup-profile.mjs), the
 * samples of `runs` processes summed and averaged per start. */
export function wasmStartupProfile(pkgDir, runs = 5) {
  const bySteps = new Map();
  const byFunction = new Map();
  for (let i = 0; i < runs; i++) {
    const one = JSON.parse(execFileSync(process.execPath, [new URL('wasm-startup-profile.mjs', here).pathname, pkgDir], { encoding: 'utf8' }));
    for (const [k, us] of Object.entries(one.bySteps)) bySteps.set(k, (bySteps.get(k) ?? 0) + us / 1000 / runs);
    for (const [k, us] of Object.entries(one.byFunction)) byFunction.set(k, (byFunction.get(k) ?? 0) + us / 1000 / runs);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return { runs, bySteps: sorted(bySteps), topFunctions: sorted(byFunction).filter(([f]) => f !== 'JS dispatch').slice(0, 12) };
}

/** Where a diagnosis of `bytes` bytes spends its time in wasm (see wasm-profile.mjs). */
export function wasmProfile(pkgDir, bytes, evalPath) {
  return JSON.parse(execFileSync(process.execPath,
    [new URL('wasm-profile.mjs', here).pathname, pkgDir, String(bytes), evalPath], { encoding: 'utf8' }));
}

function inWorkers(peer, knowledgeDir, cases, threads = 2) {
  const shares = Array.from({ length: threads }, (_, t) =>
    cases.map((c, i) => ({ i, text: c.text })).filter(({ i }) => i % threads === t));
  return Promise.all(shares.map((share) => new Promise((resolve, reject) => {
    const worker = new Worker(new URL('peer-worker.mjs', here), { workerData: { peer, knowledgeDir, cases: share } });
    worker.once('message', resolve);
    worker.once('error', reject);
  }))).then((parts) => parts.flat().sort((a, b) => a.i - b.i));
}

export async function nodeBench({ engineDir, knowledgeDir, entries, learnSections, cases, inputs, log = () => {} }) {
  const out = {};
  const texts = cases.map((c) => c.text);

  // The engine, as shipped: dist/engine's module and wasm.
  log('engine (wasm) in Node');
  const glue = await import(pathToFileURL(join(engineDir, 'adf_troubleshooter.js')).href);
  const exports = glue.initSync({ module: readFileSync(join(engineDir, 'adf_troubleshooter_bg.wasm')) });
  const engineAnswers = texts.map((text) => {
    const { matches } = glue.explain(text);
    return { sources: matches.map((m) => m.source), confident: matches[0]?.confidence === 'high' };
  });
  out.engine = {
    accuracy: score(cases, engineAnswers),
    queryMs: texts.map((text) => perCallMs(() => glue.explain(text))),
    sizes: Object.fromEntries(Object.entries(inputs).map(([name, text]) =>
      [name, perCallMs(() => glue.explain(text), { batches: text.length > 1e6 ? 3 : 5 })])),
    wasmMemoryBytes: exports.memory.buffer.byteLength,
  };

  // MiniSearch: fast enough for the full method on every case.
  log('MiniSearch');
  const mini = PEERS.MiniSearch;
  const miniBuilds = Array.from({ length: 5 }, () => {
    const start = performance.now();
    mini.build(entries);
    return performance.now() - start;
  });
  // A docs search's start: index every section of the saved Learn articles (the knowledge's
  // sources), then answer one query. Without the articles (a clone has none), the entries.
  const docs = learnSections ?? entries;
  const miniStarts = Array.from({ length: 5 }, () => {
    const start = performance.now();
    mini.search(mini.build(docs), texts[0]);
    return performance.now() - start;
  });
  const miniIndex = mini.build(entries);
  const miniResults = texts.map((text) => mini.search(miniIndex, text));
  out.minisearch = {
    options: MINISEARCH_OPTIONS,
    confidentRule: `best score >= ${MINISEARCH_CONFIDENT_RATIO} x the second best`,
    buildMs: median(miniBuilds),
    startMs: median(miniStarts),
    startIndexes: learnSections ? `${learnSections.length} sections of the saved Learn articles` : `the ${entries.length} knowledge entries (the saved Learn articles were not found)`,
    accuracy: score(cases, miniResults.map((r) => ({ sources: r.map((x) => x.source), confident: mini.confident(r) }))),
    sweep: MINISEARCH_RATIOS.map((ratio) => ({
      rule: `best >= ${ratio} x second`,
      ...score(cases, miniResults.map((r) => ({ sources: r.map((x) => x.source), confident: mini.confident(r, ratio) }))),
    })),
    queryMs: texts.map((text) => perCallMs(() => mini.search(miniIndex, text))),
    sizes: Object.fromEntries(Object.entries(inputs).filter(([name]) => name === '1KB' || name === '10KB')
      .map(([name, text]) => [name, perCallMs(() => mini.search(miniIndex, text))])),
  };

  // Fuse.js: hundreds of milliseconds per paste. Accuracy over every case in two worker
  // threads (one per core); latency in this process on every 12th case, one call each.
  log('Fuse.js (accuracy, two worker threads)');
  const fuse = PEERS['Fuse.js'];
  const start = performance.now();
  const fuseIndex = fuse.build(entries);
  const fuseBuildMs = performance.now() - start;
  const fuseRuns = await inWorkers('Fuse.js', knowledgeDir, cases);
  const fuseResults = fuseRuns.map((r) => r.results);
  log('Fuse.js (latency)');
  const sample = texts.filter((_, i) => i % 12 === 0);
  for (const text of texts.slice(1, 4)) fuse.search(fuseIndex, text); // warm the JIT
  out.fuse = {
    options: FUSE_OPTIONS,
    confidentRule: `best score < ${FUSE_CONFIDENT_BELOW}`,
    buildMs: fuseBuildMs,
    accuracy: score(cases, fuseResults.map((r) => ({ sources: r.map((x) => x.source), confident: fuse.confident(r) }))),
    sweep: FUSE_THRESHOLDS.map((below) => ({
      rule: `best score < ${below}`,
      ...score(cases, fuseResults.map((r) => ({ sources: r.map((x) => x.source), confident: fuse.confident(r, below) }))),
    })),
    queryMs: sample.map((text) => perCallMs(() => fuse.search(fuseIndex, text), { warmup: false })),
    sampled: `every 12th case (${sample.length} of ${texts.length})`,
    workerQueryMs: fuseRuns.map((r) => r.ms),
    sizes: { '1KB': perCallMs(() => fuse.search(fuseIndex, inputs['1KB']), { warmup: false }) },
  };
  return out;
}
