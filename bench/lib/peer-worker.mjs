// Runs one peer over a share of the evaluation cases in a worker thread (the slow peer's
// accuracy pass uses both cores); posts back each case's ranked answer and its time.
import { parentPort, workerData } from 'node:worker_threads';
import { loadEntries } from './knowledge.mjs';
import { PEERS } from './peers.mjs';

const { peer, knowledgeDir, cases } = workerData;
const { build, search } = PEERS[peer];
const index = build(loadEntries(knowledgeDir));
const out = [];
for (const { i, text } of cases) {
  const start = performance.now();
  const results = search(index, text);
  out.push({ i, results, ms: performance.now() - start });
}
parentPort.postMessage(out);
