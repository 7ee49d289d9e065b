// Throughput of `adf-troubleshooter triage` against the same failures pushed through
// `explain --jsonl` one by one: rows per second on generated diagnostic-archive rows (JSON
// lines, the largest export teams keep), built from the real error shapes of
// tests/data/eval.jsonl. Writes its section of bench/RESULTS.md (between `triage-throughput`
// markers; run.mjs keeps it).
//
//   node bench/triage.mjs                     1,000,000 rows for both
//   node bench/triage.mjs --rows 200000       fewer rows (both commands get the same rows)
//   node bench/triage.mjs --no-build          use the release binary already built
//   --distinct-rows N                         rows of the worst case, every text different (100,000)
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = dirname(fileURLToPath(import.meta.url));
const root = join(bench, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const rows = option('--rows', 1_000_000);
const distinctRows = option('--distinct-rows', 100_000);
const binary = join(root, 'target', 'release', 'adf-troubleshooter');
const work = join(root, 'target', 'bench', 'triage');

if (!args.includes('--no-build')) {
  execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'adf-troubleshooter', '--bin', 'adf-troubleshooter'], { cwd: root, stdio: 'inherit' });
}
mkdirSync(work, { recursive: true });

// The real error shapes: every monitoring-output error object of the development set.
const seeds = readFileSync(join(root, 'tests', 'data', 'eval.jsonl'), 'utf8').split('\n').filter(Boolean)
  .map((line) => { try { return JSON.parse(JSON.parse(line).text); } catch { return null; } })
  .filter((e) => e && typeof e === 'object' && e.errorCode && typeof e.message === 'string');

// A deterministic generator: runs recur (the same problem night after night) with details that
// vary (dates, numbers in paths and IDs), as real logs do.
let state = 14;
const random = () => { state = (state * 1103515245 + 12345) % 2147483648; return state / 2147483648; };
const pick = (list) => list[Math.floor(random() * list.length)];
const hex = (n) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
const pipelines = Array.from({ length: 120 }, (_, i) => `PL_${pick(['Ingest', 'Load', 'Export', 'Sync', 'Archive'])}_${pick(['Sales', 'HR', 'Finance', 'Shop', 'Events', 'Partners'])}_${i}`);
const runtimes = ['AutoResolveIntegrationRuntime (West Europe)', 'shir-fabrikam-01', 'shir-fabrikam-02', 'ir-managed-vnet-weu'];
const start = Date.parse('2024-06-01T00:00:00Z');

function variant(seed, n) {
  // About 40 variants of each message: the numbers in it change, as dates and sizes do.
  let k = 0;
  const message = seed.message.replace(/\d+/g, (digits) => (k++ < 2 ? String((Number(digits.slice(0, 6)) + n) % 10 ** digits.length).padStart(digits.length, '0') : digits));
  return { errorCode: seed.errorCode, message, failureType: seed.failureType ?? 'UserError', target: seed.target ?? 'Copy1' };
}

const archive = join(work, 'PT1H.json');
const texts = join(work, 'explain.jsonl');
const distinctArchive = join(work, 'distinct.json');
/** `count` rows into `archivePath` (and their texts into `textsPath`); `distinct`: every message
 * different, the worst case, where nothing is diagnosed only once. */
async function generate(count, archivePath, textsPath, distinct) {
  const a = createWriteStream(archivePath);
  const t = createWriteStream(textsPath);
  const write = (stream, text) => (stream.write(text) ? null : new Promise((r) => stream.once('drain', r)));
  for (let i = 0; i < count; i++) {
    const error = variant(pick(seeds), Math.floor(random() * 40));
    if (distinct) error.message += ` (batch ${i})`;
    const pipeline = pick(pipelines);
    const when = new Date(start + Math.floor(random() * 30 * 86400000)).toISOString();
    const record = {
      Level: 4, correlationId: guid(), time: when, activityRunId: guid(), pipelineRunId: guid(),
      resourceId: '/SUBSCRIPTIONS/0B1C2D3E-4F50-6172-8394-A5B6C7D8E9F0/RESOURCEGROUPS/RG-DATA-PROD/PROVIDERS/MICROSOFT.DATAFACTORY/FACTORIES/ADF-FABRIKAM-PROD',
      category: 'ActivityRuns', level: 'Error', operationName: `${error.target} - Failed`, pipelineName: pipeline,
      activityName: error.target, start: when, end: when,
      properties: { Input: {}, Output: { effectiveIntegrationRuntime: pick(runtimes) }, Error: error, Annotations: [], UserProperties: {} },
    };
    // What triage diagnoses for this row (the error object without its target), one by one.
    const text = JSON.stringify({ errorCode: error.errorCode, message: error.message, failureType: error.failureType });
    const p1 = write(a, `${JSON.stringify(record)}\n`);
    const p2 = write(t, `${JSON.stringify({ text })}\n`);
    if (p1) await p1;
    if (p2) await p2;
  }
  await Promise.all([new Promise((r) => a.end(r)), new Promise((r) => t.end(r))]);
}

/** Runs `command` with /usr/bin/time: wall seconds and peak memory (KB). */
function timed(argv, stdinFile = '/dev/null', stdoutFile = '/dev/null', env = '') {
  const script = `${env} /usr/bin/time -f '%e %M' ${argv.map((a) => `'${a}'`).join(' ')} < '${stdinFile}' > '${stdoutFile}'`;
  const started = process.hrtime.bigint();
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  const [, peak] = result.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds: wall, peakKB: peak };
}

console.log(`generating ${rows.toLocaleString('en-US')} rows from ${seeds.length} error shapes...`);
await generate(rows, archive, texts, false);
const size = statSync(archive).size;
const load = loadavg().map((x) => x.toFixed(2)).join(' ');
console.log('triage...');
const triage = timed([binary, 'triage', '--json', archive], '/dev/null', join(work, 'report.json'));
const report = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8'));
console.log('triage, every text different...');
await generate(distinctRows, distinctArchive, '/dev/null', true);
const distinct = timed([binary, 'triage', '--json', distinctArchive], '/dev/null', join(work, 'distinct-report.json'));
const distinctReport = JSON.parse(readFileSync(join(work, 'distinct-report.json'), 'utf8'));
const oneThread = timed([binary, 'triage', '--json', distinctArchive], '/dev/null', '/dev/null', 'RAYON_NUM_THREADS=1');
console.log('explain --jsonl...');
const explain = timed([binary, 'explain', '--jsonl', '-'], texts);
const loadAfter = loadavg().map((x) => x.toFixed(2)).join(' ');
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const perSecond = (s) => rows / s;
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
const section = `<!-- triage-throughput:start -->
## Triage throughput

Generated by \`node bench/triage.mjs${rows === 1_000_000 ? '' : ` --rows ${rows}`}\` at commit \`${commit}\` (${new Date().toISOString().slice(0, 10)}) on ${cpus().length} cores (${cpus()[0].model.trim()}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average ${load} before, ${loadAfter} after (other work shared the machine).
${fmt(rows)} failed activity runs as a diagnostic-settings archive (JSON lines, ${(size / 1e6).toFixed(0)} MB), built from the ${seeds.length} monitoring-output error objects of \`tests/data/eval.jsonl\` with the numbers in their messages varied (up to 40 variants each, as dates and sizes vary night to night; a message without numbers stays one text), 120 pipelines, 4 integration runtimes, 30 days. The same rows' error texts went through \`explain --jsonl\`, one diagnosis per line. Both with the release binary; wall time and peak resident memory from \`/usr/bin/time\`.

| Command | Rows | Time | Rows per second | Peak memory |
|---|---:|---:|---:|---:|
| \`triage --json\` (read, diagnose each distinct text once across the cores, group, cluster) | ${fmt(rows)} | ${triage.seconds.toFixed(1)} s | ${fmt(perSecond(triage.seconds))} | ${(triage.peakKB / 1024).toFixed(0)} MB |
| \`explain --jsonl\` (every row diagnosed, one by one) | ${fmt(rows)} | ${explain.seconds.toFixed(1)} s | ${fmt(perSecond(explain.seconds))} | ${(explain.peakKB / 1024).toFixed(0)} MB |
| \`triage --json\`, worst case: every message different (\`(batch N)\` appended) | ${fmt(distinctRows)} | ${distinct.seconds.toFixed(1)} s | ${fmt(distinctRows / distinct.seconds)} | ${(distinct.peakKB / 1024).toFixed(0)} MB |
| the same worst case on one thread (\`RAYON_NUM_THREADS=1\`) | ${fmt(distinctRows)} | ${oneThread.seconds.toFixed(1)} s | ${fmt(distinctRows / oneThread.seconds)} | ${(oneThread.peakKB / 1024).toFixed(0)} MB |

Triage is ${(explain.seconds / triage.seconds).toFixed(1)}x faster here: of the ${fmt(rows)} rows, ${fmt(report.totals.distinct_texts)} distinct error texts needed a diagnosis (${report.groups.length} known problems, ${report.unexplained.length} unexplained templates); the rest is reading and grouping. In the worst case (${fmt(distinctReport.totals.distinct_texts)} distinct texts in ${fmt(distinctRows)} rows) every row is diagnosed as \`explain\` does it, plus reading its record: on one thread triage runs at ${((distinctRows / oneThread.seconds) / perSecond(explain.seconds)).toFixed(2)}x the rows per second of \`explain --jsonl\`, and the cores give ${(oneThread.seconds / distinct.seconds).toFixed(2)}x over one thread here (${(distinctRows / distinct.seconds / perSecond(explain.seconds)).toFixed(2)}x \`explain --jsonl\`), as much as the other work on the machine left free. Memory stays bounded: records are read and handed on ${'4,096'} at a time, the answer cache holds at most 500,000 texts, each group keeps at most 200 names per column and 3 examples, and at most 1,000 templates are listed.
<!-- triage-throughput:end -->`;

const resultsPath = join(bench, 'RESULTS.md');
const results = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : '';
const marked = /<!-- triage-throughput:start -->[\s\S]*<!-- triage-throughput:end -->/;
writeFileSync(resultsPath, marked.test(results) ? results.replace(marked, section) : `${results.trimEnd()}\n\n${section}\n`);
console.log(section);
