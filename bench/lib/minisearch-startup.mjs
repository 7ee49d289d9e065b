// One fresh start of a docs search (MiniSearch) in Node, printed as JSON: the counterpart of
// wasm-startup.mjs, so that both start-ups are measured the same way (a new process, V8's JIT
// cold), each from its own data to its first answer. bench/run.mjs runs it in new processes.
//   node bench/lib/minisearch-startup.mjs <documents.json> <query file>
// The documents are what a docs search would ship (every section of the saved Learn articles,
// as bench/lib/knowledge.mjs reads them). The libraries are imported before the clock starts,
// while the engine's start-up counts its glue's import: the comparison leans towards MiniSearch.
import { readFileSync } from 'node:fs';
import { PEERS } from './peers.mjs';

const [documentsPath, queryPath] = process.argv.slice(2);
const query = readFileSync(queryPath, 'utf8');
const mini = PEERS.MiniSearch;
const now = () => performance.now();
const t0 = now();
const documents = JSON.parse(readFileSync(documentsPath, 'utf8'));
const t1 = now();
const index = mini.build(documents);
const t2 = now();
const results = mini.search(index, query);
const t3 = now();
console.log(JSON.stringify({
  loadMs: t1 - t0, indexMs: t2 - t1, firstQueryMs: t3 - t2, totalMs: t3 - t0,
  documents: documents.length, answered: results.length > 0,
}));
