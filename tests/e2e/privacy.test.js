// docs/privacy.md lists the permissions, host permissions and pages of the content script; the
// built manifest must ask for exactly those. The lists are read from the document itself: its
// bullets that start with a `code` value, under each of the three headings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dist } from './harness.js';

const doc = readFileSync(join(dist, '..', 'docs', 'privacy.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));

/** The `values` that start the bullets of the section under `## heading`. */
function listed(heading) {
  const sections = doc.split(/^## /m);
  const section = sections.find((s) => s.startsWith(`${heading}\n`));
  assert.ok(section, `docs/privacy.md has a "## ${heading}" section`);
  return [...section.matchAll(/^- `([^`]+)`/gm)].map((m) => m[1]).sort();
}

const sorted = (list = []) => [...list].sort();

test('docs/privacy.md lists exactly the permissions and optional permissions of the built manifest', () => {
  assert.deepEqual(sorted(manifest.permissions), listed('Permissions'));
  assert.deepEqual(sorted(manifest.optional_permissions), listed('Optional permissions'));
});

test('docs/privacy.md lists exactly the host permissions of the built manifest', () => {
  assert.deepEqual(sorted([...manifest.host_permissions ?? [], ...manifest.optional_host_permissions ?? []]), listed('Host permissions'));
});

test('docs/privacy.md lists exactly the pages where the content script runs', () => {
  const matches = manifest.content_scripts.flatMap((script) => script.matches);
  assert.equal(new Set(matches).size, matches.length, 'no page listed twice');
  assert.deepEqual(sorted(matches), listed('Pages where the content script runs'));
  assert.ok(manifest.content_scripts.every((script) => !script.exclude_matches && !script.include_globs), 'no other page rules');
});
