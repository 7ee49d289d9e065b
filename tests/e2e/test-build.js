// A copy of dist/ whose manifest carries a fixed public key, so that the extension has a known
// id (Chromium derives the id from the key): policies name extensions by id. Only the public
// key is here; an unpacked extension needs no private key.
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dist } from './harness.js';

export const TEST_KEY = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAyQTaGi4xNFHyVwE1GzNfGH/wxEcbOsR9HeJXAxR3KS6+pCzmx5WU18QY6qt2hR2VY859GU45Dh+vvKOz76MCZRoJLFw2V1QL+y5ZG/Ky6rFjlvTvQUeSjvJQ0R1HPgUOfREvoyU7qJL/4xUT0LF5JT1/LAEMS2xolTayRgkBUhpXAbW+ysN4PUrQwO5brlUmjVYzqr/oI9HkK1NuKpNm1fx+FY79UNbrY/lbiedSVkjgCucN6XE9tguDOsXlNnrrDHu5TMHyOu02WehaNp91FaC4sAXYjFHfAooClgJrdLnpMhi3axA0FBHhPrFlk5dQilhoDBOvs1TYEWBXzdrSBwIDAQAB';

/** The extension id Chromium derives from a key: SHA-256 of the DER key, 32 hex digits as a-p. */
export function idOfKey(key) {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

/** Copies dist/ with the test key (and any manifest changes); returns the folder and the id. */
export function keyedBuild(change = () => {}) {
  const dir = mkdtempSync(join(tmpdir(), 'adf-troubleshooter-keyed-'));
  cpSync(dist, dir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  manifest.key = TEST_KEY;
  change(manifest);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, id: idOfKey(TEST_KEY), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
