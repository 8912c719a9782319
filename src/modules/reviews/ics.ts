/** Calendar invitations (RFC 5545) for review and MDT meetings. */
import { createEvent } from 'ics';
import { londonWallClock } from '../../domain/calendar-date.ts';

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

export interface BookingInviteInput {
  /** The same for every version of the invitation, so calendars update or remove the event they hold. */
  uid: string;
  /** 0 when booked, one more at each change and at the cancellation. */
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  title: string;
  description: string;
  location: string | null;
  startsAt: Date;
  durationMinutes: number;
  /** An absolute link to the booking in Aftercare. */
  url: string;
  /** When this version was made. */
  stamp: Date;
  organizer: { name: string; email: string };
  attendees: Array<{ name: string; email: string }>;
}

/** Europe/London's rules (GMT, and BST from the last Sunday of March to the last Sunday of October). */
const VTIMEZONE_LONDON = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/London',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0000',
  'TZOFFSETTO:+0100',
  'TZNAME:BST',
  'DTSTART:19700329T010000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0000',
  'TZNAME:GMT',
  'DTSTART:19701025T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** Text escaped for an iCalendar value (RFC 5545 section 3.3.11). */
function icsText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** A parameter value (a name) quoted, without the characters a quoted parameter cannot hold. */
function icsParam(value: string): string {
  return `"${value.replace(/["\r\n]/g, '')}"`;
}

/** Lines folded at 75 octets (RFC 5545 section 3.1), without splitting a character. */
function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > (out.length === 0 ? 75 : 74)) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const londonStamp = (instant: Date) => {
  const { date, time } = londonWallClock(instant);
  return `${date.replaceAll('-', '')}T${time.replace(':', '')}00`;
};
const utcStamp = (instant: Date) => instant.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/**
 * The invitation to a booked review (issue 13, item 9): METHOD:REQUEST when booked or changed,
 * METHOD:CANCEL with STATUS:CANCELLED when cancelled, the same UID throughout and SEQUENCE one
 * more each time. Times are England's wall-clock time with the Europe/London time zone, so the
 * invitation reads as the practitioner booked it and calendars abroad still show the right time.
 */
export function bookingInvite(input: BookingInviteInput): string {
  const end = new Date(input.startsAt.getTime() + input.durationMinutes * 60_000);
  const cancelled = input.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Aftercare//Review bookings//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    ...VTIMEZONE_LONDON,
    'BEGIN:VEVENT',
    `UID:${input.uid}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcStamp(input.stamp)}`,
    `DTSTART;TZID=Europe/London:${londonStamp(input.startsAt)}`,
    `DTEND;TZID=Europe/London:${londonStamp(end)}`,
    `SUMMARY:${icsText(cancelled ? `Cancelled: ${input.title}` : input.title)}`,
    `DESCRIPTION:${icsText(input.description)}`,
    ...(input.location ? [`LOCATION:${icsText(input.location)}`] : []),
    `URL:${input.url}`,
    `ORGANIZER;CN=${icsParam(input.organizer.name)}:mailto:${input.organizer.email}`,
    ...input.attendees.map((a) => `ATTENDEE;CN=${icsParam(a.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:${a.email}`),
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
