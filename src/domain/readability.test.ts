import { describe, expect, it } from 'vitest';
import { sentenceStats } from './readability.ts';

describe('sentenceStats: checking a plan written for the person is in plain English', () => {
  it('counts the sentences and words of a short plan summary', () => {
    const text = 'You will see Sam every week. Sam will help you with shopping and cooking! Is that what you want?';
    // 6 + 8 + 5 = 19 words in 3 sentences: 6.3 on average, the longest 8.
    expect(sentenceStats(text)).toEqual({ sentences: 3, words: 19, averageWordsPerSentence: 6.3, longestSentenceWords: 8 });
  });

  it('does not split money, decimals, e.g., i.e. or titles', () => {
    const text = 'Dr. Patel said your budget is £12.50 a week, e.g. for the gym, i.e. 1.5 hours. Mr. Jones agreed.';
    // Sentence 1: Dr. Patel said your budget is £12.50 a week, e.g. for the gym, i.e. 1.5 hours. = 16 words.
    // Sentence 2: Mr. Jones agreed. = 3 words.
    expect(sentenceStats(text)).toEqual({ sentences: 2, words: 19, averageWordsPerSentence: 9.5, longestSentenceWords: 16 });
  });

  it('counts each bullet and a heading without a full stop as a sentence, and not the bullet marks', () => {
    const text = [
      'What we will do',
      '- Visit you on Mondays',
      '* Help you take your medication',
      '• Go with you to the job centre',
      '1. Review the plan in 6 weeks',
      '2) Call your sister if you want',
    ].join('\n');
    // 4 + 4 + 5 + 7 + 6 + 6 = 32 words in 6 sentences (5.33 → 5.3); the marks "-", "*", "•", "1.", "2)" are not words.
    expect(sentenceStats(text)).toEqual({ sentences: 6, words: 32, averageWordsPerSentence: 5.3, longestSentenceWords: 7 });
  });

  it('a line break ends a sentence, blank lines add nothing, and Windows line ends work', () => {
    expect(sentenceStats('Your plan\r\n\r\nYou chose this support.\n\n')).toEqual({ sentences: 2, words: 6, averageWordsPerSentence: 3, longestSentenceWords: 4 });
  });

  it('keeps initials and section references together, and ends a sentence after "etc." only before a capital', () => {
    const text = 'J. Smith is your care coordinator under s. 117 of the Act. Bring your letters, bills etc. We will help with forms etc. and calls.';
    // 1: J. Smith is your care coordinator under s. 117 of the Act. = 12 words
    // 2: Bring your letters, bills etc. = 5 words
    // 3: We will help with forms etc. and calls. = 8 words
    // 12 + 5 + 8 = 25 words in 3 sentences: 8.33 → 8.3.
    expect(sentenceStats(text)).toEqual({ sentences: 3, words: 25, averageWordsPerSentence: 8.3, longestSentenceWords: 12 });
  });

  it('ends a sentence after closing quotes or brackets, and after "?!" or an ellipsis', () => {
    const text = 'She said "I feel safe here." We agreed (for now.) Really?! Wait... then decide.';
    // She said "I feel safe here." (6) | We agreed (for now.) (4) | Really?! (1) | Wait... (1) | then decide. (2)
    expect(sentenceStats(text)).toEqual({ sentences: 5, words: 14, averageWordsPerSentence: 2.8, longestSentenceWords: 6 });
  });

  it('finds the long sentence a reviewer should split', () => {
    const long = 'Because of the risks identified at the review in March and the concerns raised by your family about your safety at night we have agreed that staff will check on you every two hours.';
    const stats = sentenceStats(`Hello Ali.\n${long}`);
    // 34 words in the long sentence, 2 in the greeting: (2 + 34) / 2 = 18.
    expect(stats).toEqual({ sentences: 2, words: 36, averageWordsPerSentence: 18, longestSentenceWords: 34 });
  });

  it('punctuation-only tokens are not words, and empty text has no sentences', () => {
    expect(sentenceStats('Yes — we will.')).toEqual({ sentences: 1, words: 3, averageWordsPerSentence: 3, longestSentenceWords: 3 });
    expect(sentenceStats('')).toEqual({ sentences: 0, words: 0, averageWordsPerSentence: 0, longestSentenceWords: 0 });
    expect(sentenceStats('  \n - \n ... ')).toEqual({ sentences: 0, words: 0, averageWordsPerSentence: 0, longestSentenceWords: 0 });
  });
});
