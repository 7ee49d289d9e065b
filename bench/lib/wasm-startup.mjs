// One fresh start of the engine as wasm in Node, printed as JSON; bench/run.mjs runs it in new
// processes, as each start-up can be measured only once per process.
//   node bench/lib/wasm-startup.mjs <dir with adf_troubleshooter.js and _bg.wasm> [query file]
// The query is the first evaluation text when run.mjs passes it, as for the docs search's start
// (minisearch-startup.mjs) and the service worker's cold start in Chromium.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, queryPath] = process.argv.slice(2);
const query = queryPath ? readFileSync(queryPath, 'utf8') : 'ErrorCode=InvalidGatewayKey';
const now = () => performance.now();
const t0 = now();
const bytes = readFileSync(join(dir, 'adf_troubleshooter_bg.wasm'));
const glue = await import(pathToFileURL(join(dir, 'adf_troubleshooter.js')).href);
const t1 = now();
const module = new WebAssembly.Module(bytes);
const t2 = now();
glue.initSync({ module });
const t3 = now();
// Reads the compiled knowledge (entries, index, related-text tables), then one diagnosis.
glue.explain(query);
const t4 = now();
glue.explain(query);
const t5 = now();
console.log(JSON.stringify({
  loadMs: t1 - t0, compileMs: t2 - t1, instantiateMs: t3 - t2, firstExplainMs: t4 - t3,
  secondExplainMs: t5 - t4, totalMs: t4 - t0,
}));
