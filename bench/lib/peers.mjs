// The general-purpose peers: Fuse.js (fuzzy, Bitap) and MiniSearch (BM25 full text), each
// indexing the same knowledge entries, queried with the whole pasted text as a user would.
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';

const FIELDS = ['title', 'codes', 'messages', 'keywords', 'connectors', 'body'];

/** Documents as both libraries see them: one string per field. */
export function documents(entries) {
  return entries.map((e, index) => ({
    id: index,
    source: e.source,
    title: e.title,
    codes: e.codes.join(' '),
    messages: e.messages.join('\n'),
    keywords: e.keywords.join(', '),
    connectors: e.connectors.join(', '),
    body: e.body,
  }));
}

// Fuse.js settings. A paste is long and Fuse's classic mode matches the whole query as one
// fuzzy pattern (in 32-character chunks, over a second per query here, and less accurate), so
// the peer uses Fuse 7's token search: each query word matched on its own and weighed by IDF.
// Exact words (threshold 0): fuzzy words (0.2) were slower and less accurate on this set; field
// length norms and per-key weights off: both lowered top-1 here. `ignoreLocation`: a signal
// can be anywhere in a long field.
export const FUSE_OPTIONS = {
  includeScore: true,
  useTokenSearch: true,
  threshold: 0,
  ignoreLocation: true,
  ignoreFieldNorm: true,
  keys: FIELDS,
};
/** Fuse scores go from 0 (perfect) to 1: "confident" is a best score below this. */
export const FUSE_CONFIDENT_BELOW = 0.3;
export const FUSE_THRESHOLDS = [0.3, 0.5, 0.7];

// MiniSearch settings: BM25 over every field; boosts for the exact signals (codes and messages
// x3, title x2, keywords and connectors x1, body x0.5); terms OR-ed (a paste has many words that
// are in no entry); light fuzziness (0.1 of the term length) and no prefix search (a paste's
// words are whole words). Of the settings tried, these gave the best top-1 on this set.
export const MINISEARCH_OPTIONS = {
  fields: FIELDS,
  storeFields: ['source'],
  searchOptions: {
    boost: { codes: 3, messages: 3, title: 2, keywords: 1, connectors: 1, body: 0.5 },
    combineWith: 'OR',
    fuzzy: 0.1,
    prefix: false,
  },
};
/** MiniSearch scores are unbounded BM25 sums: "confident" is a clear lead, best >= this x second. */
export const MINISEARCH_CONFIDENT_RATIO = 1.5;
export const MINISEARCH_RATIOS = [1.5, 2, 3];

/** Each peer: {name, build(entries) -> index, search(index, text) -> [{source, score}], confident(results)}. */
export const PEERS = {
  'Fuse.js': {
    build(entries, options = FUSE_OPTIONS) {
      return new Fuse(documents(entries), options);
    },
    search(index, text) {
      return index.search(text, { limit: 5 }).map((r) => ({ source: r.item.source, score: r.score }));
    },
    confident(results, below = FUSE_CONFIDENT_BELOW) {
      return results.length > 0 && results[0].score < below;
    },
  },
  MiniSearch: {
    build(entries, options = MINISEARCH_OPTIONS) {
      const index = new MiniSearch(options);
      index.addAll(documents(entries));
      return index;
    },
    search(index, text) {
      return index.search(text).slice(0, 5).map((r) => ({ source: r.source, score: r.score }));
    },
    confident(results, ratio = MINISEARCH_CONFIDENT_RATIO) {
      if (!results.length) return false;
      if (results.length === 1) return true;
      return results[0].score >= ratio * results[1].score;
    },
  },
};
