// The general-purpose peers: Fuse.js (fuzzy, Bitap) and MiniSearch (BM25 full text), each
// indexing the same knowledge entries, queried with the whole pasted text as a user would.
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';

const FIELDS = ['title', 'codes', 'messages', 'keywords', 'connectors', 'body'];

/** Documents as both libraries see them: one string per field. */
function documents(entries) {
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

// Fuse.js settings. `ignoreLocation` because the signal can be anywhere in a long field (by
// default Fuse only looks near the start of each field); weights put exact signals first; the
// default threshold 0.6. Patterns over 32 characters are searched by Fuse in 32-char chunks.
export const FUSE_OPTIONS = {
  includeScore: true,
  ignoreLocation: true,
  threshold: 0.6,
  keys: [
    { name: 'codes', weight: 3 },
    { name: 'messages', weight: 3 },
    { name: 'title', weight: 2 },
    { name: 'keywords', weight: 1 },
    { name: 'connectors', weight: 1 },
    { name: 'body', weight: 0.5 },
  ],
};
/** Fuse scores go from 0 (perfect) to 1: "confident" is a best score below this. */
export const FUSE_CONFIDENT_BELOW = 0.3;

// MiniSearch settings: BM25 over every field, the same field boosts as Fuse's weights, terms
// OR-ed (a paste has many words that are in no entry), light fuzziness (0.2 edit distance per
// term length) and no prefix search (a paste's words are whole words).
export const MINISEARCH_OPTIONS = {
  fields: FIELDS,
  storeFields: ['source'],
  searchOptions: {
    boost: { codes: 3, messages: 3, title: 2, keywords: 1, connectors: 1, body: 0.5 },
    combineWith: 'OR',
    fuzzy: 0.2,
    prefix: false,
  },
};
/** MiniSearch scores are unbounded BM25 sums: "confident" is a clear lead, best >= this x second. */
export const MINISEARCH_CONFIDENT_RATIO = 1.5;

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
