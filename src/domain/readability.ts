/**
 * Sentence statistics for plain-English checks on plans and letters written to the person
 * (LGA framework for section 117, pillar 2: plans are person-centred; shared with the person).
 *
 * Rules:
 *  - every line is at least one sentence: a bullet, a numbered item or a heading without a full
 *    stop is a sentence of its own; list markers ("-", "*", "•", "1.", "2)", "(a)") are not words;
 *  - within a line, a sentence ends at a word ending in ".", "!" or "?" (closing quotes and
 *    brackets after it allowed), except:
 *      titles (Mr. Mrs. Ms. Dr. Prof. …) and dotted abbreviations (e.g. i.e. a.m.),
 *      single-letter initials ("J. Smith"),
 *      "No.", "s.", "para.", "ch." and the like when a number follows ("No. 5", "s. 117"),
 *      "etc." and "approx." unless the next word starts with a capital letter;
 *  - a full stop inside a word never ends a sentence: "£12.50", "1.5", "www.gov.uk";
 *  - a word is any token, between spaces, containing a letter or a digit.
 */

export interface SentenceStats {
  readonly sentences: number;
  readonly words: number;
  /** Words ÷ sentences, to one decimal place; 0 for no sentences. */
  readonly averageWordsPerSentence: number;
  readonly longestSentenceWords: number;
}

/** Never end a sentence when a word follows (compared lower-case, without the final "."). */
const TITLES = new Set(['mr', 'mrs', 'ms', 'mx', 'dr', 'prof', 'st', 'rev', 'cllr', 'vs', 'cf']);
/** Do not end a sentence when a number follows: "No. 5", "s. 117", "para. 33.10". */
const BEFORE_NUMBER = new Set(['no', 'nos', 's', 'ss', 'ch', 'para', 'paras', 'reg', 'regs', 'sch', 'fig', 'ref', 'tel', 'p', 'pp']);
/** End a sentence only when the next word starts with a capital letter. */
const MAY_END = new Set(['etc', 'approx']);

const LIST_MARKER = /^\s*(?:[-*•‣◦▪–—]|\d{1,3}[.)]|\(?[a-z][)]|\([ivx]{1,5}\)|\(\d{1,3}\))\s+/iu;
const HAS_WORD_CHARACTER = /[\p{L}\p{N}]/u;
const TERMINAL = /[.!?]+["'”’)\]]*$/u;
const DOTTED_ABBREVIATION = /^\(?(?:\p{L}\.){2,}["'”’)\]]*$/u;
const INITIAL = /^\p{Lu}\.$/u;

function endsSentence(token: string, next: string | undefined): boolean {
  if (!TERMINAL.test(token)) return false;
  const bare = token.replace(/["'”’)\]]+$/u, '');
  if (!bare.endsWith('.')) return true; // ! or ?
  if (/\.{3}$/u.test(bare)) return true; // an ellipsis
  if (DOTTED_ABBREVIATION.test(token)) return false;
  if (INITIAL.test(bare) && next !== undefined) return false;
  const word = bare.slice(0, -1).replace(/^[("'“‘[]+/u, '').toLowerCase();
  if (MAY_END.has(word)) return next === undefined || /^["'“‘(]*\p{Lu}/u.test(next);
  if (TITLES.has(word) && next !== undefined) return false;
  if (BEFORE_NUMBER.has(word) && next !== undefined && /^\(?\p{N}/u.test(next)) return false;
  return true;
}

export function sentenceStats(text: string): SentenceStats {
  const lengths: number[] = [];
  for (const rawLine of text.split(/\r\n|\r|\n|\u2028|\u2029/u)) {
    const line = rawLine.replace(LIST_MARKER, '');
    const tokens = line.split(/\s+/u).filter((token) => token !== '');
    let words = 0;
    tokens.forEach((token, index) => {
      if (HAS_WORD_CHARACTER.test(token)) words += 1;
      if (endsSentence(token, tokens[index + 1]) && words > 0) {
        lengths.push(words);
        words = 0;
      }
    });
    if (words > 0) lengths.push(words);
  }
  const sentences = lengths.length;
  const words = lengths.reduce((sum, n) => sum + n, 0);
  return {
    sentences,
    words,
    averageWordsPerSentence: sentences === 0 ? 0 : Math.round((words / sentences) * 10) / 10,
    longestSentenceWords: lengths.reduce((max, n) => Math.max(max, n), 0),
  };
}
