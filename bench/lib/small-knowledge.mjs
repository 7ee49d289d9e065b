// The same extension built over the knowledge of one article only: the engine's code and start-up
// with almost no knowledge, so that a cold start can be split into what the engine costs and what
// the knowledge's bytes cost.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** What the build needs, copied; the knowledge is copied apart. */
const SOURCES = ['Cargo.toml', 'Cargo.lock', 'build.sh', 'manifest.json', 'extension', 'crate'];

/**
 * Builds the extension with `guide` (a folder of `crate/knowledge/`) as its whole knowledge, in
 * `target/small-knowledge/` with a target directory of its own (the size checks look for the
 * knowledge in the main build's output). Returns its `dist/`, and what the report says of it:
 * the guide, its entries' count and the wasm's size.
 */
export function buildWithOneGuide(root, guide) {
  const base = join(root, 'target', 'small-knowledge');
  const source = join(base, 'source');
  rmSync(source, { recursive: true, force: true });
  mkdirSync(source, { recursive: true });
  for (const name of SOURCES) {
    cpSync(join(root, name), join(source, name), {
      recursive: true,
      filter: (path) => !path.startsWith(join(root, 'crate', 'knowledge') + '/'),
    });
  }
  const kept = join(root, 'crate', 'knowledge', guide);
  if (!existsSync(kept) || !statSync(kept).isDirectory()) throw new Error(`no knowledge folder ${guide}`);
  cpSync(kept, join(source, 'crate', 'knowledge', guide), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'));
  // `build.sh` reads the wasm from `target/`: a link to a directory kept from run to run, and no
  // CARGO_TARGET_DIR of the caller's to build elsewhere.
  mkdirSync(join(base, 'target'), { recursive: true });
  symlinkSync(join(base, 'target'), join(source, 'target'));
  const env = { ...process.env };
  delete env.CARGO_TARGET_DIR;
  execFileSync('./build.sh', { cwd: source, stdio: ['ignore', 'ignore', 'inherit'], env });
  const dist = join(source, 'dist');
  return {
    dist,
    guide,
    entries: readdirSync(kept).filter((name) => name.endsWith('.md')).length,
    wasmBytes: statSync(join(dist, 'engine', 'adf_troubleshooter_bg.wasm')).size,
  };
}
