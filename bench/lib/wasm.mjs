// Reading a .wasm file: section sizes, where the embedded knowledge JSON lies, and (from the
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
 * The knowledge JSON embedded in the wasm, located exactly: build.rs writes it as one JSON array
 * and `include_str!` puts it verbatim in the data section. Each candidate knowledge.json from
 * the wasm build's OUT_DIR is searched for in the data section; the one found is the answer.
 * Without a candidate (no target/ dir), the JSON is found by its first bytes `[{"id":"` and
 * its length by scanning to the matching `]` outside strings.
 */
export function locateKnowledge(wasm, outDirsRoot) {
  const data = sections(wasm).find((s) => s.id === 11);
  if (!data) throw new Error('the wasm has no data section');
  const dataBytes = wasm.subarray(data.start, data.start + data.size);
  const candidates = [];
  if (outDirsRoot && existsSync(outDirsRoot)) {
    for (const dir of readdirSync(outDirsRoot)) {
      const file = join(outDirsRoot, dir, 'out', 'knowledge.json');
      if (dir.startsWith('adf-troubleshooter-') && existsSync(file)) candidates.push(file);
    }
  }
  for (const file of candidates) {
    const json = readFileSync(file);
    const at = dataBytes.indexOf(json);
    if (at >= 0) {
      return { method: `exact match of ${file.replace(/.*\/target\//, 'target/')}`, offset: data.start + at, length: json.length };
    }
  }
  const at = dataBytes.indexOf(Buffer.from('[{"id":"'));
  if (at < 0) throw new Error('no knowledge JSON found in the wasm data section');
  let depth = 0, inString = false, i = at;
  for (; i < dataBytes.length; i++) {
    const c = dataBytes[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      depth--;
      if (depth === 0) break;
    }
  }
  const length = i - at + 1;
  JSON.parse(dataBytes.subarray(at, at + length).toString('utf8'));
  return { method: 'scan of the data section for the JSON array', offset: data.start + at, length };
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
