/**
 * The daily reminder job (issue 6). For every entitled person whose next review (the register's
 * stored `next_review_due`, from the rules engine, R27/R33) is due within the partnership's
 * reminder window or overdue, a notification is queued for the lead practitioner and the team
 * managers of the allocated team's organisation: "review due soon" from the reminder date,
 * "review overdue" after the due date. Each is keyed `review-due:<person>:<due>:<user>` (or
 * `review-overdue:…`) and inserted ON CONFLICT DO NOTHING, so running the job twice, or on two
 * instances at once, queues each reminder once.
 */
import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import { addDays } from '../../domain/calendar-date.ts';
import { daysOverdue, reminderKey, reminderOwed } from '../../domain/reviews.ts';
import { todayInLondon } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { appUser, membership, partnership } from '../../platform/db/schema.ts';
import { queueNotification } from '../../platform/notifications/outbox.ts';
import { person, team } from '../register/index.ts';
import { reviewPolicy } from './reviews.service.ts';

const longDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
export const formatLongDate = (iso: string) => longDate.format(new Date(`${iso}T00:00:00Z`));

export async function queueReviewReminders(db: Db, options: { today?: string; channel?: 'email' | 'in-app' } = {}): Promise<{ queued: number; considered: number }> {
  const today = options.today ?? todayInLondon();
  const channel = options.channel ?? 'in-app';
  const partnerships = await db.select({ id: partnership.id }).from(partnership);
  let queued = 0;
  let considered = 0;
  for (const { id: partnershipId } of partnerships) {
    const policy = await reviewPolicy(db, partnershipId);
    const people = await db
      .select({
        id: person.id,
        givenName: person.givenName,
        familyName: person.familyName,
        due: person.nextReviewDue,
        lead: person.leadPractitionerId,
        teamOrganisationId: team.organisationId,
      })
      .from(person)
      .leftJoin(team, and(eq(team.partnershipId, person.partnershipId), eq(team.id, person.allocatedTeamId)))
      .where(and(eq(person.partnershipId, partnershipId), eq(person.status, 'entitled'), isNotNull(person.nextReviewDue), lte(person.nextReviewDue, addDays(today, policy.reminderDaysBefore))));
    const orgIds = [...new Set(people.map((p) => p.teamOrganisationId).filter((x): x is string => x !== null))];
    const managers = orgIds.length
      ? await db
          .select({ organisationId: membership.organisationId, userId: appUser.id })
          .from(membership)
          .innerJoin(appUser, eq(appUser.id, membership.userId))
          .where(and(eq(membership.partnershipId, partnershipId), inArray(membership.organisationId, orgIds), eq(appUser.active, true), sql`'team-manager' = any(${membership.roles})`))
      : [];
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
          : `The section 117 aftercare review for ${name} was due on ${formatLongDate(due)} and is ${daysOverdue(due, today)} days overdue.`;
      for (const userId of recipients) {
        const added = await queueNotification(
          db,
          { partnershipId, dedupeKey: reminderKey(kind, p.id, due, userId), kind, recipientUserId: userId, personId: p.id, subject, body, link: `/people/${p.id}/reviews/new` },
          channel,
        );
        if (added) queued += 1;
      }
    }
  }
  return { queued, considered };
}
