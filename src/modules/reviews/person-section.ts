import { readingSection } from '../../platform/views/person-sections.ts';
import { personBookingsQuery } from './bookings.queries.ts';
import { bookingWhen } from './bookings.service.ts';

/**
 * "Booked reviews" on the person page (issue 13, item 9): reviews booked and not yet held, soonest
 * first, each linking to its booking. Registered in src/app.ts; the caller has already checked
 * the actor may read the person. Its read runs with the other sections' in one statement,
 * inside the person page's unit of work.
 */
export const bookedReviewsSection = readingSection({
  name: 'booked-reviews',
  template: 'modules/reviews/views/_person-booked-reviews.njk',
  reads: (q, ctx, person) => ({ bookings: personBookingsQuery(q, ctx.actor.partnershipId, person.id, ['booked']) }),
  show({ bookings: rows }) {
    if (rows.length === 0) return null;
    return { bookings: rows.map((b) => ({ id: b.id, personId: b.personId, when: bookingWhen(b).text, place: b.place, video: !!b.videoLink, invited: (b.invitees as unknown[]).length })) };
  },
});
