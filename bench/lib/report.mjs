// Writes bench/RESULTS.md from the numbers bench/run.mjs collected.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stats } from './timing.mjs';

const median = (xs) => stats(xs).median;
/** A duration in milliseconds, in the unit that reads best. */
function t(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return 'n/a';
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 2 : ms < 0.1 ? 1 : 0)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
const kb = (bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const b = (bytes) => `${bytes.toLocaleString('en-US')} B`;
/** A memory amount: KB or MB (1,000-based, as the budgets). */
const mem = (bytes) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : kb(bytes));
const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : 'n/a');
const frac = (n, d) => `${pct(n, d)} (${n}/${d})`;
const x = (ratio) => (ratio >= 10 ? `${ratio.toFixed(0)}x` : ratio >= 1 ? `${ratio.toFixed(1)}x` : `${ratio.toFixed(2)}x`);
const yes = (ok) => (ok ? '**met**' : '**missed**');
const nsToMs = (ns) => ns / 1e6;
const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** What a burst profile says, in a sentence. */
function burstReading(profile) {
  const [top, ms] = profile.byFunction[0] ?? ['nothing', 0];
  const dom = profile.byFunction.filter(([f]) => f.endsWith('(DOM)')).reduce((sum, [, v]) => sum + v, 0);
  const total = profile.byFunction.reduce((sum, [, v]) => sum + v, 0);
  if (/^querySelectorAll \(DOM\)/.test(top)) {
    return `Document-wide selector queries dominate (\`querySelectorAll\`, ${t(ms)} per burst): the burst made the content script schedule a full scan of the page's candidate regions.`;
  }
  if (top.endsWith('(DOM)')) return `The DOM calls the content script makes dominate (\`${top}\`, ${t(ms)} per burst; DOM calls ${t(dom)} of ${t(total)}).`;
  return `The MutationObserver callback's own JavaScript dominates (\`${top}\`, ${t(ms)} per burst; the DOM calls it makes add ${t(dom)}): it examines the burst's records one by one.`;
}

export function writeReport(path, r) {
  const env = r.environment;
  const native = r.native;
  const nativeQ = stats(native.eval_explain_card_ns.map(nsToMs));
  const nodeQ = stats(r.node.engine.queryMs);
  const chromeQ = stats(r.browser.wasm.queries);
  const miniQ = stats(r.node.minisearch.queryMs);
  // MiniSearch in the extension page beside the engine (runs before it was measured there lack it).
  const miniChromeQ = r.browser.miniSearchQueries ? stats(r.browser.miniSearchQueries) : null;
  const fuseQ = stats(r.node.fuse.queryMs);
  const s = r.sizes;
  const startup = {
    compile: median(r.wasmStartups.map((u) => u.compileMs)),
    instantiate: median(r.wasmStartups.map((u) => u.instantiateMs)),
    first: median(r.wasmStartups.map((u) => u.firstExplainMs)),
    second: median(r.wasmStartups.map((u) => u.secondExplainMs)),
    total: median(r.wasmStartups.map((u) => u.totalMs)),
  };
  const w = r.browser.worker;
  const c = r.browser.content;
  const cold = stats(w.coldFirstAnswerMs);
  // What any extension's worker pays before its own code runs, and this worker's steps.
  const floor = stats(w.minimalExtensionColdMs);
  // The same extension over one article's knowledge, when the run built it.
  const small = w.smallKnowledgeColdMs ? { ...stats(w.smallKnowledgeColdMs), ...r.browser.smallKnowledge } : null;
  const steps = {
    toWorkerStart: median(w.coldSteps.map((r) => r.toWorkerStartMs)),
    toEngineReady: median(w.coldSteps.map((r) => r.toEngineReadyMs)),
    toReply: median(w.coldSteps.map((r) => r.toReplyMs)),
  };
  const warm = stats(w.warmAnswerMs);
  const burst = c.medianBurstDeltaMs;
  const plainBurst = c.plainMedianBurstDeltaMs;
  const worstBurst = Math.max(burst, plainBurst);
  const tenKbNode = r.node.engine.sizes['10KB'];
  const tenKbChrome = r.browser.wasm.sizes['10KB'];
  const mini = r.node.minisearch;
  // A docs search's start measured as the engine's: a fresh process, the JIT cold.
  const miniFresh = {
    total: median(r.minisearchStartups.map((u) => u.totalMs)),
    load: median(r.minisearchStartups.map((u) => u.loadMs)),
    index: median(r.minisearchStartups.map((u) => u.indexMs)),
    first: median(r.minisearchStartups.map((u) => u.firstQueryMs)),
  };
  const firstAnswerMemory = w.memory.afterFirstAnswer.jsHeapUsed + w.memory.afterFirstAnswer.wasmMemory;
  const [scale1, scale10] = native.scaling;
  const q1 = median(scale1.query_ns), q10 = median(scale10.query_ns);
  // Criterion's many samples when it ran; the JSON pass's median of a few runs otherwise.
  const critStart = ['1x', '10x'].map((k) => r.criterion[`scaling/startup/${k}`]?.medianNs);
  const [start1, start10, startHow] = critStart.every(Boolean)
    ? [...critStart, 'criterion `scaling/startup`']
    : [scale1.read_ns, scale10.read_ns, 'median of the JSON pass'];
  const startGrowth = start10 / start1;
  // Linear: in proportion to the knowledge, 10x its entries (its compiled bytes grow less).
  const sizeGrowth = scale10.entries / scale1.entries;
  // [what, limit, measured, met, measured / limit (for the borderline note)]
  const budgets = [
    ['Service worker cold start to first answer (Chromium)', '≤ 30 ms', `median ${t(cold.median)} (p95 ${t(cold.p95)}, ${w.coldFirstAnswerMs.length} cold starts; a minimal extension's worker: ${t(floor.median)}, so the engine's share is ${t(cold.median - floor.median)})`, cold.median <= 30, cold.median / 30],
    ['— against a docs search starting: MiniSearch indexing and one query (same run; each in fresh Node processes, from its data to its first answer)', '≤ 0.25x', `${x(startup.total / miniFresh.total)} (engine ${t(startup.total)}, MiniSearch ${t(miniFresh.total)} over ${mini.startIndexes}; the worker's cold start in Chromium against MiniSearch warm in the benchmark's process: ${x(cold.median / mini.startMs)})`, startup.total <= 0.25 * miniFresh.total, startup.total / (0.25 * miniFresh.total)],
    ...(miniChromeQ ? [['Median query on the evaluation set, wasm, against MiniSearch\'s on the same texts, in Chromium (both in one extension page, the runtime the extension answers in)', '≤ 0.04x', `${x(chromeQ.median / miniChromeQ.median)} (${t(chromeQ.median)} against ${t(miniChromeQ.median)})`, chromeQ.median <= 0.04 * miniChromeQ.median, chromeQ.median / (0.04 * miniChromeQ.median)]] : []),
    ['Median query on the evaluation set, wasm, against MiniSearch\'s on the same texts, in Node (one process)', '≤ 0.04x', `${x(nodeQ.median / miniQ.median)} (${t(nodeQ.median)} against ${t(miniQ.median)})`, nodeQ.median <= 0.04 * miniQ.median, nodeQ.median / (0.04 * miniQ.median)],
    ['A 10 KB diagnosis in wasm (Chromium)', '≤ 200 µs', `${t(tenKbChrome)} (${t(tenKbNode)} in Node ${env.node})`, tenKbChrome <= 0.2, tenKbChrome / 0.2],
    ['Engine wasm after -Oz, without the embedded knowledge', '≤ 350 KB',
      `${kb(s.engine.raw)} (${b(s.wasm.raw)} wasm − ${b(s.knowledge.length)} compiled knowledge)`, s.engine.raw <= 350_000, s.engine.raw / 350_000],
    ['Store zip with the full knowledge (`build/adf-troubleshooter-<version>.zip`)', '≤ 1 MB', `${kb(s.zip.bytes)} (${b(s.zip.bytes)})`, s.zip.bytes <= 1_000_000, s.zip.bytes / 1_000_000],
    ['Worker memory after the first answer (JS heap used + wasm memory)', '≤ 8 MB', `${mem(firstAnswerMemory)} (${mem(w.memory.afterFirstAnswer.jsHeapUsed)} + ${mem(w.memory.afterFirstAnswer.wasmMemory)})`, firstAnswerMemory <= 8_000_000, firstAnswerMemory / 8_000_000],
    ['10x synthetic knowledge: start-up (reading it) grows at most linearly', `≤ ${x(sizeGrowth)} (its entries)`, `${x(startGrowth)} (${t(nsToMs(start1))} → ${t(nsToMs(start10))}, native, ${startHow})`, startGrowth <= sizeGrowth, startGrowth / sizeGrowth],
    ['10x synthetic knowledge: query median', '≤ 2x', `${x(q10 / q1)} (${t(nsToMs(q1))} → ${t(nsToMs(q10))}, native)`, q10 <= 2 * q1, q10 / q1 / 2],
    ['A burst of 1,000 DOM mutations without an error (content script scripting)', '< 2 ms',
      `${t(burst)} with non-error notifications on the page, ${t(plainBurst)} without`, worstBurst < 2, worstBurst / 2],
  ];

  const acc = (a) => [frac(a.top1, a.labelled), frac(a.top3, a.labelled), frac(a.confidentOnNull, a.nulls),
    `${a.confidentRight + a.confidentWrong} (${a.confidentWrong} wrong)`];
  const e = r.node.engine.accuracy;
  const na = native.accuracy;
  const scaling = native.scaling.map((sc) => ({ ...sc, q: stats(sc.query_ns.map(nsToMs)) }));
  const base = scaling[0];
  const prof = r.wasmProfile;

  const L = [];
  L.push('# ADF Troubleshooter: benchmarks and budgets', '');
  L.push(`Generated by \`node bench/run.mjs\` on ${env.date}, commit \`${env.commit}\`${env.dirty ? ' with uncommitted changes' : ''}; the run took ${r.durationS ?? '?'} s.`);
  L.push('To reproduce, from the repository root after the set-up `./build.sh` does (and Debian\'s `chromium`, as `./build.sh test` installs it):', '');
  L.push('```sh', 'node bench/run.mjs            # builds with ./build.sh, measures, rewrites bench/RESULTS.md', 'node bench/run.mjs --no-build # measures the dist/ and build/ already there', '```', '');
  L.push('Raw numbers: `target/bench/results.json`; criterion\'s own reports: `target/criterion/`. The native');
  L.push('benchmarks alone: `cargo bench --config \'profile.bench.panic="unwind"\' -p adf-troubleshooter --bench explain`.', '');

  L.push('## Machine', '');
  L.push(table(['', ''], [
    ['CPU', `${env.cpu}, ${env.cores} cores`], ['Memory', env.memory],
    ['Load average (1, 5, 15 min)', `${env.loadBefore} at the start, ${env.loadAfter} at the end`], ['OS', env.os], ['Rust', env.rustc], ['Node', env.node],
    ['Chromium', `${env.chromium} (headless=new)`],
    ['Packages', Object.entries(env.packages).map(([k, v]) => `${k} ${v}`).join(', ')],
  ]), '');

  L.push('## Budgets', '');
  // Within 10% of the limit either way, a run-to-run swing on this machine can flip the verdict.
  L.push(table(['Budget', 'Limit', 'Measured', 'Status'], budgets.map(([what, limit, measured, ok, margin]) =>
    [what, limit, measured, `${yes(ok)}${Math.abs(margin - 1) <= 0.1 + 1e-9 ? ' (borderline: within 10% of the limit)' : ''}`])), '');
  L.push('Timings on this 2-core VM vary by about 10–20% from run to run, so a borderline verdict can flip between runs.');
  L.push('1 KB = 1,000 bytes and 1 MB = 1,000,000 bytes (the stricter reading). The size budgets are also');
  L.push('asserted by `tests/e2e/size-budget.test.js` (part of `node --test tests/e2e/`): the zip at 1 MB, the engine');
  L.push('at 348 KB, its present size with room for small changes, under the 350 KB budget. Causes of the missed budgets, with the profiles');
  L.push('behind them: [below](#where-the-missed-budgets-go).', '');

  L.push('## Headline', '');
  L.push(`- **Accuracy.** Top-1 on the ${e.labelled} labelled cases: engine ${pct(e.top1, e.labelled)}, MiniSearch ${pct(r.node.minisearch.accuracy.top1, e.labelled)}, Fuse.js ${pct(r.node.fuse.accuracy.top1, e.labelled)}. ` +
    `On the ${e.nulls} errors the knowledge does not cover, the engine is confident ${e.confidentOnNull} times, MiniSearch ${r.node.minisearch.accuracy.confidentOnNull} times (clear-lead rule), Fuse.js ${r.node.fuse.accuracy.confidentOnNull} times` +
    ((r.node.fuse.accuracy.confidentRight + r.node.fuse.accuracy.confidentWrong) < 0.1 * e.labelled
      ? ` (but Fuse.js is almost never confident at all: ${r.node.fuse.accuracy.confidentRight + r.node.fuse.accuracy.confidentWrong} confident answers on ${e.labelled} labelled cases, against the engine's ${e.confidentRight + e.confidentWrong}).`
      : '.'));
  L.push(`- **Latency per query** (median, evaluation set, same Node process): engine wasm ${t(nodeQ.median)}, MiniSearch ${t(miniQ.median)} (${x(miniQ.median / nodeQ.median)} the engine's), Fuse.js ${t(fuseQ.median)} (${x(fuseQ.median / nodeQ.median)}). ` +
    (miniChromeQ ? `In Chromium (one extension page): engine wasm ${t(chromeQ.median)}, MiniSearch ${t(miniChromeQ.median)} (${x(miniChromeQ.median / chromeQ.median)} the engine's). ` : '') +
    `The engine natively: ${t(nativeQ.median)}; wasm costs ${x(nodeQ.median / nativeQ.median)} native in Node and ${x(chromeQ.median / nativeQ.median)} in Chromium.`);
  L.push(`- **Scaling.** With 10x and 100x the knowledge, a query's median grows ${x(scaling[1].q.median / base.q.median)} and ${x(scaling[2].q.median / base.q.median)}; start-up (reading the compiled knowledge) grows ${x(scaling[1].read_ns / base.read_ns)} and ${x(scaling[2].read_ns / base.read_ns)}.`);
  L.push(`- **Extension.** Worker cold start to first answer ${t(cold.median)}; wasm ${kb(s.wasm.raw)} (${kb(s.wasm.gzip)} gzipped), zip ${kb(s.zip.bytes)}; content script ${t(burst)} (page with non-error notifications) and ${t(plainBurst)} (without) per 1,000-mutation burst on a 10,000-element page; worker memory ${mem(w.memory.afterEvalSet.jsHeapUsed)} JS heap + ${mem(w.memory.afterEvalSet.wasmMemory)} wasm memory.`, '');

  // 1. Accuracy
  L.push('## 1. Accuracy against general-purpose search', '');
  L.push(`\`tests/data/eval.jsonl\`: ${e.cases} pasted error texts, ${e.labelled} with the expected Learn section, ${e.nulls} that no entry covers (expected \`null\`). ` +
    `Every system indexes the same ${r.entries} entries of \`crate/knowledge/\` (the peers: title, codes, messages, keywords, connector names and the body text, read from the .md files by \`bench/lib/knowledge.mjs\`) and gets the whole pasted text as the query. Answers are compared by Learn URL with its anchor, as \`adf-troubleshooter eval\` does.`, '');
  L.push(table(['System', 'Top-1', 'Top-3', 'Confident on the null cases', 'Confident answers on labelled cases', 'Confident means'], [
    ['**ADF Troubleshooter** (wasm, Node)', ...acc(e), 'best match has `confidence == "high"`'],
    [`MiniSearch ${env.packages.minisearch}`, ...acc(r.node.minisearch.accuracy), r.node.minisearch.confidentRule],
    [`Fuse.js ${env.packages['fuse.js']}`, ...acc(r.node.fuse.accuracy), r.node.fuse.confidentRule],
  ]), '');
  L.push(`The native build agrees: top-1 ${na.top1}/${na.labelled}, top-3 ${na.top3}/${na.labelled}, high confidence on ${na.high_on_null} null cases and on ${na.high_wrong} wrong answers${na.top1 === e.top1 && na.top3 === e.top3 ? ' (identical to wasm)' : ' (**differs from the wasm build**)'}.`, '');
  L.push('Peer settings (`bench/lib/peers.mjs`), each the best of the variants tried on this set, which flatters the peers:', '');
  L.push('- **MiniSearch**: BM25 over all fields; boosts codes and messages x3, title x2, keywords and connectors x1, body x0.5; query terms OR-ed; fuzzy 0.1, no prefix matching. Its scores are unbounded, so "confident" is a clear lead of the best over the second.');
  L.push('- **Fuse.js**: token search (`useTokenSearch`, each query word matched alone and weighed by IDF), exact words (`threshold: 0`), `ignoreLocation`, `ignoreFieldNorm`, equal key weights. Fuse\'s classic mode (the whole paste as one fuzzy pattern, searched in 32-character chunks) took over a second per query here and ranked worse; fuzzy words (threshold 0.2) and weighted keys were slower and less accurate. Fuse scores run from 0 (perfect) to 1; with a long paste most words match nothing, so best scores stay high and the usual `< 0.3` rule almost never fires.', '');
  L.push('How the "confident" rule trades coverage for mistakes (the engine\'s `high` for comparison):', '');
  L.push(table(['System and rule', 'Confident on null cases', 'Confident and right', 'Confident and wrong'], [
    ['Engine: `high`', frac(e.confidentOnNull, e.nulls), frac(e.confidentRight, e.labelled), frac(e.confidentWrong, e.labelled)],
    ...r.node.minisearch.sweep.map((v) => [`MiniSearch: ${v.rule}`, frac(v.confidentOnNull, v.nulls), frac(v.confidentRight, v.labelled), frac(v.confidentWrong, v.labelled)]),
    ...r.node.fuse.sweep.map((v) => [`Fuse.js: ${v.rule}`, frac(v.confidentOnNull, v.nulls), frac(v.confidentRight, v.labelled), frac(v.confidentWrong, v.labelled)]),
  ]), '');

  // 2. Latency
  L.push('## 2. Latency per query', '');
  L.push(`Each of the ${r.cases} evaluation texts (median ${Math.round(median(r.evalBytes))} bytes, largest ${Math.max(...r.evalBytes)}) timed on its own; median and 95th percentile over the texts. ` +
    'The engine\'s time is `explain` with its card (what the wasm binding returns; natively `explain` + `Card::from_diagnosis`); the wasm timings include the JS glue (string copy in, objects out).', '');
  L.push(table(['Runtime', 'Median', 'p95', 'Median vs native', 'Median vs engine wasm in Node'], [
    ['Engine, native (criterion bench profile: opt-level 3)', t(nativeQ.median), t(nativeQ.p95), '1x', x(nativeQ.median / nodeQ.median)],
    [`Engine, wasm in Node ${env.node} (dist/, -Oz)`, t(nodeQ.median), t(nodeQ.p95), x(nodeQ.median / nativeQ.median), '1x'],
    ['Engine, wasm in Chromium (extension page)', t(chromeQ.median), t(chromeQ.p95), x(chromeQ.median / nativeQ.median), x(chromeQ.median / nodeQ.median)],
    ['MiniSearch, Node', t(miniQ.median), t(miniQ.p95), x(miniQ.median / nativeQ.median), x(miniQ.median / nodeQ.median)],
    ...(miniChromeQ ? [['MiniSearch, Chromium (the same extension page)', t(miniChromeQ.median), t(miniChromeQ.p95), x(miniChromeQ.median / nativeQ.median), x(miniChromeQ.median / nodeQ.median)]] : []),
    [`Fuse.js, Node (${r.node.fuse.sampled})`, t(fuseQ.median), t(fuseQ.p95), x(fuseQ.median / nativeQ.median), x(fuseQ.median / nodeQ.median)],
  ]), '');
  const crit = r.criterion['explain/eval_set'];
  if (crit) L.push(`Criterion, \`explain/eval_set\` (all ${r.cases} texts, \`explain\` without the card): ${t(nsToMs(crit.medianNs))} per pass, ${t(nsToMs(crit.medianNs) / r.cases)} per text on average. Fuse.js in the two accuracy worker threads, all texts: median ${t(median(r.node.fuse.workerQueryMs))}, p95 ${t(stats(r.node.fuse.workerQueryMs).p95)}.`, '');
  L.push('Start-up (everything before the first answer):', '');
  L.push(table(['', 'Time', 'Of which'], [
    ['Engine, native: read the compiled knowledge', t(nsToMs(base.read_ns)), `of which the entries ${t(nsToMs(base.entries_ns))}, the related-text tables ${t(nsToMs(base.related_ns))}`],
    ['Engine, wasm in a fresh Node process (median of 5)', t(startup.total), `compile ${t(startup.compile)}, instantiate ${t(startup.instantiate)}, first diagnosis (reading the knowledge on the way) ${t(startup.first)}; the second diagnosis ${t(startup.second)}`],
    ['Engine, wasm in Chromium (extension page)', t(r.browser.wasm.compileMs + r.browser.wasm.firstExplainMs), `compile ${t(r.browser.wasm.compileMs)}, first diagnosis ${t(r.browser.wasm.firstExplainMs)}`],
    [`MiniSearch in a fresh Node process (median of 5): index ${mini.startIndexes}, one query`, t(miniFresh.total), `read the documents ${t(miniFresh.load)}, index ${t(miniFresh.index)}, first query ${t(miniFresh.first)}`],
    [`MiniSearch in the benchmark's process, warm (median of 5): index ${mini.startIndexes}, one query`, t(mini.startMs), ''],
    ['MiniSearch: index the entries', t(r.node.minisearch.buildMs), ''],
    ['Fuse.js: index the entries', t(r.node.fuse.buildMs), ''],
  ]), '');

  // 3. Scaling
  L.push('## 3. Scaling with the size of the knowledge base', '');
  L.push('The real knowledge base (1x) and synthetic ones 10x and 100x its size, built in `crate/benches/explain.rs`: each real entry gets 9 or 99 variants of the same shape (its codes with a suffix, numeric codes renumbered, about a third of each message\'s words swapped for ADF words, half its keywords replaced, one keyword added, same connectors and context). ' +
    'Each is compiled by the same code as `build.rs` (`knowledge::compiled::compile`) and read back as the engine reads its own. Native, bench profile; a query is cleaning + facts + ranking (`scoring::rank`) of each evaluation text against that knowledge; start-up is reading it (`knowledge::compiled::read`: entries, index, related-text tables).', '');
  L.push(table(['Knowledge', 'Entries', 'Codes / messages / keywords', 'Compiled', 'Start-up: read', 'Query median', 'Query p95', 'A text matching nothing', 'Top-1 (labelled)'],
    scaling.map((sc) => [`${sc.scale}x`, sc.entries.toLocaleString('en-US'), `${sc.codes.toLocaleString('en-US')} / ${sc.messages.toLocaleString('en-US')} / ${sc.keywords.toLocaleString('en-US')}`,
      kb(sc.compiled_bytes), `${t(nsToMs(sc.read_ns))} (entries ${t(nsToMs(sc.entries_ns))})`,
      t(sc.q.median), t(sc.q.p95), t(nsToMs(sc.no_match_ns)), frac(sc.top1, sc.labelled)])), '');
  L.push(table(['Growth vs 1x', 'Compiled size', 'Start-up', 'Query median', 'Query p95', 'A text matching nothing'],
    scaling.slice(1).map((sc) => [`${sc.scale}x knowledge`, x(sc.compiled_bytes / base.compiled_bytes), x(sc.read_ns / base.read_ns),
      x(sc.q.median / base.q.median), x(sc.q.p95 / base.q.p95), x(sc.no_match_ns / base.no_match_ns)])), '');
  const critScale = ['1x', '10x', '100x'].map((k) => r.criterion[`scaling/eval_set/${k}`]).filter(Boolean);
  if (critScale.length === 3) L.push(`Criterion, \`scaling/eval_set\` (all texts in one pass): ${critScale.map((v, i) => `${['1x', '10x', '100x'][i]} ${t(nsToMs(v.medianNs))}`).join(', ')}; \`scaling/startup\`: 1x ${t(nsToMs(r.criterion['scaling/startup/1x'].medianNs))}, 10x ${t(nsToMs(r.criterion['scaling/startup/10x'].medianNs))}.`, '');
  const noMatchGrowth = scaling[2].no_match_ns / base.no_match_ns;
  L.push((noMatchGrowth > 5
    ? `A text that matches nothing costs ${t(nsToMs(scaling[2].no_match_ns))} at 100x against ${t(nsToMs(base.no_match_ns))} at 1x (${x(noMatchGrowth)}): part of every query's work grows with the number of knowledge literals, not with what the text contains. `
    : `A text that matches nothing costs ${t(nsToMs(scaling[2].no_match_ns))} at 100x against ${t(nsToMs(base.no_match_ns))} at 1x: a query's fixed cost barely depends on the size of the knowledge base; what grows is the work on the literals a text does contain. `) +
    'Top-1 at 10x and 100x is partly the synthetic variants\' doing: they keep two thirds of a real message\'s words, so partial message matches compete more than distinct real messages would.', '');

  // Compiled knowledge
  const alt = native.alternatives;
  L.push('## The compiled knowledge: what is read at start, and why this form', '');
  L.push(`\`build.rs\` reads the entries, builds the matcher's index and the related-text tables with the engine's own code, and embeds them as one byte string (\`crate/src/knowledge/compiled.rs\`): the entries and the index's tables in postcard, the two literal automata in daachorse's own array layout, the BM25 tables in a packed layout read in place. The engine reads each part on first use; nothing is built at start. The alternatives, measured natively on the real knowledge in this run:`, '');
  L.push(table(['At start, the engine…', 'Native time', 'Embedded bytes'], [
    ['parses the entries as JSON and builds the index and tables (before)', t(nsToMs(alt.build_ns)), b(alt.json_bytes)],
    ['— of which parsing the JSON', t(nsToMs(alt.json_parse_ns)), ''],
    ['reads the compiled knowledge (now)', t(nsToMs(base.read_ns)), b(base.compiled_bytes)],
  ]), '');
  L.push('The literal automata: daachorse, a double-array Aho-Corasick automaton, is the one of the candidates that can be stored and read back as flat arrays (the `aho-corasick` crate cannot be serialised; an `fst` finds words from their start only, so finding every literal inside a text would mean a walk from every position). A double array costs about 12 bytes per trie state, and most states are the unshared tails of long literals, so the automata hold each literal\'s first bytes only (longer where many literals share them) and a hit is checked against the whole literals (`CompactAutomaton`); a property test shows it finds exactly what an automaton of the whole literals finds:', '');
  L.push(table(['Automaton', 'Literals', 'Literal bytes', 'Whole literals: bytes, read', 'First bytes + check: bytes, read'],
    alt.automata.map((a) => [a.name, a.literals.toLocaleString('en-US'), b(a.literal_bytes), `${b(a.full_bytes)}, ${t(nsToMs(a.full_read_ns))}`, `${b(a.compact_bytes)}, ${t(nsToMs(a.compact_read_ns))}`])), '');
  L.push('Each automaton keeps daachorse\'s prefilter (a 64 KiB table per automaton that skips text positions no literal starts at): without it the embedded knowledge is 130 KB smaller but the 10 KB diagnosis and the evaluation set were about 1.6x slower natively when tried.', '');

  // 4. Extension
  L.push('## 4. Extension costs in Chromium', '');
  L.push('Debian Chromium with `dist/` loaded, launched by `tests/e2e/harness.js` (fresh profile, pages served at their real URLs by `context.route`).', '');
  L.push('**Service worker cold start to first answer.** The worker is stopped (CDP `ServiceWorker.stopAllWorkers`), then the content script\'s own world on a portal page sends `{type: "explain"}` with the first evaluation text and times the reply: worker start, module load, wasm fetch + compile + instantiate (the team rules read from storage meanwhile), knowledge read, diagnosis, reply.', '');
  L.push(table(['', 'Median', 'p95', 'Runs'], [
    ['Cold start to first answer', t(cold.median), t(cold.p95), w.coldFirstAnswerMs.map(t).join(', ')],
    ['A minimal extension\'s cold start: a module worker that answers every message at once, asked the same way (separate browser)', t(floor.median), t(floor.p95), w.minimalExtensionColdMs.map(t).join(', ')],
    ...(small ? [[`The same extension built over one article's knowledge (\`${small.guide}\`: ${small.entries} ${small.entries === 1 ? 'entry' : 'entries'}, the one the text's answer cites; a ${kb(small.wasmBytes)} wasm), asked the same way (separate browser)`, t(small.median), t(small.p95), w.smallKnowledgeColdMs.map(t).join(', ')]] : []),
    ['Warm worker, engine loaded: message round trip with a diagnosis', t(warm.median), t(warm.p95), `${w.warmAnswerMs.length} runs`],
  ]), '');
  L.push(`The minimal extension is the floor any extension pays here: the browser starting a worker, loading its script and dispatching the message. So the engine's share of a cold start is about ${t(cold.median - floor.median)}. ` +
    `Each cold start's steps on the worker's own clock (its time origin and the engine's User Timing mark \`adf-troubleshooter:engine-ready\`, read after the answer), medians: the browser starts the worker ${t(steps.toWorkerStart)} after the message is sent; the worker's script loads and the engine becomes ready (module load, wasm fetch + compile + instantiate, the team rules) ${t(steps.toEngineReady)} after the worker's start; the reply arrives ${t(steps.toReply - steps.toEngineReady)} after that (the first diagnosis, reading the knowledge it needs, and the reply). ` +
    `The worker starts the engine when its script runs, not when the first message arrives: nearly every wake-up is a content script asking for the engine's surface rules or cards. In Node the same engine steps take: compile ${t(startup.compile)}, instantiate ${t(startup.instantiate)}, first diagnosis with the knowledge read on the way ${t(startup.first)}.`, '');
  L.push('**Sizes.**', '');
  L.push(table(['', 'Raw', 'gzip -9', 'brotli 11'], [
    ['Engine wasm (`dist/engine/adf_troubleshooter_bg.wasm`)', b(s.wasm.raw), b(s.wasm.gzip), b(s.wasm.brotli)],
    ['— of which the compiled knowledge', b(s.knowledge.length), b(s.knowledge.gzip), ''],
    ['— the engine without the knowledge', b(s.engine.raw), b(s.engine.gzip), ''],
    ['JS glue (`adf_troubleshooter.js`)', b(s.glueJs.raw), b(s.glueJs.gzip), ''],
    ['Unpacked extension (`dist/`)', b(s.dist), '', ''],
    ['Store zip', b(s.zip.bytes), '', ''],
  ]), '');
  L.push(`The compiled knowledge is located exactly in the wasm data section (by ${s.knowledge.method}) at offset ${s.knowledge.offset}. ` +
    `Sections: ${s.sections.filter((v) => v.size > 1000).map((v) => `${v.name} ${b(v.size)}`).join(', ')}.`, '');
  L.push(`**Content script** on a synthetic portal page of ${c.nodes.toLocaleString('en-US')} elements served at \`https://portal.azure.com/\` (a resource grid; a non-error toast and notification, which the bridge tracks as regions), and the same page without those two notifications (${c.plainNodes.toLocaleString('en-US')} elements, nothing the bridge's selectors pick). ` +
    `Scripting time is CDP \`Performance.getMetrics\` \`ScriptDuration\` deltas, per burst, over ${c.burstScriptMs.length} bursts after a warm-up burst. ` + 'The burst (1,000 mutations in one task: cell texts replaced, text node data changed, rows added, rows removed, in turn; no error text) is run from DevTools, which `ScriptDuration` does not count, so the delta is the content script\'s own time: its MutationObserver callback and the scan it may schedule (measured 700 ms later, past the 250 ms scan delay). The same pages at `https://example.com/`, where the content script does not run, are the baseline.', '');
  L.push(table(['Page', 'Script time after load (content script start, rules, first scan)', 'Per burst: median', 'Per burst: runs', 'Baseline per burst (no content script)'], [
    ['Portal page with non-error notifications', t(c.loadScriptMs - c.baselineLoadScriptMs), t(burst), c.burstScriptMs.map(t).join(', '), t(median(c.baselineBurstScriptMs))],
    ['Portal page without them', t(c.plainLoadScriptMs - c.plainBaselineLoadScriptMs), t(plainBurst), c.plainBurstScriptMs.map(t).join(', '), t(median(c.plainBaselineBurstScriptMs))],
  ]), '');
  L.push('**Service worker memory** (CDP on the worker target after a forced GC: `Runtime.getHeapUsage`, and the wasm linear memory via `Runtime.queryObjects(WebAssembly.Memory.prototype)`):', '');
  L.push(table(['Worker state', 'JS heap used', 'JS heap total', 'wasm memory'], [
    ['After the first answer', b(w.memory.afterFirstAnswer.jsHeapUsed), b(w.memory.afterFirstAnswer.jsHeapTotal), b(w.memory.afterFirstAnswer.wasmMemory)],
    [`After ${r.cases} more diagnoses (the evaluation set)`, b(w.memory.afterEvalSet.jsHeapUsed), b(w.memory.afterEvalSet.jsHeapTotal), b(w.memory.afterEvalSet.wasmMemory)],
  ]), '');
  L.push(`For comparison, the engine's wasm memory in Node after the evaluation set and the padded inputs up to 5 MB: ${b(r.node.engine.wasmMemoryBytes)} (linear memory only grows).`, '');

  // 5. Input size
  L.push('## 5. Input size', '');
  L.push('A self-hosted IR log without errors, then a newline and the first evaluation text (an S3 error in activity output JSON), cut to exactly the size; the same bytes natively and in wasm (`bench/lib/inputs.mjs` and `crate/benches/explain.rs` share the recipe; `run.mjs` checks their checksums). Times per diagnosis with card; criterion\'s `explain/input/*` (diagnosis only) alongside.', '');
  L.push(table(['Input', 'Native', 'Criterion (native, explain only)', 'wasm, Node', 'wasm, Chromium', 'wasm Node / native', 'MiniSearch', 'Fuse.js'],
    Object.entries(native.inputs).sort((a, b2) => a[1].bytes - b2[1].bytes).map(([name, v]) => {
      const cr = r.criterion[`explain/input/${name}`];
      return [`${name} (${b(v.bytes)})`, t(nsToMs(v.ns)), cr ? t(nsToMs(cr.medianNs)) : '', t(r.node.engine.sizes[name]), t(r.browser.wasm.sizes[name]),
        x(r.node.engine.sizes[name] / nsToMs(v.ns)), r.node.minisearch.sizes[name] !== undefined ? t(r.node.minisearch.sizes[name]) : '', r.node.fuse.sizes[name] !== undefined ? t(r.node.fuse.sizes[name]) : ''];
    })), '');
  L.push('Where the native time goes: each stage timed on its own, on the previous stages\' output (shares of the diagnosis-with-card time):', '');
  L.push(table(['Input', 'Cleaning', 'Facts', 'Ranking', 'Card', 'Diagnosis + card'],
    Object.entries(native.inputs).sort((a, b2) => a[1].bytes - b2[1].bytes).map(([name, v]) =>
      [name, ...['normalize', 'facts', 'rank', 'card'].map((k) => `${t(nsToMs(v.stages_ns[k]))} (${pct(v.stages_ns[k], v.ns)})`), t(nsToMs(v.ns))])), '');

  // Causes
  L.push('## Where the missed and close budgets go', '');
  const missed = budgets.filter((bg) => !bg[3]);
  if (!missed.length) L.push('Every budget is met on this run.', '');
  L.push('Each budget missed, or met within 10% of its limit, with where its time or bytes go.', '');
  // Missed, or met within the run-to-run swing: either way worth its profile.
  const close = (start) => budgets
    .filter(([what]) => what.startsWith(start))
    .some(([, , , met, share]) => !met || Math.abs(share - 1) <= 0.1 + 1e-9);
  if (close('Median query')) {
    const ep = r.evalProfile;
    const inChromium = miniChromeQ ? `${t(chromeQ.median)} in Chromium against MiniSearch's ${t(miniChromeQ.median)} there (${x(chromeQ.median / miniChromeQ.median)}), ` : '';
    L.push(`### Median query on the evaluation set: ${inChromium}${t(nodeQ.median)} in Node against MiniSearch's ${t(miniQ.median)} (${x(nodeQ.median / miniQ.median)}); budget 0.04x`, '');
    L.push(`V8's sampling profiler on the engine built with its function names, over the middle half of the evaluation texts by length (${ep.texts} texts, the median query's kind; ${ep.calls} diagnoses, ${t(ep.msPerCall)} each with the profiler on), each sample charged to the nearest enclosing pipeline function:`, '');
    L.push(table(['Stage', 'Per diagnosis', 'Share'], ep.byStage.map(([stage, ms, share]) => [stage, t(ms), `${(share * 100).toFixed(1)}%`])), '');
    L.push('Hottest functions (self time):', '');
    L.push(table(['Function', 'Per diagnosis', 'Share'], ep.topFunctions.map(([f, ms, share]) => [`\`${f}\``, t(ms), `${(share * 100).toFixed(1)}%`])), '');
    L.push('On short texts the fixed costs per answer show beside the related-text and literal scans: the card (its copies for a ticket are built only when a copy button is pressed) and the answer\'s conversion to JS (JSON written in the wasm, `JSON.parse` in JS: `JS (anonymous)`).', '');
  }
  if (close('A 10 KB')) {
    L.push(`### A 10 KB diagnosis in wasm: ${t(tenKbChrome)} (Chromium), ${t(tenKbNode)} (Node), budget 200 µs`, '');
    L.push(`Natively the same text takes ${t(nsToMs(native.inputs['10KB'].ns))}, so wasm is ${x(tenKbNode / nsToMs(native.inputs['10KB'].ns))} slower here. V8's sampling profiler on the engine built with its function names (\`build/pkg\`, before wasm-opt strips them; ${prof.calls} diagnoses of the 10 KB text, ${t(prof.msPerCall)} each with the profiler on), each sample charged to the nearest enclosing pipeline function:`, '');
    L.push(table(['Stage', 'Per diagnosis', 'Share'], prof.byStage.map(([stage, ms, share]) => [stage, t(ms), `${(share * 100).toFixed(1)}%`])), '');
    L.push('Hottest functions (self time):', '');
    L.push(table(['Function', 'Per diagnosis', 'Share'], prof.topFunctions.map(([f, ms, share]) => [`\`${f}\``, t(ms), `${(share * 100).toFixed(1)}%`])), '');
    const generic = prof.topFunctions.filter(([f]) => /^<?(core|alloc)(::|\[)|^<(alloc|core)::/.test(f) || /^<alloc|^<core/.test(f));
    const genericShare = generic.reduce((sum, [, , share]) => sum + share, 0);
    L.push('Natively (opt-level 3) the stages take: ' + [['cleaning', 'normalize'], ['facts', 'facts'], ['ranking', 'rank'], ['card', 'card']].map(([label, k]) => `${label} ${t(nsToMs(native.inputs['10KB'].stages_ns[k]))}`).join(', ') + '. ' +
      `The largest stage in wasm is ${prof.byStage[0][0]} (${(prof.byStage[0][2] * 100).toFixed(0)}%); the hottest function is \`${prof.topFunctions[0][0]}\`. ` +
      (r.releaseOptLevel && /[sz]/.test(r.releaseOptLevel)
        ? `The shipped wasm is built with \`opt-level = ${r.releaseOptLevel}\` (workspace \`[profile.release]\`), which keeps small generic functions as calls: ${generic.length} of the ${prof.topFunctions.length} hottest functions are \`core\`/\`alloc\` helpers (indexing, \`push\`, \`Chars::next\`, \`str\` search) with ${(genericShare * 100).toFixed(0)}% of the samples, work that opt-level 3 inlines natively.`
        : ''), '');
  }
  if (close('A burst')) {
    L.push(`### A 1,000-mutation burst: ${t(burst)} / ${t(plainBurst)} of content-script scripting, budget 2 ms`, '');
    const fmt = (p) => table(['Content script function or the DOM call it makes', 'Per burst'], p.byFunction.map(([f, ms]) => [`\`${f}\``, t(ms)]));
    L.push(`CDP profiler, 50 µs sampling, 5 bursts each; built-ins called by the content script count for it. With non-error notifications on the page (the bridge tracks them as regions), total content-script time ${t(c.profile.byScript.find(([k]) => k.startsWith('content'))?.[1] ?? 0)} per burst:`, '');
    L.push(fmt(c.profile), '');
    L.push(burstReading(c.profile), '');
    L.push(`Without tracked regions (total ${t(c.plainProfile.byScript.find(([k]) => k.startsWith('content'))?.[1] ?? 0)} per burst):`, '');
    L.push(fmt(c.plainProfile), '');
    L.push(burstReading(c.plainProfile), '');
  }
  if (close('Service worker cold start') || close('— against a docs search')) {
    const sp = r.wasmStartupProfile;
    L.push(`### Service worker cold start: ${t(cold.median)}, budget 30 ms; the engine's fresh start in Node against MiniSearch's: ${x(startup.total / miniFresh.total)}, budget 0.25x`, '');
    L.push(`A minimal extension's worker answers a cold message in ${t(floor.median)} here; the engine's share is the rest, about ${t(cold.median - floor.median)}: the engine ready ${t(steps.toEngineReady)} after the worker's start, the first answer ${t(steps.toReply - steps.toEngineReady)} after that. In Node: compile ${t(startup.compile)}, instantiate ${t(startup.instantiate)}, first diagnosis ${t(startup.first)} (natively, reading the knowledge takes ${t(nsToMs(base.read_ns))}). ` +
      `V8's sampling profiler over a fresh start in Node (\`bench/lib/wasm-startup-profile.mjs\`, the engine built with its function names, ${sp.runs} starts averaged), each sample charged to the outermost start-up step on its stack:`, '');
    L.push(table(['Step', 'Per start'], sp.bySteps.map(([step, ms]) => [step, t(ms)])), '');
    L.push('Hottest functions (self time):', '');
    L.push(table(['Function', 'Per start'], sp.topFunctions.map(([f, ms]) => [`\`${f}\``, t(ms)])), '');
    L.push('Most of the remainder is V8, not the engine: a fresh instance of the already compiled module (wasm-bindgen\'s reset) reads the knowledge and answers in a few milliseconds, while a cold first answer also compiles each function on its first call (lazy Liftoff compilation, which the profiler charges to no step), runs loops that run once in that unoptimised code, and shares the two cores with the optimising tier-up. In the worker, the largest single step is reading the wasm itself from the extension package (about 7 ms per MB on this machine, 2 MB of it the knowledge), which grows with the knowledge.', '');
    const f = w.fetches;
    L.push('What the figure measures: the benchmark keeps an extension page open, so the extension process survives each worker stop and V8 finds the module it compiled for the previous worker; those starts compile little and tier up little. A worker started in a new extension process (after 30 s idle with no extension page open) compiles everything again and also pays the process launch. Chromium\'s persistent wasm code cache, which would carry optimised code across processes, is not written for the extension\'s wasm here: it is loaded with `instantiateStreaming(fetch(...))`, the path that cache needs, but no cache entry appears for the `chrome-extension:` response.', '');
    L.push(`Why 30 ms is out of reach here: the minimal extension's worker takes ${t(floor.median)} of it, which leaves about ${t(30 - floor.median)} for the engine, and the running worker needs ${t(f.wasm.ms)} just to read the engine's ${kb(f.wasm.bytes)} wasm from the extension's package (a ${b(f.small.bytes)} file: ${t(f.small.ms)}; so about ${t((f.wasm.ms - f.small.ms) / (f.wasm.bytes / 1e6))} per MB), before compiling, instantiating or answering. The wasm is ${kb(s.knowledge.length)} of compiled knowledge and ${kb(s.engine.raw)} of engine. ` +
      (small ? `The same extension built over one article's knowledge (a ${kb(small.wasmBytes)} wasm) answers a cold message in ${t(small.median)}: the engine's code, its start and its first answer alone leave ${small.median < 30 ? `${t(30 - small.median)}` : 'nothing'} of the 30 ms for the knowledge, and the whole knowledge adds ${t(cold.median - small.median)} to it, about ${t((cold.median - small.median) / ((s.wasm.raw - small.wasmBytes) / 1e6))} per MB of wasm. ` : '') +
      `Measured and dropped: the knowledge in a file of its own (the same bytes to read), the wasm read as two or four files at once (about the same time as one: the reads share one rate), gzipped with \`DecompressionStream\` (half the bytes, but about 9.6 ms to decompress), the engine's modules bundled into one script (about 1 ms). The steps taken: the worker starts the engine as its script runs, before it registers its listeners and menus, so that the wasm's fetch overlaps that registration and the delivery of the message (about 2 ms earlier than starting it at the end of the script).`, '');
  }
  if (!(s.engine.raw <= 350_000)) {
    L.push(`### Engine wasm without the knowledge: ${kb(s.engine.raw)}, budget 350 KB`, '');
    L.push('The index builder, daachorse\'s automaton builder and the related-text builder stay in the engine for team rules, which are indexed in the browser; sorting, hash maps and serde are instantiated for many types. wasm-opt runs `-Oz -aimfs 6 -ocimfs 600 --low-memory-unused` (small functions inlined, large single-caller functions kept apart) with memory packing skipped (so that the knowledge stays whole; it saved about 2 KB).', '');
  }
  if (s.codeByCrate) {
    if (s.engine.raw <= 350_000) L.push(`### Engine wasm without the knowledge: ${kb(s.engine.raw)} (budget 350 KB, met)`, '');
    L.push(`Code size by crate (from the names in \`build/pkg\`'s wasm before wasm-opt: ${b(s.codeByCrate.total)} of code there, ${b(s.sections.find((v) => v.name === 'code').size)} after -Oz):`, '');
    L.push(table(['Crate', 'Code', 'Functions'], s.codeByCrate.crates.slice(0, 10).map((v) => [v.crate, b(v.bytes), v.functions])), '');
    L.push(`The data section apart from the knowledge: ${b(s.data.total)} (${b(s.data.text)} in runs of printable text, ${b(s.data.binary)} other bytes, ${b(s.data.zeros)} zero bytes).`, '');
  }

  L.push('## Method', '');
  L.push('- **Timing.** One method everywhere (`bench/lib/timing.mjs`, mirrored in `crate/benches/explain.rs`): after a warm-up call, a call\'s time is the median of five batches, each batch as many calls as fill 2 ms (5 ms in Chromium, where `performance.now()` is coarsened to ' + `${t(r.browser.wasm.timerResolutionMs)}` + '); calls of 20 ms or more are timed once after the warm-up; Fuse.js\'s sampled queries once each, after three warm-up queries. Runs are sequential, one thing at a time, on an otherwise idle machine.');
  L.push('- **Criterion** (`crate/benches/explain.rs`): 0.5 s warm-up, 1.5 s measurement, flat sampling for the 1 MB and 5 MB inputs and start-up; medians reported. The bench profile is opt-level 3 with thin LTO; the shipped wasm is opt-level "z" + wasm-opt -Oz.');
  L.push('- **wasm in Node**: `dist/engine/adf_troubleshooter.js` with `initSync({module})` on the bytes of `dist/engine/adf_troubleshooter_bg.wasm`; start-up in 5 fresh processes (`bench/lib/wasm-startup.mjs`), each answering the first evaluation text; the docs search\'s start-up the same way (`bench/lib/minisearch-startup.mjs`: a fresh process reads the saved Learn articles\' sections as JSON, indexes them with MiniSearch and answers the same text). The budget compares these two: a fresh process is how both pay their start, and the worker\'s own start in Chromium (measured apart) is the same for any extension.');
  L.push('- **wasm in Chromium**: the extension\'s popup page (`chrome-extension://<id>/popup.html`) imports `./engine/adf_troubleshooter.js` and runs the same loop.' +
    (miniChromeQ ? ' Then, in the same page, MiniSearch (its UMD build, evaluated in the page) indexes the same documents with the same settings as in Node and is timed on the same texts the same way.' : ''));
  L.push('- **Peers**: in the same Node process as the engine; Fuse.js\'s accuracy over all cases runs in two worker threads (one per core; ' + `its per-query median there: ${t(median(r.node.fuse.workerQueryMs))}` + '), its latency on the sampled cases in the main thread.');
  L.push('');
  // Sections other scripts own (bench/field.mjs, tests/e2e/stress.test.js's figures) are kept
  // as they are: each between <!-- name:start --> and <!-- name:end -->.
  const kept = existsSync(path)
    ? readFileSync(path, 'utf8').match(/<!-- ([\w-]+):start -->[\s\S]*?<!-- \1:end -->/g)?.join('\n\n')
    : undefined;
  writeFileSync(path, kept ? `${L.join('\n').trimEnd()}\n\n${kept}\n` : L.join('\n'));
}
