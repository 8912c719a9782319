const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in England (YYYY-MM-DD). The rules take it as `asOf`; they never read a clock. */
export function todayInLondon(now: Date = new Date()): string {
  return londonDate.format(now);
}
