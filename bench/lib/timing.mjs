// One timing method for every runtime: a call's time is the median of five batches of calls,
// each batch at least `batchMs` long (so coarse browser timers still give precise numbers).
// crate/benches/explain.rs uses the same method (2 ms batches) for the native engine.

/**
 * Milliseconds per call of `fn`. `now()` returns milliseconds. A call of `slowMs` or more is
 * timed once, after one warm-up call (`warmup: false` skips that too: for the slowest peer).
 */
export function perCallMs(fn, { batchMs = 2, batches = 5, slowMs = 20, warmup = true, now = () => performance.now() } = {}) {
  if (warmup) fn();
  let start = now();
  fn();
  let single = now() - start;
  if (single >= slowMs) return single;
  // Below the timer's resolution: count calls until a batch is long enough.
  if (single < batchMs / 10) {
    let n = 0;
    start = now();
    do { fn(); n++; } while (now() - start < batchMs / 4);
    single = (now() - start) / n;
  }
  const n = Math.max(1, Math.ceil(batchMs / Math.max(single, 1e-6)));
  const times = [];
  for (let b = 0; b < batches; b++) {
    start = now();
    for (let i = 0; i < n; i++) fn();
    times.push((now() - start) / n);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(batches / 2)];
}

export function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return {
    n: sorted.length,
    median: at(0.5),
    p95: at(0.95),
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
    max: sorted[sorted.length - 1],
  };
}
