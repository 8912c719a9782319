/**
 * Review and MDT meetings about a person (issue 6): when, where, who, what was discussed and
 * decided, and actions with owners and due dates. A review meeting schedules the person's next
 * review (completed later from the meeting). Each write is one transaction with an audit event;
 * an action is ticked off against its version.
 */
import { z } from 'zod';
import { isRealDate, londonInstant } from '../../domain/calendar-date.ts';
import type { DbOrTx } from '../../platform/db/database.ts';
import { InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { expectOneUpdated, type ServiceContext } from '../../platform/http/context.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { loadPerson, type PersonRow } from '../register/index.ts';
import {
  findAction,
  findActionsOfMeetings,
  findMeeting,
  findPartnershipUsers,
  findPersonMeetings,
  insertActions,
  insertMeeting,
  updateActionAtVersion,
  type ActionRow,
  type MeetingRow,
} from './meetings.queries.ts';
import { scheduleReview } from './reviews.service.ts';

export type { ActionRow, MeetingRow };

export const meetingKinds = ['review', 'mdt'] as const;
export const meetingKindLabels: Record<(typeof meetingKinds)[number], string> = { review: 'Section 117 review meeting', mdt: 'Multidisciplinary team (MDT) meeting' };

const optional = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, { error: `${what} must be ${max} characters or fewer` })
    .nullish()
    .transform((v) => (v ? v : null));

export const meetingInputSchema = z
  .strictObject({
    kind: z.enum(meetingKinds, { error: 'Select the kind of meeting' }),
    date: z.string({ error: 'Enter the date of the meeting' }).refine((v) => v !== '', { error: 'Enter the date of the meeting' }).refine((v) => v === '' || isRealDate(v), { error: 'The date of the meeting must be a real date' }),
    time: z
      .string({ error: 'Enter the time the meeting starts' })
      .trim()
      .regex(/^([01]?\d|2[0-3])[:.][0-5]\d$/, { error: 'Enter the time the meeting starts as hours and minutes on the 24-hour clock, for example 14:30' }),
    durationMinutes: z.coerce.number({ error: 'Enter how long the meeting lasts, in minutes' }).int({ error: 'Enter how long the meeting lasts as a whole number of minutes' }).min(5, { error: 'The meeting must last at least 5 minutes' }).max(600, { error: 'The meeting must last 600 minutes or less' }),
    location: optional(500, 'Where'),
    attendees: z
      .array(z.strictObject({ name: z.string().trim().min(1, { error: 'Enter their name' }).max(200), role: optional(200, 'Role'), organisation: optional(200, 'Organisation') }))
      .max(30)
      .default([]),
    discussion: optional(8000, 'What was discussed'),
    decisions: optional(8000, 'What was decided'),
    actions: z
      .array(
        z.strictObject({
          description: z.string().trim().min(1, { error: 'Describe the action' }).max(1000),
          ownerUserId: z.uuid({ error: 'Select who owns the action' }).nullish(),
          ownerName: optional(200, 'Owner'),
          dueOn: z
            .string()
            .nullish()
            .refine((v) => !v || isRealDate(v), { error: 'The action’s due date must be a real date' })
            .transform((v) => (v ? v : null)),
        }),
      )
      .max(30)
      .default([]),
  });

export async function createMeeting(ctx: ServiceContext, personId: string, input: unknown): Promise<MeetingRow> {
  const data = parseInput(meetingInputSchema, input);
  const startsAt = londonInstant(data.date, data.time.replace('.', ':'));
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:write');
    const ownerIds = [...new Set(data.actions.map((a) => a.ownerUserId).filter((x): x is string => !!x))];
    const owners = await findPartnershipUsers(tx, ctx.actor.partnershipId, ownerIds);
    data.actions.forEach((a, i) => {
      if (a.ownerUserId && !owners.some((o) => o.id === a.ownerUserId)) throw new InputError([{ path: `actions[${i}].ownerUserId`, message: 'Select who owns the action from the list' }]);
    });
    const scheduled = data.kind === 'review' ? await scheduleReview(tx, audit, ctx, p) : null;
    const created = await insertMeeting(tx, {
      partnershipId: ctx.actor.partnershipId,
      personId,
      kind: data.kind,
      reviewId: scheduled?.id ?? null,
      startsAt,
      durationMinutes: data.durationMinutes,
      location: data.location,
      attendees: data.attendees,
      discussion: data.discussion,
      decisions: data.decisions,
      createdBy: ctx.actor.userId,
    });
    const actions = await insertActions(
      tx,
      data.actions.map((a) => ({
        partnershipId: ctx.actor.partnershipId,
        meetingId: created.id,
        personId,
        description: a.description,
        ownerUserId: a.ownerUserId ?? null,
        ownerName: a.ownerName ?? owners.find((o) => o.id === a.ownerUserId)?.name ?? null,
        dueOn: a.dueOn,
      })),
    );
    await audit.change({ action: 'meeting.created', subjectType: 'person', subjectId: personId, after: { meeting: created, actions } });
    return created;
  });
}

export async function listMeetings(ctx: ServiceContext, personId: string): Promise<{ person: PersonRow; meetings: Array<MeetingRow & { actions: ActionRow[] }> }> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const rows = await findPersonMeetings(tx, ctx.actor.partnershipId, personId);
    const actions = await findActionsOfMeetings(tx, ctx.actor.partnershipId, rows.map((r) => r.id));
    await audit.viewPerson(personId, { page: 'meetings' });
    return { person: p, meetings: rows.map((m) => ({ ...m, actions: actions.filter((a) => a.meetingId === m.id) })) };
  });
}

async function loadMeeting(q: DbOrTx, partnershipId: string, personId: string, meetingId: string): Promise<MeetingRow> {
  if (!z.uuid().safeParse(meetingId).success) throw new NotFoundError('Meeting not found');
  const row = await findMeeting(q, partnershipId, personId, meetingId);
  if (!row) throw new NotFoundError('Meeting not found');
  return row;
}

/** One meeting, its attendees and actions; each read is a view of the person's record (issue 12, finding 8), as the page or its calendar invitation. */
export async function getMeeting(ctx: ServiceContext, personId: string, meetingId: string, as: 'page' | 'invitation' = 'page'): Promise<{ person: PersonRow; meeting: MeetingRow; actions: ActionRow[] }> {
  return ctx.data.transaction(async (tx, audit) => {
    const p = await loadPerson(tx, ctx, personId, 'person:read');
    const m = await loadMeeting(tx, ctx.actor.partnershipId, personId, meetingId);
    const actions = await findActionsOfMeetings(tx, ctx.actor.partnershipId, [meetingId]);
    await audit.viewPerson(personId, { meeting: meetingId, as });
    return { person: p, meeting: m, actions };
  });
}

/** Tick an action done, or not done again, at the version the page showed. */
export async function setActionDone(ctx: ServiceContext, personId: string, meetingId: string, actionId: string, version: number, done: boolean): Promise<ActionRow> {
  if (!z.uuid().safeParse(actionId).success) throw new NotFoundError('Action not found');
  return ctx.data.transaction(async (tx, audit) => {
    await loadPerson(tx, ctx, personId, 'person:write');
    await loadMeeting(tx, ctx.actor.partnershipId, personId, meetingId);
    const before = await findAction(tx, ctx.actor.partnershipId, meetingId, actionId);
    if (!before) throw new NotFoundError('Action not found');
    const now = ctx.clock.now();
    const updated = expectOneUpdated(await updateActionAtVersion(tx, ctx.actor.partnershipId, actionId, version, { done, completedAt: done ? now : null, updatedAt: now }));
    await audit.change({ action: done ? 'meeting-action.done' : 'meeting-action.reopened', subjectType: 'person', subjectId: personId, before, after: updated });
    return updated;
  });
}
