import type { PersonSection } from '../../platform/views/person-sections.ts';
import { findPersonBookings } from './bookings.queries.ts';
import { bookingWhen } from './bookings.service.ts';

/**
 * "Booked reviews" on the person page (issue 13, item 9): reviews booked and not yet held, soonest
 * first, each linking to its booking. Registered in src/app.ts; the caller has already checked
 * the actor may read the person. Read through the door, inside the person page's unit of work.
 */
export const bookedReviewsSection: PersonSection = {
  name: 'booked-reviews',
  template: 'modules/reviews/views/_person-booked-reviews.njk',
  async load(ctx, person) {
    const rows = await ctx.data.read((q) => findPersonBookings(q, ctx.actor.partnershipId, person.id, ['booked']));
    if (rows.length === 0) return null;
    return { bookings: rows.map((b) => ({ id: b.id, personId: b.personId, when: bookingWhen(b).text, place: b.place, video: !!b.videoLink, invited: (b.invitees as unknown[]).length })) };
  },
};
