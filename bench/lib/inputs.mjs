// Padded inputs, built by the same recipe as crate/benches/explain.rs (`noise_line`, `padded`),
// so native and wasm timings are for byte-identical texts: a self-hosted IR log without any
// error, then a newline and the error text at the end.
export const SIZES = [
  ['1KB', 1024],
  ['10KB', 10 * 1024],
  ['100KB', 100 * 1024],
  ['1MB', 1024 * 1024],
  ['5MB', 5 * 1024 * 1024],
];

const pad = (n, width) => String(n).padStart(width, '0');

export function noiseLine(i) {
  return `[2024-06-12 08:${pad(Math.floor(i / 60) % 60, 2)}:${pad(i % 60, 2)}.${pad(i % 1000, 3)}] INFO  Microsoft.DataTransfer.Execution: heartbeat ${i} from node shir-prod-01, status Online, concurrent jobs 3, CPU 41%, memory 58%\n`;
}

/** `size` bytes: log noise, a newline, then `error` (the error alone when it is larger). */
export function padded(error, size) {
  const errorBytes = Buffer.byteLength(error);
  if (errorBytes + 1 >= size) return error;
  const noise = size - errorBytes - 1;
  const parts = [];
  let length = 0;
  for (let i = 0; length < noise; i++) {
    const line = noiseLine(i);
    parts.push(line);
    length += line.length;
  }
  return `${parts.join('').slice(0, noise)}\n${error}`;
}

/** FNV-1a, 32 bits, of the UTF-8 bytes: compared with the native bench's inputs. */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
