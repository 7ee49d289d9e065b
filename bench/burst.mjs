#!/usr/bin/env node
// The content script's cost per 1,000-mutation burst alone (section 2 of bench/run.mjs's
// browser measurements), for comparing builds of the content script without the whole run:
//
//   node bench/burst.mjs                                  dist/, one browser
//   node bench/burst.mjs --rounds 5 --extension A --extension B
//                                                         builds A and B in turn, a fresh browser each
//   options: --bursts N (per page and round), --profile (where the time goes), --baseline
//            (the same pages where the content script does not run)
//
// Prints the median per burst of every round and of all rounds' bursts together, per build.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { launch, dist } from '../tests/e2e/harness.js';
import {
  PAGE_URL, BASELINE_URL, PLAIN_URL, PLAIN_BASELINE_URL, BURSTS, routePortalPages, settle, measureBursts, profileBursts, median,
} from './lib/content-burst.mjs';

const { values } = parseArgs({
  options: {
    extension: { type: 'string', multiple: true, default: [dist] },
    rounds: { type: 'string', default: '1' },
    bursts: { type: 'string', default: String(BURSTS) },
    profile: { type: 'boolean', default: false },
    baseline: { type: 'boolean', default: false },
  },
});
const extensions = values.extension.map((path) => resolve(path));
const bursts = Number(values.bursts);
const pages = [['notifications', PAGE_URL, true], ['plain', PLAIN_URL, true]];
if (values.baseline) pages.push(['notifications baseline', BASELINE_URL, false], ['plain baseline', PLAIN_BASELINE_URL, false]);
const us = (ms) => `${Math.round(ms * 1000)} µs`;

const all = new Map(extensions.map((e) => [e, new Map(pages.map(([name]) => [name, { rounds: [], bursts: [] }]))]));
for (let round = 1; round <= Number(values.rounds); round++) {
  for (const extension of extensions) {
    const browser = await launch({ extension });
    try {
      await routePortalPages(browser.context);
      await settle(browser.context);
      for (const [name, url, contentScript] of pages) {
        const measured = await measureBursts(browser.context, url, { bursts, contentScript });
        const into = all.get(extension).get(name);
        into.rounds.push(median(measured.bursts));
        into.bursts.push(...measured.bursts);
        console.log(`round ${round} ${extension} ${name}: median ${us(median(measured.bursts))}; ${measured.bursts.map(us).join(' ')}`);
        if (values.profile) {
          const profile = await profileBursts(measured);
          for (const [fn, ms] of profile.byFunction) console.log(`    ${us(ms).padStart(9)}  ${fn}`);
        }
        await measured.page.close();
      }
    } finally {
      await browser.close();
    }
  }
}
console.log('\nper build and page: median of all bursts (median of the round medians)');
for (const [extension, byPage] of all) {
  for (const [name, { rounds, bursts: times }] of byPage) {
    console.log(`${extension} ${name}: ${us(median(times))} (${us(median(rounds))}) over ${times.length} bursts, ${rounds.length} rounds`);
  }
}
