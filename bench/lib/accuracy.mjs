// Scoring ranked answers against tests/data/eval.jsonl, as `adf-troubleshooter eval` does:
// top-1 and top-3 by Learn URL (with anchor), and how often the best answer is "confident".

/**
 * `answers[i]`: {sources: [url, ...] best first, confident: bool} for `cases[i]`.
 * Returns counts: labelled cases, top-1, top-3, unlabelled (null) cases, confident on null,
 * confident and right / wrong on labelled cases.
 */
export function score(cases, answers) {
  const t = { cases: cases.length, labelled: 0, top1: 0, top3: 0, nulls: 0, confidentOnNull: 0, confidentRight: 0, confidentWrong: 0 };
  cases.forEach((c, i) => {
    const { sources, confident } = answers[i];
    if (c.expected) {
      t.labelled++;
      const first = sources[0] === c.expected;
      t.top1 += first;
      t.top3 += sources.slice(0, 3).includes(c.expected);
      if (confident) first ? t.confidentRight++ : t.confidentWrong++;
    } else {
      t.nulls++;
      t.confidentOnNull += Boolean(confident);
    }
  });
  return t;
}
