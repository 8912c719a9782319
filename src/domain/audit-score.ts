/**
 * Scoring the annual case audit (issue 7, item 3). Each checklist item of a case is answered met,
 * partly met, not met or not applicable. A score is the percentage of applicable items met, a
 * partly met item counting half:
 *
 *     score = 100 × (met + ½ × partly met) / (met + partly met + not met)
 *
 * Not applicable items are left out of both sides; with no applicable item there is no score
 * (null), never 0% or 100%. Group scores (a pillar, a team, a local authority, the whole audit)
 * pool the items of every complete case in the group, so a case with more applicable items
 * weighs more than one with few. Scores are shown rounded to whole percentages.
 *
 * Source: the partnership's audit method (docs/annual-audit.md); "partly met counts half" is the
 * convention of NHS case-note audit tools (a local choice, editable in the method, not in law).
 */

export const auditAnswers = ['met', 'partly-met', 'not-met', 'not-applicable'] as const;
export type AuditAnswer = (typeof auditAnswers)[number];

export const auditAnswerLabels: Record<AuditAnswer, string> = {
  met: 'Met',
  'partly-met': 'Partly met',
  'not-met': 'Not met',
  'not-applicable': 'Not applicable',
};

export interface AnswerRecord {
  /** Missing while only a note has been written. */
  answer?: AuditAnswer | undefined;
  note?: string | undefined;
}

export type CaseAnswers = Record<string, AnswerRecord | undefined>;

export interface Tally {
  met: number;
  partlyMet: number;
  notMet: number;
  notApplicable: number;
}

export const emptyTally = (): Tally => ({ met: 0, partlyMet: 0, notMet: 0, notApplicable: 0 });

export function addAnswer(tally: Tally, answer: AuditAnswer | undefined): Tally {
  if (answer === 'met') tally.met += 1;
  else if (answer === 'partly-met') tally.partlyMet += 1;
  else if (answer === 'not-met') tally.notMet += 1;
  else if (answer === 'not-applicable') tally.notApplicable += 1;
  return tally;
}

/** The exact score of a tally (not rounded), or null when nothing applied. */
export function tallyScore(tally: Tally): number | null {
  const applicable = tally.met + tally.partlyMet + tally.notMet;
  if (applicable === 0) return null;
  return (100 * (tally.met + tally.partlyMet / 2)) / applicable;
}

/** Whole percentage for display and storage. */
export function roundScore(score: number | null): number | null {
  return score === null ? null : Math.round(score);
}

/** The score of one case over the given items (the audit's checklist snapshot). */
export function caseScore(itemIds: readonly string[], answers: CaseAnswers): number | null {
  const tally = emptyTally();
  for (const id of itemIds) addAnswer(tally, answers[id]?.answer);
  return roundScore(tallyScore(tally));
}

/** The items still to answer, in checklist order. */
export function unansweredItems(itemIds: readonly string[], answers: CaseAnswers): string[] {
  return itemIds.filter((id) => {
    const answer = answers[id]?.answer;
    return !answer || !auditAnswers.includes(answer);
  });
}

export interface ScoredCase {
  answers: CaseAnswers;
  /** Group keys of the case, e.g. its team or local authority. */
  group?: string | null;
}

/** Pooled scores per pillar over cases, given which pillar each item belongs to. */
export function scoresByPillar(items: ReadonlyArray<{ id: string; pillar: number }>, cases: readonly ScoredCase[]): Map<number, { tally: Tally; score: number | null }> {
  const out = new Map<number, { tally: Tally; score: number | null }>();
  for (const item of items) if (!out.has(item.pillar)) out.set(item.pillar, { tally: emptyTally(), score: null });
  for (const c of cases) for (const item of items) addAnswer(out.get(item.pillar)!.tally, c.answers[item.id]?.answer);
  for (const entry of out.values()) entry.score = roundScore(tallyScore(entry.tally));
  return out;
}

/** Pooled scores per group (team, local authority) over cases. */
export function scoresByGroup(itemIds: readonly string[], cases: readonly ScoredCase[]): Map<string, { tally: Tally; score: number | null; cases: number }> {
  const out = new Map<string, { tally: Tally; score: number | null; cases: number }>();
  for (const c of cases) {
    const key = c.group ?? '';
    const entry = out.get(key) ?? { tally: emptyTally(), score: null, cases: 0 };
    entry.cases += 1;
    for (const id of itemIds) addAnswer(entry.tally, c.answers[id]?.answer);
    out.set(key, entry);
  }
  for (const entry of out.values()) entry.score = roundScore(tallyScore(entry.tally));
  return out;
}

/** The pooled score over every case. */
export function overallScore(itemIds: readonly string[], cases: readonly ScoredCase[]): number | null {
  const tally = emptyTally();
  for (const c of cases) for (const id of itemIds) addAnswer(tally, c.answers[id]?.answer);
  return roundScore(tallyScore(tally));
}

/** Change from last year in percentage points, or null when either figure is missing. */
export function scoreChange(current: number | null, previous: number | null | undefined): number | null {
  if (current === null || previous === null || previous === undefined) return null;
  return current - previous;
}

export function formatChange(change: number | null): string {
  if (change === null) return 'No comparison';
  if (change === 0) return 'No change';
  // ASCII signs: the report's PDF fonts (WinAnsi) have no minus sign (U+2212).
  return `${change > 0 ? '+' : '-'}${Math.abs(change)} points`;
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined ? 'No score' : `${score}%`;
}
