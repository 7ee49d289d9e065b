// Where a fresh engine's first answer spends its time in wasm: V8's CPU profiler from the module's
// instantiation to the end of the first diagnosis, on the engine built with function names
// (build/pkg), printed as JSON. Each start can be measured once per process, so bench/run.mjs
// runs it in new processes and sums their samples.
//   node bench/lib/wasm-startup-profile.mjs <build/pkg dir>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Session } from 'node:inspector/promises';

const dir = process.argv[2];
const glue = await import(pathToFileURL(join(dir, 'adf_troubleshooter.js')).href);
const module = new WebAssembly.Module(readFileSync(join(dir, 'adf_troubleshooter_bg.wasm')));
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 25 });
await session.post('Profiler.start');
glue.initSync({ module });
glue.explain('ErrorCode=InvalidGatewayKey');
const { profile } = await session.post('Profiler.stop');
const clean = (name) => name.replace(/\[[0-9a-f]+\]/g, '').replace(/::h[0-9a-f]{16}$/, '');
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
const nameOf = (node) => (node.callFrame.url.startsWith('wasm://') ? clean(node.callFrame.functionName) : `JS ${node.callFrame.functionName || '(anonymous)'}`);
/** What part of the start a sample belongs to: the outermost engine step on its stack. */
const STEPS = [
  [/knowledge::entries/, 'read the entries'],
  [/Index::shared/, 'read the index (automata, tables)'],
  [/Related::shared/, 'read the related-text tables'],
  [/facts::/, 'facts (first use: the fixed-word automaton)'],
  [/TeamKnowledge::build/, 'empty team rules'],
];
function stepOf(id) {
  let step = 'the diagnosis itself and the glue';
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const name = nameOf(nodes.get(at));
    const found = STEPS.find(([pattern]) => pattern.test(name));
    if (found) step = found[1];
  }
  return step;
}
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const bySteps = new Map();
const byFunction = new Map();
for (const node of profile.nodes) {
  const us = self.get(node.id) ?? 0;
  if (!us || ['(idle)', '(program)', '(root)', '(garbage collector)'].includes(node.callFrame.functionName)) continue;
  const step = stepOf(node.id);
  bySteps.set(step, (bySteps.get(step) ?? 0) + us);
  byFunction.set(nameOf(node), (byFunction.get(nameOf(node)) ?? 0) + us);
}
console.log(JSON.stringify({ bySteps: Object.fromEntries(bySteps), byFunction: Object.fromEntries(byFunction) }));
