#!/usr/bin/env node
// ADF Troubleshooter benchmarks: accuracy and latency against Fuse.js and MiniSearch, scaling
// of the knowledge base, input sizes, the extension's costs in Chromium, and the project's
// performance budgets. One command, from the repository root or anywhere:
//
//   node bench/run.mjs              builds (./build.sh), measures everything, writes bench/RESULTS.md
//   node bench/run.mjs --no-build   measures the dist/ and build/ already there
//
// Raw numbers go to target/bench/results.json. Needs what ./build.sh sets up, Debian's
// chromium (as `./build.sh test` installs it), and bench/'s npm packages (installed here with
// `npm ci` when missing).
import { execFileSync, execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = dirname(fileURLToPath(import.meta.url));
const root = join(bench, '..');
const args = new Set(process.argv.slice(2));
const started = Date.now();
const loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}`);
const sh = (command, options = {}) => execSync(command, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
const tryShell = (command) => { try { return sh(command); } catch { return null; } };

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) throw new Error(`${chromium} is missing: \`./build.sh test\` installs Debian's chromium`);
if (!existsSync(join(bench, 'node_modules', 'fuse.js')) || !existsSync(join(bench, 'node_modules', 'minisearch'))) {
  log('installing bench/ npm packages');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
}
if (!args.has('--no-build')) {
  log('building (./build.sh)');
  execFileSync('./build.sh', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

// Imported after the install step: these need bench/node_modules.
const { loadEntries, loadEval, loadLearnSections, findSources } = await import('./lib/knowledge.mjs');
const { padded, SIZES, fnv1a } = await import('./lib/inputs.mjs');
const { sizes, buildPaths } = await import('./lib/sizes.mjs');
const { nodeBench, wasmStartups, minisearchStartups, wasmStartupProfile, wasmProfile } = await import('./lib/node-bench.mjs');
const { browserBench } = await import('./lib/browser.mjs');
const { buildWithOneGuide } = await import('./lib/small-knowledge.mjs');
const { documents, MINISEARCH_OPTIONS } = await import('./lib/peers.mjs');
const { writeReport } = await import('./lib/report.mjs');

const knowledgeDir = join(root, 'crate', 'knowledge');
const evalPath = join(root, 'tests', 'data', 'eval.jsonl');
const entries = loadEntries(knowledgeDir);
const sources = findSources(root);
const learnSections = sources ? loadLearnSections(sources) : null;
const cases = loadEval(evalPath);
const inputs = Object.fromEntries(SIZES.map(([name, size]) => [name, padded(cases[0].text, size)]));

const pkg = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
const wasmBindgen = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(readFileSync(join(root, 'Cargo.lock'), 'utf8'))?.[1];
const cpuInfo = readFileSync('/proc/cpuinfo', 'utf8');
const environment = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  commit: tryShell('git rev-parse --short HEAD'),
  dirty: Boolean(tryShell("git status --porcelain --untracked-files=no -- . ':!bench/RESULTS.md'")),
  cpu: /model name\s*:\s*(.*)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model,
  cores: cpus().length,
  os: `${/PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux'}, kernel ${tryShell('uname -r')}`,
  loadBefore: loadAtStart,
  memory: `${Math.round(Number(/MemTotal:\s*(\d+)/.exec(readFileSync('/proc/meminfo', 'utf8'))[1]) / 1024 / 1024)} GiB`,
  rustc: tryShell('rustc --version'),
  node: process.version,
  chromium: tryShell(`${chromium} --version 2>/dev/null`)?.split('\n').pop(),
  packages: {
    'fuse.js': pkg(join(bench, 'node_modules', 'fuse.js')),
    minisearch: pkg(join(bench, 'node_modules', 'minisearch')),
    'playwright-core': pkg(join(root, 'node_modules', 'playwright-core')),
    binaryen: pkg(join(root, 'node_modules', 'binaryen')),
    'wasm-bindgen': wasmBindgen,
    criterion: /name = "criterion"\nversion = "([^"]+)"/.exec(readFileSync(join(root, 'Cargo.lock'), 'utf8'))?.[1],
  },
};

const releaseOptLevel = /\[profile\.release\][^[]*?opt-level\s*=\s*("?[0-9sz]"?)/.exec(readFileSync(join(root, 'Cargo.toml'), 'utf8'))?.[1] ?? null;
const results = { environment, releaseOptLevel, entries: entries.length, cases: cases.length, evalBytes: cases.map((c) => Buffer.byteLength(c.text)) };

// Everything measures one snapshot of the build, taken now: a rebuild while the benchmarks run
// (the end-to-end tests, another terminal) must not mix two builds in one report.
log('snapshot of the build, sizes');
const snapshot = join(root, 'target', 'bench', 'snapshot');
const built = buildPaths(root);
rmSync(snapshot, { recursive: true, force: true });
mkdirSync(snapshot, { recursive: true });
cpSync(built.dist, join(snapshot, 'dist'), { recursive: true });
cpSync(built.pkg, join(snapshot, 'pkg'), { recursive: true });
if (existsSync(built.zip)) cpSync(built.zip, join(snapshot, basename(built.zip)));
const paths = buildPaths(root, snapshot);
results.sizes = sizes(root, paths);

log('native engine: cargo bench (criterion, then per-query latencies and scaling)');
mkdirSync(join(root, 'target', 'bench'), { recursive: true });
const nativeJson = join(root, 'target', 'bench', 'native.json');
try {
  execFileSync('cargo', ['bench', '--quiet', '-p', 'adf-troubleshooter', '--bench', 'explain', '--', '--quiet'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ADF_BENCH_JSON: nativeJson }, maxBuffer: 64 << 20,
  });
} catch (error) {
  process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
  throw new Error('cargo bench failed');
}
results.native = JSON.parse(readFileSync(nativeJson, 'utf8'));
results.criterion = {};
// Criterion's directories: the group name with '/' as '_', then the benchmark id.
const criterionIds = [...SIZES.map(([n]) => ['explain/input', n]), ['explain', 'eval_set'], ['scaling/startup', '1x'],
  ['scaling/startup', '10x'], ['scaling/eval_set', '1x'], ['scaling/eval_set', '10x'], ['scaling/eval_set', '100x']];
for (const [group, id] of criterionIds) {
  const file = join(root, 'target', 'criterion', group.replaceAll('/', '_'), id, 'new', 'estimates.json');
  if (!existsSync(file)) continue;
  const e = JSON.parse(readFileSync(file, 'utf8'));
  results.criterion[`${group}/${id}`] = { medianNs: e.median.point_estimate, low: e.median.confidence_interval.lower_bound, high: e.median.confidence_interval.upper_bound };
}
for (const [name, text] of Object.entries(inputs)) {
  if (results.native.inputs[name].fnv1a !== fnv1a(text)) throw new Error(`the ${name} input differs between Rust and JS`);
}

log('engine and docs-search start-ups in fresh Node processes');
// Both answer the first evaluation text, as the service worker's cold start in Chromium does.
const firstQuery = join(root, 'target', 'bench', 'first-query.txt');
writeFileSync(firstQuery, cases[0].text);
const docsJson = join(root, 'target', 'bench', 'docs-search-documents.json');
writeFileSync(docsJson, JSON.stringify(learnSections ?? entries));
results.wasmStartups = wasmStartups(join(paths.dist, 'engine'), firstQuery);
results.minisearchStartups = minisearchStartups(docsJson, firstQuery);
log('where a fresh engine\'s first answer spends its time in wasm (CPU profile)');
results.wasmStartupProfile = wasmStartupProfile(paths.pkg);
log('where a 10 KB diagnosis spends its time in wasm (CPU profile)');
results.wasmProfile = wasmProfile(paths.pkg, 10 * 1024, evalPath);
results.evalProfile = wasmProfile(paths.pkg, 'eval', evalPath);

results.node = await nodeBench({ engineDir: join(paths.dist, 'engine'), knowledgeDir, entries, learnSections, cases, inputs, log });

log('Chromium: wasm in an extension page, content script, service worker');
const miniSearch = {
  source: readFileSync(join(bench, 'node_modules', 'minisearch', 'dist', 'umd', 'index.js'), 'utf8'),
  documents: documents(entries),
  options: MINISEARCH_OPTIONS,
};
log('building the extension over one article\'s knowledge (the first evaluation text\'s)');
const { dist: smallDist, ...smallKnowledge } = buildWithOneGuide(root, /\/azure\/data-factory\/([^#/]+)#/.exec(cases[0].expected)?.[1]);
results.browser = await browserBench({ extension: paths.dist, evalTexts: cases.map((c) => c.text), inputs, miniSearch, smallKnowledgeDist: smallDist, log });
results.browser.smallKnowledge = smallKnowledge;

results.durationS = Math.round((Date.now() - started) / 1000);
environment.loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
writeFileSync(join(root, 'target', 'bench', 'results.json'), JSON.stringify(results, null, 1));
writeReport(join(bench, 'RESULTS.md'), results);
log(`done: bench/RESULTS.md (raw numbers: target/bench/results.json), ${((Date.now() - started) / 1000).toFixed(0)} s`);
