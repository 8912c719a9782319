/**
 * The daily reminder job (issue 6). For every entitled person whose next review (the register's
 * stored `next_review_due`, from the rules engine, R27/R33) is due within the partnership's
 * reminder window or overdue, a notification is queued for the lead practitioner and the team
 * managers of the allocated team's organisation: "review due soon" from the reminder date,
 * "review overdue" after the due date. Each is keyed `review-due:<person>:<due>:<user>` (or
 * `review-overdue:…`) and inserted ON CONFLICT DO NOTHING, so running the job twice, or on two
 * instances at once, queues each reminder once.
 *
 * The job spans partnerships, so it reads the list of partnerships and then opens one door per
 * partnership, acting as that partnership's system actor (docs/decisions/0006): everything it
 * reads and queues for a partnership is confined to it by row-level security.
 */
import { addDays } from '../../domain/calendar-date.ts';
import { daysOverdue, reminderKey, reminderOwed } from '../../domain/reviews.ts';
import type { Actor } from '../../platform/access/actor.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { openDoor } from '../../platform/data/door.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { partnershipsWithLead, peopleWithReviewDueBy, teamManagersOf } from './reminders.queries.ts';
import { reviewPolicy } from './reviews.service.ts';
import { countOf, govukDate } from '../../platform/plain-language.ts';

export const formatLongDate = (iso: string) => govukDate(iso);

/** The job's actor in one partnership: the system, for the partnership's lead organisation, with no roles. */
function reminderActor(partnershipId: string, organisationId: string): Actor {
  return { kind: 'user', userId: null, tokenId: null, displayName: 'Aftercare (review reminders)', partnershipId, activeOrganisationId: organisationId, memberships: [] };
}

export async function queueReviewReminders(db: Db, options: { today?: string; clock?: Clock; channel?: 'email' | 'in-app' } = {}): Promise<{ queued: number; considered: number }> {
  const today = options.today ?? (options.clock ?? systemClock).today();
  const channel = options.channel ?? 'in-app';
  let queued = 0;
  let considered = 0;
  for (const { partnershipId, organisationId } of await partnershipsWithLead(db)) {
    // A partnership with no organisation yet has nobody on its register.
    if (!organisationId) continue;
    const door = openDoor(db, reminderActor(partnershipId, organisationId), `job:queue-review-reminders:${today}`);
    const counts = await door.transaction(async (tx) => queueForPartnership(tx, partnershipId, today, channel));
    queued += counts.queued;
    considered += counts.considered;
  }
  return { queued, considered };
}

async function queueForPartnership(tx: Tx, partnershipId: string, today: string, channel: 'email' | 'in-app'): Promise<{ queued: number; considered: number }> {
  let queued = 0;
  let considered = 0;
  const policy = await reviewPolicy(tx, partnershipId);
  const people = await peopleWithReviewDueBy(tx, partnershipId, addDays(today, policy.reminderDaysBefore));
  const orgIds = [...new Set(people.map((p) => p.teamOrganisationId).filter((x): x is string => x !== null))];
  const managers = await teamManagersOf(tx, partnershipId, orgIds);
  for (const p of people) {
    const due = p.due!;
    const kind = reminderOwed(due, today, policy.reminderDaysBefore);
    if (!kind) continue;
    considered += 1;
    const recipients = new Set<string>();
    if (p.lead) recipients.add(p.lead);
    for (const m of managers) if (m.organisationId === p.teamOrganisationId) recipients.add(m.userId);
    const name = `${p.givenName} ${p.familyName}`;
    const subject = kind === 'review-due' ? `Section 117 review due on ${formatLongDate(due)}` : `Section 117 review overdue since ${formatLongDate(due)}`;
    const body =
      kind === 'review-due'
        ? `The section 117 aftercare review for ${name} is due on ${formatLongDate(due)}.`
        : `The section 117 aftercare review for ${name} was due on ${formatLongDate(due)} and is ${countOf(daysOverdue(due, today), 'day')} overdue.`;
    for (const userId of recipients) {
      const added = await queueNotification(
        tx,
        { partnershipId, dedupeKey: reminderKey(kind, p.id, due, userId), kind, recipientUserId: userId, personId: p.id, subject, body, link: `/people/${p.id}/reviews/new` },
        channel,
      );
      if (added) queued += 1;
    }
  }
  return { queued, considered };
}
