// Where a diagnosis spends its time in wasm: V8's CPU profiler on the engine built with function
// names (build/pkg: wasm-bindgen's output before wasm-opt strips the names), printed as JSON.
//   node bench/lib/wasm-profile.mjs <build/pkg dir> <input size in bytes> <eval.jsonl>
//   node bench/lib/wasm-profile.mjs <build/pkg dir> eval <eval.jsonl>   (the middle half of the texts by length, in turn)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Session } from 'node:inspector/promises';
import { padded } from './inputs.mjs';

const [dir, size, evalPath] = process.argv.slice(2);
const glue = await import(pathToFileURL(join(dir, 'adf_troubleshooter.js')).href);
glue.initSync({ module: readFileSync(join(dir, 'adf_troubleshooter_bg.wasm')) });
const evalTexts = readFileSync(evalPath, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).text);
// For the evaluation set, the middle half of its texts by length: the median query's profile,
// which the few long texts would otherwise dominate.
const middleHalf = (all) => [...all].sort((a, b) => a.length - b.length).slice(all.length >> 2, all.length - (all.length >> 2));
const texts = size === 'eval' ? middleHalf(evalTexts) : [padded(evalTexts[0], Number(size))];
for (let i = 0; i < 300; i++) glue.explain(texts[i % texts.length]); // past tier-up
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 50 });
await session.post('Profiler.start');
let calls = 0;
const end = performance.now() + 1500;
while (performance.now() < end) {
  glue.explain(texts[calls % texts.length]);
  calls++;
}
const { profile } = await session.post('Profiler.stop');
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const clean = (name) => name.replace(/\[[0-9a-f]+\]/g, '').replace(/::h[0-9a-f]{16}$/, '');

/** The pipeline stage of a function, when its name says it. */
function stageOf(name) {
  if (/adf_troubleshooter::normalize::/.test(name)) return 'cleaning (normalize)';
  if (/adf_troubleshooter::facts::/.test(name)) return 'facts (patterns, embedded JSON)';
  if (/adf_troubleshooter::(matcher|automaton)::|daachorse::/.test(name)) return 'ranking (matcher, automaton)';
  // Without these, everything `scoring::rank` calls outside the matcher lands in its caller's
  // stage, `diagnosis::explain_with`.
  if (/adf_troubleshooter::(suggest|bm25)::/.test(name)) return 'related text (BM25)';
  if (/adf_troubleshooter::(scoring|fold)::/.test(name)) return 'ranking (weights, folding)';
  if (/adf_troubleshooter::card::/.test(name)) return 'card';
  if (/serde_wasm_bindgen|adf_troubleshooter::wasm::to_js|^JS __wbg/.test(name)) return 'conversion to JS objects';
  if (/adf_troubleshooter::diagnosis::/.test(name)) return 'diagnosis (evidence, offsets)';
  if (/^JS passStringToWasm0|^JS (explain|getStringFromWasm0|takeFromExternrefTable0)/.test(name)) return 'JS glue (string copy)';
  return null;
}
/** Each sample goes to the nearest enclosing function that names a stage. */
function stageOfNode(id) {
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const frame = nodes.get(at).callFrame;
    const name = frame.url.startsWith('wasm://') ? clean(frame.functionName) : `JS ${frame.functionName}`;
    const stage = stageOf(name);
    if (stage) return stage;
  }
  return 'other';
}
const byFunction = new Map();
const byStage = new Map();
let total = 0;
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  if (!us || ['(idle)', '(program)', '(root)', '(garbage collector)'].includes(node.callFrame.functionName)) continue;
  const name = node.callFrame.url.startsWith('wasm://') ? clean(node.callFrame.functionName) : `JS ${node.callFrame.functionName || '(anonymous)'}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const stage = stageOfNode(node.id);
  byStage.set(stage, (byStage.get(stage) ?? 0) + us);
  total += us;
}
const perCall = (us) => us / 1000 / calls;
console.log(JSON.stringify({
  bytes: size === 'eval' ? null : Buffer.byteLength(texts[0]),
  texts: texts.length,
  calls,
  msPerCall: perCall(total),
  byStage: [...byStage].sort((a, b) => b[1] - a[1]).map(([s, us]) => [s, perCall(us), us / total]),
  topFunctions: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([f, us]) => [f, perCall(us), us / total]),
}));
