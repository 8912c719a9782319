import { describe, expect, it } from 'vitest';
import { bookingInvite } from './ics.ts';
import { londonInstant } from '../../domain/calendar-date.ts';

const base = {
  uid: 'booking-1@aftercare',
  sequence: 0,
  method: 'REQUEST' as const,
  title: 'Section 117 aftercare review',
  description: 'Details are in Aftercare: https://aftercare.example/people/p/reviews/bookings/b',
  location: 'Room 2, Northvale House; Hill Street',
  durationMinutes: 90,
  url: 'https://aftercare.example/people/p/reviews/bookings/b',
  stamp: new Date('2026-12-07T10:00:00Z'),
  organizer: { name: 'Sam Okafor', email: 'sam@example.org' },
  attendees: [{ name: 'Dr "Ada" Lee', email: 'ada@example.org' }],
};

const unfold = (ics: string) => ics.replace(/\r\n /g, '');

describe('the invitation to a booked review', () => {
  it('gives the start and end in England’s time with the Europe/London zone, in summer and in winter', () => {
    const summer = unfold(bookingInvite({ ...base, startsAt: londonInstant('2027-07-15', '14:30') }));
    expect(summer).toContain('DTSTART;TZID=Europe/London:20270715T143000\r\n');
    expect(summer).toContain('DTEND;TZID=Europe/London:20270715T160000\r\n');
    expect(summer).toContain('TZID:Europe/London');
    const winter = unfold(bookingInvite({ ...base, startsAt: londonInstant('2027-01-15', '09:00') }));
    expect(winter).toContain('DTSTART;TZID=Europe/London:20270115T090000\r\n');
  });

  it('is a request with its UID and sequence, escaped, folded at 75 octets, with the organiser and invitees', () => {
    const ics = bookingInvite({ ...base, sequence: 2, startsAt: londonInstant('2027-01-15', '09:00') });
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const text = unfold(ics);
    expect(text).toContain('METHOD:REQUEST\r\n');
    expect(text).toContain('UID:booking-1@aftercare\r\n');
    expect(text).toContain('SEQUENCE:2\r\n');
    expect(text).toContain('STATUS:CONFIRMED\r\n');
    expect(text).toContain('LOCATION:Room 2\\, Northvale House\\; Hill Street\r\n');
    expect(text).toContain('ORGANIZER;CN="Sam Okafor":mailto:sam@example.org\r\n');
    expect(text).toContain('ATTENDEE;CN="Dr Ada Lee";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION:mailto:ada@example.org\r\n');
    expect(text).toContain('URL:https://aftercare.example/people/p/reviews/bookings/b\r\n');
  });

  it('is a cancellation with the same UID, a higher sequence and a cancelled status', () => {
    const text = unfold(bookingInvite({ ...base, method: 'CANCEL', sequence: 3, startsAt: londonInstant('2027-01-15', '09:00') }));
    expect(text).toContain('METHOD:CANCEL\r\n');
    expect(text).toContain('UID:booking-1@aftercare\r\n');
    expect(text).toContain('SEQUENCE:3\r\n');
    expect(text).toContain('STATUS:CANCELLED\r\n');
    expect(text).toContain('SUMMARY:Cancelled: Section 117 aftercare review\r\n');
  });
});
