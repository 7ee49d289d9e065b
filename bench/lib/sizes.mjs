// Sizes: the engine's wasm (raw, gzip, brotli; with and without the embedded knowledge), its
// sections and code per crate, the unpacked extension and the store zip.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { sections, locateKnowledge, codeByCrate, dataComposition } from './wasm.mjs';

function treeSize(dir) {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    total += stat.isDirectory() ? treeSize(path) : stat.size;
  }
  return total;
}

/** Where the measured files are: the build's own, or a snapshot of them (bench/run.mjs). */
export function buildPaths(root, snapshot = null) {
  const version = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')).version;
  const base = snapshot ?? root;
  return {
    dist: join(base, 'dist'),
    pkg: snapshot ? join(snapshot, 'pkg') : join(root, 'build', 'pkg'),
    zip: snapshot ? join(snapshot, `adf-troubleshooter-${version}.zip`) : join(root, 'build', `adf-troubleshooter-${version}.zip`),
    // build.rs's output dirs of the wasm build, where knowledge.json is.
    outDirs: join(root, 'target', 'wasm32-unknown-unknown', 'wasm', 'build'),
  };
}

/** The engine wasm and the knowledge JSON inside it, as the size budget test measures them. */
export function engineSize(root, paths = buildPaths(root)) {
  const wasm = readFileSync(join(paths.dist, 'engine', 'adf_troubleshooter_bg.wasm'));
  const knowledge = locateKnowledge(wasm, paths.outDirs);
  return { wasm, knowledge, engineBytes: wasm.length - knowledge.length };
}

export function storeZip(root, paths = buildPaths(root)) {
  return { path: paths.zip, bytes: existsSync(paths.zip) ? statSync(paths.zip).size : null };
}

export function sizes(root, paths = buildPaths(root)) {
  const { wasm, knowledge, engineBytes } = engineSize(root, paths);
  const gzip = (b) => gzipSync(b, { level: 9 }).length;
  const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const json = wasm.subarray(knowledge.offset, knowledge.offset + knowledge.length);
  const withoutKnowledge = Buffer.concat([wasm.subarray(0, knowledge.offset), wasm.subarray(knowledge.offset + knowledge.length)]);
  const pkgWasm = join(paths.pkg, 'adf_troubleshooter_bg.wasm');
  const glue = readFileSync(join(paths.dist, 'engine', 'adf_troubleshooter.js'));
  return {
    wasm: { raw: wasm.length, gzip: gzip(wasm), brotli: brotli(wasm) },
    knowledge: { ...knowledge, gzip: gzip(json) },
    engine: { raw: engineBytes, gzip: gzip(withoutKnowledge) },
    glueJs: { raw: glue.length, gzip: gzip(glue) },
    sections: sections(wasm).map(({ name, size }) => ({ name, size })),
    data: dataComposition(wasm, knowledge),
    codeByCrate: existsSync(pkgWasm) ? codeByCrate(readFileSync(pkgWasm)) : null,
    dist: treeSize(paths.dist),
    zip: storeZip(root, paths),
  };
}
