// Size budgets of the built extension (run after ./build.sh): the store zip, and the engine's
// wasm without the knowledge it embeds. Deterministic: byte counts of the build's own files.
//
// "Without the knowledge": build.rs writes the entries as one JSON array (knowledge.json in the
// wasm build's OUT_DIR) and `include_str!` puts those bytes verbatim in the wasm data section,
// where -Oz leaves them whole (they hold no zero bytes for wasm-opt's memory packing to split).
// The test finds that exact byte string in the data section of dist/'s wasm and subtracts its
// length; without a target/ dir it finds the array by its first bytes `[{"id":"` and its end
// by bracket matching outside strings (bench/lib/wasm.mjs, shared with the benchmarks).
// 1 KB = 1,000 bytes and 1 MB = 1,000,000 bytes: the stricter reading of the budgets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineSize, storeZip } from '../../bench/lib/sizes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ZIP_BUDGET = 1_500_000;
const ENGINE_BUDGET = 450_000;

test('the store zip is at most 1.5 MB', () => {
  const zip = storeZip(root);
  assert.ok(zip.bytes !== null, `${zip.path} is missing: run ./build.sh first`);
  assert.ok(zip.bytes <= ZIP_BUDGET, `${zip.path}: ${zip.bytes} bytes > ${ZIP_BUDGET}`);
});

test('the embedded knowledge is found whole in the wasm data section', () => {
  assert.ok(existsSync(join(root, 'dist', 'engine', 'adf_troubleshooter_bg.wasm')), 'run ./build.sh first');
  const { wasm, knowledge } = engineSize(root);
  const json = JSON.parse(wasm.subarray(knowledge.offset, knowledge.offset + knowledge.length).toString('utf8'));
  assert.ok(Array.isArray(json) && json.length > 0 && json.every((e) => e.id && e.source), 'a JSON array of entries');
});

test('the engine wasm (-Oz) without the embedded knowledge is at most 450 KB', () => {
  const { wasm, knowledge, engineBytes } = engineSize(root);
  assert.ok(engineBytes <= ENGINE_BUDGET,
    `engine ${engineBytes} bytes (wasm ${wasm.length} - knowledge ${knowledge.length}) > ${ENGINE_BUDGET}`);
});
