/** Calendar invitations (RFC 5545) for review and MDT meetings, and London wall-clock times. */
import { createEvent } from 'ics';

const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function londonWallClockMs(instant: Date): number {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
}

/** The instant of a wall-clock date and time in England (BST or GMT as it was then). */
export function londonLocalToInstant(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const wanted = Date.UTC(y, m - 1, d, hh, mm);
  // Guess it is UTC, see what England's clock shows then, and correct by the difference (twice, for the change-over days).
  let guess = wanted;
  for (let i = 0; i < 2; i += 1) guess += wanted - londonWallClockMs(new Date(guess));
  return new Date(guess);
}

/** The wall-clock date and time in England, for forms and pages. */
export function londonLocal(instant: Date): { date: string; time: string } {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export interface InviteInput {
  uid: string;
  title: string;
  description: string;
  location: string | null;
  startsAt: Date;
  durationMinutes: number;
  url?: string;
}

/** An iCalendar file for the meeting. Times are in UTC, so every calendar shows the right local time. */
export function meetingInvite(input: InviteInput): string {
  const s = input.startsAt;
  const { error, value } = createEvent({
    uid: input.uid,
    productId: 'aftercare/ics',
    title: input.title,
    description: input.description,
    ...(input.location ? { location: input.location } : {}),
    ...(input.url ? { url: input.url } : {}),
    start: [s.getUTCFullYear(), s.getUTCMonth() + 1, s.getUTCDate(), s.getUTCHours(), s.getUTCMinutes()],
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: input.durationMinutes },
    status: 'CONFIRMED',
  });
  if (error || !value) throw error ?? new Error('The calendar invitation could not be made');
  return value;
}
