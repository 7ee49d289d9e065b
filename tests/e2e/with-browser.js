// One browser per test file: launched before its tests, closed after them, and every test
// fails if a page or frame had an uncaught error during it (see assertNoPageErrors).
import { before, after, afterEach } from 'node:test';
import { launch, assertNoPageErrors } from './harness.js';

/**
 * The file's browser: a stand-in whose properties are those of launch()'s result once it ran.
 * `setUp()` runs right after the launch, before any test.
 */
export function withBrowser(setUp = async () => {}, options = {}) {
  let browser;
  before(async () => {
    browser = await launch(typeof options === 'function' ? options() : options);
    await setUp();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(() => assertNoPageErrors(browser));
  return new Proxy({}, { get: (_, key) => browser[key] });
}
