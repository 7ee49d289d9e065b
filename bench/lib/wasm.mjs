// Reading a .wasm file: section sizes, where the embedded compiled knowledge lies, and (from the
// name section of the un-optimised build/pkg wasm) how much code each Rust crate contributes.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const SECTION_NAMES = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export',
  'start', 'element', 'code', 'data', 'data count'];

function reader(bytes, at = 0) {
  const r = {
    at,
    u8: () => bytes[r.at++],
    leb() {
      let result = 0, shift = 0, byte;
      do {
        byte = bytes[r.at++];
        result += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80);
      return result;
    },
    name() {
      const length = r.leb();
      const text = Buffer.from(bytes.subarray(r.at, r.at + length)).toString('utf8');
      r.at += length;
      return text;
    },
  };
  return r;
}

/** [{id, name, start, size}] for every section (custom sections by their own name). */
export function sections(bytes) {
  if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const out = [];
  const r = reader(bytes, 8);
  while (r.at < bytes.length) {
    const id = r.u8();
    const size = r.leb();
    const start = r.at;
    let name = SECTION_NAMES[id] ?? `section ${id}`;
    if (id === 0) name = `custom "${reader(bytes, start).name()}"`;
    out.push({ id, name, start, size });
    r.at = start + size;
  }
  return out;
}

/**
 * The compiled knowledge embedded in the wasm, located exactly: build.rs writes it as one byte
 * string that opens with `ADF-KNOWLEDGE-1\n` and the length of the rest (u32, little-endian;
 * crate/src/knowledge/compiled.rs), and `include_bytes!` puts it verbatim in the data section
 * (build.sh keeps wasm-opt from cutting it at runs of zeros). When the wasm build's OUT_DIR
 * still holds knowledge.bin, the bytes found must equal it.
 */
export function locateKnowledge(wasm, outDirsRoot) {
  const data = sections(wasm).find((s) => s.id === 11);
  if (!data) throw new Error('the wasm has no data section');
  const dataBytes = wasm.subarray(data.start, data.start + data.size);
  const magic = Buffer.from('ADF-KNOWLEDGE-1\n');
  const at = dataBytes.indexOf(magic);
  if (at < 0) throw new Error('no compiled knowledge found in the wasm data section');
  if (dataBytes.indexOf(magic, at + 1) >= 0) throw new Error('the knowledge magic occurs twice in the data section');
  const length = magic.length + 4 + dataBytes.readUInt32LE(at + magic.length);
  if (at + length > dataBytes.length) throw new Error('the compiled knowledge runs past the data section');
  const found = dataBytes.subarray(at, at + length);
  let method = 'the header\'s length';
  if (outDirsRoot && existsSync(outDirsRoot)) {
    for (const dir of readdirSync(outDirsRoot)) {
      const file = join(outDirsRoot, dir, 'out', 'knowledge.bin');
      if (dir.startsWith('adf-troubleshooter-') && existsSync(file) && readFileSync(file).equals(found)) {
        method = `the header's length, equal to ${file.replace(/.*\/target\//, 'target/')}`;
      }
    }
  }
  return { method, offset: data.start + at, length };
}

/** Function names from the name section (subsection 1), by function index. */
function functionNames(bytes) {
  const names = new Map();
  const section = sections(bytes).find((s) => s.name === 'custom "name"');
  if (!section) return names;
  const r = reader(bytes, section.start);
  r.name();
  const end = section.start + section.size;
  while (r.at < end) {
    const kind = r.u8();
    const size = r.leb();
    const next = r.at + size;
    if (kind === 1) {
      const count = r.leb();
      for (let i = 0; i < count; i++) {
        const index = r.leb();
        names.set(index, r.name());
      }
    }
    r.at = next;
  }
  return names;
}

/** The crate a (demangled) Rust function name belongs to. */
export function crateOf(name) {
  let n = name.replace(/^_ZN/, '');
  // `<T as Trait>::f`, `<&T as ...>`: the implementing type's crate.
  while (n.startsWith('<') || n.startsWith('&') || n.startsWith('*')) n = n.replace(/^[<&*]+(mut |const |dyn )?/, '');
  n = n.replace(/^\[/, '');
  const first = n.split(/::|[<>\s(,;\[\]]/)[0];
  if (!first) return '(other)';
  if (/^(u8|u16|u32|u64|usize|i32|i64|f32|f64|str|bool|char)$/.test(first)) return 'core';
  if (/^(__|dlmalloc|memcpy|memset|memmove|memcmp|bcmp|strlen)/.test(first)) return 'compiler builtins / libc';
  if (/^(wasm_bindgen|__wbg|__wbindgen)/.test(first)) return 'wasm_bindgen';
  return first;
}

/** Code bytes per crate: [{crate, bytes, functions}], largest first, from a wasm with names. */
export function codeByCrate(bytes) {
  const all = sections(bytes);
  const imports = all.find((s) => s.id === 2);
  let importedFunctions = 0;
  if (imports) {
    const r = reader(bytes, imports.start);
    const count = r.leb();
    for (let i = 0; i < count; i++) {
      r.name(); r.name();
      const kind = r.u8();
      if (kind === 0) { r.leb(); importedFunctions++; }
      else if (kind === 1) { r.u8(); const flags = r.u8(); r.leb(); if (flags & 1) r.leb(); }
      else if (kind === 2) { const flags = r.u8(); r.leb(); if (flags & 1) r.leb(); }
      else if (kind === 3) { r.u8(); r.u8(); }
      else throw new Error(`import kind ${kind}`);
    }
  }
  const names = functionNames(bytes);
  const code = all.find((s) => s.id === 10);
  const r = reader(bytes, code.start);
  const count = r.leb();
  const byCrate = new Map();
  const biggest = [];
  for (let i = 0; i < count; i++) {
    const size = r.leb();
    const bodyStart = r.at;
    r.at += size;
    const name = names.get(importedFunctions + i) ?? '(unnamed)';
    const crate = crateOf(name);
    const slot = byCrate.get(crate) ?? { crate, bytes: 0, functions: 0 };
    slot.bytes += size + (r.at - bodyStart > 0 ? 0 : 0);
    slot.functions++;
    byCrate.set(crate, slot);
    biggest.push({ name, size });
  }
  biggest.sort((a, b) => b.size - a.size);
  return { total: code.size, crates: [...byCrate.values()].sort((a, b) => b.bytes - a.bytes), biggest: biggest.slice(0, 15) };
}

/** A rough split of the data section apart from the knowledge: text-like runs vs binary. */
export function dataComposition(bytes, knowledge) {
  const data = sections(bytes).find((s) => s.id === 11);
  let text = 0, zeros = 0, binary = 0, run = 0;
  const flush = () => { if (run >= 16) text += run; else binary += run; run = 0; };
  for (let i = data.start; i < data.start + data.size; i++) {
    if (i >= knowledge.offset && i < knowledge.offset + knowledge.length) continue;
    const c = bytes[i];
    if (c === 0) { flush(); zeros++; continue; }
    if ((c >= 0x20 && c < 0x7f) || c === 0x0a || c === 0x09) run++;
    else { binary += run + 1; run = 0; }
  }
  flush();
  return { total: data.size - knowledge.length, text, binary, zeros };
}
