const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in England (YYYY-MM-DD). The rules take it as `asOf`; they never read a clock. */
export function todayInLondon(now: Date = new Date()): string {
  return londonDate.format(now);
}

/**
 * The time, as the application sees it. The app, jobs and commands are given one (the system
 * clock by default) and carry it on the service context (`ctx.clock`, `ctx.today()`), so a test
 * sets the date instead of depending on the day it runs.
 */
export interface Clock {
  now(): Date;
  /** Today's date in England (YYYY-MM-DD). */
  today(): string;
}

export const systemClock: Clock = {
  now: () => new Date(),
  today: () => todayInLondon(),
};

/** A clock that stands still until it is set or moved on: for tests and demonstrations. */
export class SettableClock implements Clock {
  private current: Date;

  /** `at` is an instant, or a date (YYYY-MM-DD) meaning midday in London that day. */
  constructor(at: Date | string) {
    this.current = SettableClock.instant(at);
  }

  private static instant(at: Date | string): Date {
    if (at instanceof Date) return new Date(at.getTime());
    if (/^\d{4}-\d{2}-\d{2}$/.test(at)) return new Date(`${at}T12:00:00Z`);
    const parsed = new Date(at);
    if (Number.isNaN(parsed.getTime())) throw new Error(`Not a date or time: ${at}`);
    return parsed;
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  today(): string {
    return todayInLondon(this.current);
  }

  set(at: Date | string): void {
    this.current = SettableClock.instant(at);
  }

  /** Move on by whole days (negative goes back). */
  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}

/**
 * The system clock moved on (or back) by a fixed time: for training and test environments that
 * need "tomorrow" (a case note locked 24 hours after it was finished, a review falling due) without
 * waiting. Set by CLOCK_OFFSET_HOURS, which production refuses (src/platform/config/config.ts).
 */
export function offsetClock(offsetMs: number): Clock {
  return {
    now: () => new Date(Date.now() + offsetMs),
    today: () => todayInLondon(new Date(Date.now() + offsetMs)),
  };
}
