import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { legalEventSchema, ruleById, sourceParts } from '../../domain/rules/index.ts';
import { flagMeanings, type Flag } from '../../domain/rules/contract.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { can } from '../../platform/access/policy.ts';
import { ForbiddenError, InputError, NotFoundError } from '../../platform/errors/errors.ts';
import { asArray, asBoolean, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors, zodIssues } from '../../platform/http/validation.ts';
import { personSectionReads, showPersonSections } from '../../platform/views/person-sections.ts';
import {
  answersFor,
  DISCHARGED_AND_LEFT,
  dischargedAndLeftEvents,
  dischargedAndLeftFields,
  dischargedAndLeftHint,
  dischargedAndLeftIssues,
  dischargedAndLeftLabel,
  describeEvent,
  eventFields,
  eventFromForm,
  eventHints,
  eventLabels,
  formEventTypes,
  isEventType,
  organisationIssues,
  workflowPage,
  type FieldSpec,
} from './event-forms.ts';
import { loadOrganisationChoices, organisationSelect, type OrganisationChoices, type OrganisationKind } from './organisation-choices.ts';
import { WorkflowOnlyEventError } from './events.service.ts';
import { workflowOnly } from './workflow-authority.ts';
import {
  communicationNeedKinds,
  communicationNeedLabels,
  contactRelationshipLabels,
  contactRelationships,
  engagementLabels,
  engagementStatuses,
  ethnicCategories,
  ethnicLabel,
  sexLabels,
  sexes,
} from './inputs.ts';
import { moveArea, moveConsequences, moveSchema } from './move.service.ts';
import { flagLabels, legalStatusLabels, statusLabels, statusTagClasses } from './list.queries.ts';
import { addContact, completeTask, createPerson, getPersonAudit, getPersonRecord, listPractitioners, listTeams, recordEvent, recordEventsTogether, updatePerson, voidEvent } from './people.service.ts';
import { govukDate, plainText } from '../../platform/plain-language.ts';

const v = (name: string) => `modules/register/views/${name}.njk`;

/** Field ids for the error summary: dates link to their day input. */
const fieldIds = { dateOfBirth: 'dateOfBirth-day', lastContactOn: 'lastContactOn-day', expectedDischargeOn: 'expectedDischargeOn-day', date: 'date-day', communicationNeeds: 'communicationNeeds', approvedBy: 'approvedBy', reasons: 'reasons' };

function errorsOf(error: unknown) {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

function personFormValues(body: FormBody) {
  return {
    nhsNumber: asString(body.nhsNumber),
    givenName: asString(body.givenName),
    familyName: asString(body.familyName),
    dateOfBirth: dateFromParts(body, 'dateOfBirth'),
    address: asString(body.address),
    postcode: asString(body.postcode),
    residenceLocalAuthority: asString(body.residenceLocalAuthority),
    gpPractice: asString(body.gpPractice),
    gpIcb: asString(body.gpIcb),
    ethnicity: asString(body.ethnicity) || undefined,
    sex: asString(body.sex) || undefined,
    gender: asString(body.gender),
    preferredLanguage: asString(body.preferredLanguage),
    interpreterNeeded: asBoolean(body.interpreterNeeded) ?? false,
    communicationNeeds: asArray(body.communicationNeeds),
    communicationNotes: asString(body.communicationNotes),
    engagement: asString(body.engagement) || undefined,
    lastContactOn: dateFromParts(body, 'lastContactOn'),
    expectedDischargeOn: dateFromParts(body, 'expectedDischargeOn'),
    dischargePlanning: asString(body.dischargePlanning) || undefined,
    allocatedTeamId: asString(body.allocatedTeamId),
    leadPractitionerId: asString(body.leadPractitionerId),
  };
}

/** What the person form needs to show choices and refill answers. */
async function personFormData(request: FastifyRequest, values: Record<string, unknown>, raw: FormBody | null) {
  const [teams, practitioners, choices] = await Promise.all([listTeams(request.ctx()), listPractitioners(request.ctx()), loadOrganisationChoices(request.ctx())]);
  const date = (name: string) => (raw ? { day: asString(raw[`${name}-day`]), month: asString(raw[`${name}-month`]), year: asString(raw[`${name}-year`]) } : dateParts(values[name] as string | null));
  return {
    values,
    dates: { dateOfBirth: date('dateOfBirth'), lastContactOn: date('lastContactOn'), expectedDischargeOn: date('expectedDischargeOn') },
    ethnicItems: [{ value: '', text: 'Select' }, ...ethnicCategories.map(([value, text]) => ({ value, text, selected: values.ethnicity === value }))],
    sexItems: sexes.map((s) => ({ value: s, text: sexLabels[s], checked: values.sex === s })),
    engagementItems: engagementStatuses.map((s) => ({ value: s, text: engagementLabels[s], checked: values.engagement === s })),
    needItems: communicationNeedKinds.map((k) => ({ value: k, text: communicationNeedLabels[k], checked: ((values.communicationNeeds as string[] | undefined) ?? []).includes(k) })),
    teamItems: [{ value: '', text: 'Not allocated' }, ...teams.map((t) => ({ value: t.id, text: `${t.name} (${t.organisationName})`, selected: values.allocatedTeamId === t.id }))],
    leadItems: [{ value: '', text: 'Not allocated' }, ...practitioners.map((u) => ({ value: u.id, text: `${u.name} (${u.organisationName})`, selected: values.leadPractitionerId === u.id }))],
    // Bodies by name, never a typed code (issue #13, item 3).
    organisationSelects: {
      residenceLocalAuthority: organisationSelect(choices, { name: 'residenceLocalAuthority', kind: 'local-authority', label: 'Local authority they live in (optional)' }, values.residenceLocalAuthority as string | null),
      gpIcb: organisationSelect(choices, { name: 'gpIcb', kind: 'icb', label: 'ICB of their GP practice (optional)', hint: 'In Wales, the local health board' }, values.gpIcb as string | null),
    },
  };
}

/** The organisation selects of a legal-history form, with what is chosen (the answers, or the record's defaults). */
function eventOrganisationSelects(choices: OrganisationChoices, fields: FieldSpec[], body: FormBody) {
  const selects: Record<string, ReturnType<typeof organisationSelect>> = {};
  for (const f of fields) {
    if (f.kind !== 'organisation' || !f.organisationKind) continue;
    selects[f.name] = organisationSelect(
      choices,
      { name: f.name, kind: f.organisationKind, label: f.label, labelClasses: 'govuk-label--s', ...(f.hint ? { hint: f.hint } : {}), ...(f.noneOption ? { noneOption: f.noneOption } : {}) },
      asString(body[f.name]),
    );
  }
  return selects;
}

/** A body the form accepts: one it offers, or the one already on the person's record (an older code). */
function acceptedBy(choices: OrganisationChoices, p: { residenceLocalAuthority: string | null; gpIcb: string | null }) {
  return (kind: OrganisationKind, code: string) => choices.offers(kind, code) || code === (kind === 'icb' ? p.gpIcb : p.residenceLocalAuthority);
}

/** The detention form starts from what the person's record holds: where they live and their GP's ICB (changeable). */
function eventDefaults(type: string, p: { residenceLocalAuthority: string | null; gpIcb: string | null }): FormBody {
  if (type !== 'detention-started') return {};
  return { ...(p.residenceLocalAuthority ? { ordinaryResidence: p.residenceLocalAuthority } : {}), ...(p.gpIcb ? { icbOfGpRegistration: p.gpIcb } : {}) };
}

/** The "what happened?" choices: the one-step discharge sits beside the events it records. */
function eventTypeItems() {
  const items: Array<{ value: string; text: string; hint?: { text: string } }> = formEventTypes.map((t) => ({ value: t, text: eventLabels[t], ...(eventHints[t] ? { hint: { text: eventHints[t] } } : {}) }));
  const at = items.findIndex((i) => i.value === 'detention-ended');
  items.splice(at, 0, { value: DISCHARGED_AND_LEFT, text: dischargedAndLeftLabel, hint: { text: dischargedAndLeftHint } });
  return items;
}

function subNavigation(personId: string, current: string, canSeeAudit: boolean) {
  const items = [
    { text: 'Overview', href: `/people/${personId}` },
    { text: 'Legal history', href: `/people/${personId}/history` },
    { text: 'Contacts', href: `/people/${personId}/contacts` },
    { text: 'Aftercare plans', href: `/people/${personId}/plans` },
    { text: 'Documents', href: `/people/${personId}/documents` },
    ...(canSeeAudit ? [{ text: 'Audit', href: `/people/${personId}/audit` }] : []),
  ];
  return items.map((i) => ({ ...i, active: i.href === current }));
}

async function renderRecord(request: FastifyRequest, reply: FastifyReply, personId: string, template: string, extra: Record<string, unknown> = {}) {
  const ctx = request.ctx();
  // One unit of work for the whole page: the record (its view audited) and the other modules' sections,
  // whose reads go in the record's one statement (decision 0019).
  const today = ctx.today();
  const { record, personSections } = await ctx.data.transaction(async () => {
    // The overview reads the record's lists in brief (no legal event, the latest completed tasks): a
    // history of thousands of entries must not slow it; the other pages of the record read them whole.
    const found = await getPersonRecord(ctx, personId, (q) => personSectionReads(q, ctx, { id: personId }, today), template === 'person' ? 'overview' : 'full');
    return { record: found, personSections: await showPersonSections(ctx, found.person, today, found.also) };
  });
  const p = record.person;
  const decision = record.decision;
  // The engine's reasons carry ISO dates and ONS codes: staff read dates as GOV.UK writes them and bodies by name.
  const reasons = (decision?.reasons ?? []).map((r) => ({
    ...r,
    text: plainText(r.text, record.organisationNameOf),
    title: ruleById(r.rule as never)?.title ?? r.rule,
    sourceParts: sourceParts(r.source),
  }));
  return reply.render(v(template), {
    title: `${p.givenName} ${p.familyName}`,
    record,
    p,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    decision,
    reasons,
    statusTag: { text: statusLabels[p.status], classes: statusTagClasses[p.status] },
    legalStatus: legalStatusLabels(p.legalPosition),
    flags: (p.flags as Flag[]).map((f) => ({ code: f, label: flagLabels[f] ?? f, meaning: flagMeanings[f] ?? f })),
    la: record.organisationName(p.responsibleLocalAuthority),
    icb: record.organisationName(p.responsibleIcb),
    ethnicity: ethnicLabel(p.ethnicity),
    sex: sexLabels[p.sex as keyof typeof sexLabels] ?? p.sex,
    engagement: engagementLabels[p.engagement],
    needs: p.communicationNeeds.map((n) => communicationNeedLabels[n as keyof typeof communicationNeedLabels] ?? n),
    timeline: record.events
      .filter((e) => !e.voidedAt)
      .map((e) => ({
        label: { text: eventLabels[e.type as keyof typeof eventLabels] ?? e.type },
        text: describeEvent(e.type, e.payload as Record<string, unknown>, e.hospital, record.organisationNameOf),
        datetime: { timestamp: e.occurredOn, type: 'date' },
        // The timeline writes "by …": the person who recorded it, or where it came from.
        byline: { text: e.recordedByName ?? eventSourceLabels[e.source] ?? 'another system' },
        id: e.id,
        version: e.version,
        // Events of a workflow (an ending, a dispute) are changed only through it.
        removable: !workflowOnly(e.type),
      })),
    voided: record.events.filter((e) => e.voidedAt),
    openTasks: record.tasks.filter((t) => t.status === 'open'),
    closedTasks: record.tasks.filter((t) => t.status !== 'open'),
    doneTaskCount: record.doneTaskCount,
    subNavigation: subNavigation(p.id, request.url.split('?')[0]!, record.canSeeAudit),
    contactLabels: contactRelationshipLabels,
    // Other modules' sections of the page (open disputes, …), registered in src/app.ts.
    personSections,
    today: ctx.today(),
    ...extra,
  });
}

/** Where an event came from when no person recorded it ("by the import of the existing register"). */
const eventSourceLabels: Record<string, string> = {
  manual: 'a user of Aftercare',
  api: 'another system, through the API',
  import: 'the import of the existing register',
  'register-import': 'the import of the existing register',
  ingest: 'the hospital’s daily extract',
};

export function personRoutes(app: FastifyInstance): void {
  // ---- Add a person
  app.get('/people/new', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'person:write', { partnershipId: ctx.actor.partnershipId, organisationId: ctx.actor.activeOrganisationId })) throw new ForbiddenError();
    return reply.render(v('person-form'), { title: 'Add a person to the register', action: '/people/new', ...(await personFormData(request, { ethnicity: '', sex: 'not-known', engagement: 'not-known', preferredLanguage: 'English' }, null)) });
  });

  app.post('/people/new', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const values = personFormValues(body);
    const form = async () => ({ title: 'Add a person to the register', action: '/people/new', ...(await personFormData(request, values, body)) });
    try {
      const choices = await loadOrganisationChoices(ctx);
      const result = await createPerson(ctx, values, { confirmDuplicate: asString(body.confirmDuplicate) === 'yes', organisations: choices.offers });
      if (result.outcome === 'possible-duplicates') {
        return await reply.render(v('person-form'), { ...(await form()), duplicates: result.duplicates.map((d) => ({ ...d, nhsNumber: d.nhsNumber ? formatNhsNumber(d.nhsNumber) : null })) });
      }
      request.session.flash = { type: 'success', text: `${result.person.givenName} ${result.person.familyName} has been added to the register. Record their legal history next.` };
      return await reply.redirect(`/people/${result.person.id}/history`);
    } catch (error) {
      reply.status(422);
      return reply.render(v('person-form'), { ...(await form()), errors: errorsOf(error) });
    }
  });

  // ---- The record
  app.get<{ Params: { id: string } }>('/people/:id', async (request, reply) => renderRecord(request, reply, request.params.id, 'person'));
  app.get<{ Params: { id: string } }>('/people/:id/history', async (request, reply) => renderRecord(request, reply, request.params.id, 'person-history'));
  app.get<{ Params: { id: string } }>('/people/:id/contacts', async (request, reply) => renderRecord(request, reply, request.params.id, 'person-contacts'));
  app.get<{ Params: { id: string } }>('/people/:id/audit', async (request, reply) => {
    const events = await getPersonAudit(request.ctx(), request.params.id);
    return renderRecord(request, reply, request.params.id, 'person-audit', { auditEvents: events });
  });

  // ---- Edit details
  app.get<{ Params: { id: string } }>('/people/:id/edit', async (request, reply) => {
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    const p = record.person;
    return reply.render(v('person-form'), { title: `Change ${p.givenName} ${p.familyName}’s details`, action: `/people/${p.id}/edit`, version: p.version, personId: p.id, ...(await personFormData(request, { ...p }, null)) });
  });

  app.post<{ Params: { id: string } }>('/people/:id/edit', async (request, reply) => {
    const body = formBody(request.body);
    const values = personFormValues(body);
    const version = asVersion(body.version);
    try {
      const choices = await loadOrganisationChoices(request.ctx());
      const updated = await updatePerson(request.ctx(), request.params.id, version, values, { organisations: choices.offers });
      request.session.flash = { type: 'success', text: 'Their details have been updated.' };
      return await reply.redirect(`/people/${updated.id}`);
    } catch (error) {
      reply.status(422);
      return reply.render(v('person-form'), { title: 'Change their details', action: `/people/${request.params.id}/edit`, version, personId: request.params.id, ...(await personFormData(request, values, body)), errors: errorsOf(error) });
    }
  });

  // ---- Legal history: choose the event, answer its questions, check, record
  app.get<{ Params: { id: string } }>('/people/:id/events/new', async (request, reply) => {
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    return reply.render(v('event-type'), { title: 'What happened?', p: record.person, items: eventTypeItems() });
  });

  app.post<{ Params: { id: string } }>('/people/:id/events/new', async (request, reply) => {
    const type = asString(formBody(request.body).type);
    const workflow = workflowOnly(type);
    if ((!isEventType(type) && type !== DISCHARGED_AND_LEFT) || workflow) {
      const record = await getPersonRecord(request.ctx(), request.params.id);
      reply.status(422);
      return reply.render(v('event-type'), {
        title: 'What happened?',
        p: record.person,
        items: eventTypeItems(),
        errors: toGovukErrors([{ path: 'type', message: workflow?.formMessage ?? 'Select what happened' }]),
      });
    }
    return reply.redirect(`/people/${request.params.id}/events/new/${type}`);
  });

  const eventForm = async (request: FastifyRequest<{ Params: { id: string; type: string } }>, reply: FastifyReply, body: FormBody | null, errors?: unknown) => {
    const type = request.params.type;
    if (!isEventType(type)) throw new NotFoundError();
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    const answers = body ?? eventDefaults(type, record.person);
    const choices = await loadOrganisationChoices(request.ctx());
    return reply.render(v('event-form'), { title: eventLabels[type], p: record.person, type, fields: eventFields[type], body: answers, organisationSelects: eventOrganisationSelects(choices, eventFields[type], answers), errors });
  };

  app.get<{ Params: { id: string; type: string } }>('/people/:id/events/new/:type', async (request, reply) => {
    // An ending or a dispute has its own workflow: the generic form is not the way to it.
    const workflow = workflowOnly(request.params.type);
    if (workflow) return reply.redirect(workflowPage(request.params.id, request.params.type), 303);
    return eventForm(request, reply, null);
  });

  app.post<{ Params: { id: string; type: string } }>('/people/:id/events/new/:type', async (request, reply) => {
    const type = request.params.type;
    if (!isEventType(type)) throw new NotFoundError();
    const body = formBody(request.body);
    const { event, hospital } = eventFromForm(type, body);
    // An event of a workflow goes straight to the register, which refuses it (after the permission check).
    if (!workflowOnly(type)) {
      // Bodies must be ones the form offered, in plain words, on the check and on the confirmation alike.
      const hasOrganisations = eventFields[type].some((f) => f.kind === 'organisation');
      const record = hasOrganisations || asString(body.confirm) !== 'yes' ? await getPersonRecord(request.ctx(), request.params.id) : null;
      const choices = hasOrganisations ? await loadOrganisationChoices(request.ctx()) : null;
      if (record && !record.canWrite) throw new ForbiddenError();
      const chosen = record && choices ? organisationIssues(eventFields[type], body, acceptedBy(choices, record.person)) : [];
      // Check the answers against the contract before showing them back.
      const parsed = legalEventSchema.safeParse(event);
      const contract = parsed.success ? [] : zodIssues(parsed.error).filter((i) => !chosen.some((c) => c.path === i.path));
      if (chosen.length || (contract.length && asString(body.confirm) !== 'yes')) {
        reply.status(422);
        return eventForm(request, reply, body, toGovukErrors([...chosen, ...contract], fieldIds));
      }
      if (asString(body.confirm) !== 'yes') {
        return reply.render(v('event-check'), { title: 'Check the details before recording', p: record!.person, type, label: eventLabels[type], ...answersFor(eventFields[type], body, record!.organisationNameOf) });
      }
    }
    try {
      const result = await recordEvent(request.ctx(), request.params.id, { event, hospital, source: 'manual' });
      const d = result.decision;
      request.session.flash = {
        type: 'success',
        text: `${eventLabels[type]} recorded. Section 117 status: ${statusLabels[d.status]}${d.entitlementStart ? ` from ${govukDate(d.entitlementStart)}` : ''}.`,
      };
      return await reply.redirect(`/people/${request.params.id}/history`);
    } catch (error) {
      if (error instanceof WorkflowOnlyEventError) {
        const record = await getPersonRecord(request.ctx(), request.params.id);
        reply.status(422);
        return reply.render(v('event-type'), { title: 'What happened?', p: record.person, items: eventTypeItems(), errors: toGovukErrors([{ path: 'type', message: error.spec.formMessage }]) });
      }
      reply.status(422);
      return eventForm(request, reply, body, errorsOf(error));
    }
  });

  // ---- One step: discharged and left hospital on the same day. Two legal events in one batch of the
  // register's events path (docs/decisions/0007), so the decision is worked out once, after both:
  // no "Pending: detained" in between.
  const dischargeForm = async (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, body: FormBody | null, errors?: unknown) => {
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    const answers = body ?? {};
    const choices = await loadOrganisationChoices(request.ctx());
    return reply.render(v('event-form'), {
      title: dischargedAndLeftLabel,
      p: record.person,
      type: DISCHARGED_AND_LEFT,
      fields: dischargedAndLeftFields,
      body: answers,
      organisationSelects: eventOrganisationSelects(choices, dischargedAndLeftFields, answers),
      errors,
    });
  };

  app.get<{ Params: { id: string } }>(`/people/:id/events/new/${DISCHARGED_AND_LEFT}`, async (request, reply) => dischargeForm(request, reply, null));

  app.post<{ Params: { id: string } }>(`/people/:id/events/new/${DISCHARGED_AND_LEFT}`, async (request, reply) => {
    const body = formBody(request.body);
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    const choices = await loadOrganisationChoices(request.ctx());
    const events = dischargedAndLeftEvents(body);
    const issues = [...dischargedAndLeftIssues(body), ...organisationIssues(dischargedAndLeftFields, body, acceptedBy(choices, record.person))];
    for (const e of events) {
      const parsed = legalEventSchema.safeParse(e);
      if (parsed.success) continue;
      for (const issue of zodIssues(parsed.error)) if (!issues.some((i) => i.path === issue.path)) issues.push(issue);
    }
    if (issues.length) {
      reply.status(422);
      return dischargeForm(request, reply, body, toGovukErrors(issues, fieldIds));
    }
    if (asString(body.confirm) !== 'yes') {
      return reply.render(v('event-check'), {
        title: 'Check the details before recording',
        p: record.person,
        type: DISCHARGED_AND_LEFT,
        label: dischargedAndLeftLabel,
        ...answersFor(dischargedAndLeftFields, body, record.organisationNameOf),
      });
    }
    try {
      const { decision } = await recordEventsTogether(request.ctx(), request.params.id, events.map((event) => ({ event, source: 'manual' as const })));
      request.session.flash = {
        type: 'success',
        text: `Discharge recorded: the detention ended and they left hospital on ${govukDate(events[0].date)}. Section 117 status: ${statusLabels[decision.status]}${decision.entitlementStart ? ` from ${govukDate(decision.entitlementStart)}` : ''}.`,
      };
      return await reply.redirect(`/people/${request.params.id}/history`);
    } catch (error) {
      reply.status(422);
      return dischargeForm(request, reply, body, errorsOf(error));
    }
  });

  app.get<{ Params: { id: string; eventId: string } }>('/people/:id/events/:eventId/remove', async (request, reply) => {
    const record = await getPersonRecord(request.ctx(), request.params.id);
    const event = record.events.find((e) => e.id === request.params.eventId && !e.voidedAt);
    if (!event) throw new NotFoundError('Event not found');
    if (!record.canWrite) throw new ForbiddenError();
    return reply.render(v('event-remove'), { title: 'Remove a mistaken event', p: record.person, event, label: eventLabels[event.type as keyof typeof eventLabels] ?? event.type, description: describeEvent(event.type, event.payload as Record<string, unknown>, event.hospital) });
  });

  app.post<{ Params: { id: string; eventId: string } }>('/people/:id/events/:eventId/remove', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await voidEvent(request.ctx(), request.params.id, request.params.eventId, asVersion(body.version), asString(body.reason));
      request.session.flash = { type: 'success', text: 'The event has been removed and the decision worked out again.' };
      return await reply.redirect(`/people/${request.params.id}/history`);
    } catch (error) {
      const record = await getPersonRecord(request.ctx(), request.params.id);
      const event = record.events.find((e) => e.id === request.params.eventId);
      if (!event) throw new NotFoundError('Event not found');
      reply.status(422);
      return reply.render(v('event-remove'), { title: 'Remove a mistaken event', p: record.person, event, label: eventLabels[event.type as keyof typeof eventLabels] ?? event.type, description: describeEvent(event.type, event.payload as Record<string, unknown>, event.hospital), reason: asString(body.reason), errors: errorsOf(error) });
    }
  });

  // ---- Contacts
  const contactItems = (selected: string) => contactRelationships.map((r) => ({ value: r, text: contactRelationshipLabels[r], checked: selected === r }));
  app.get<{ Params: { id: string } }>('/people/:id/contacts/new', async (request, reply) => {
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    return reply.render(v('contact-form'), { title: 'Add a contact', p: record.person, values: {}, relationshipItems: contactItems('') });
  });
  app.post<{ Params: { id: string } }>('/people/:id/contacts/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = { relationship: asString(body.relationship) || undefined, name: asString(body.name), phone: asString(body.phone), email: asString(body.email), address: asString(body.address), consentToShare: asBoolean(body.consentToShare), notes: asString(body.notes) };
    try {
      await addContact(request.ctx(), request.params.id, values);
      request.session.flash = { type: 'success', text: `${values.name} has been added as a contact.` };
      return await reply.redirect(`/people/${request.params.id}/contacts`);
    } catch (error) {
      const record = await getPersonRecord(request.ctx(), request.params.id);
      reply.status(422);
      return reply.render(v('contact-form'), { title: 'Add a contact', p: record.person, values, relationshipItems: contactItems(values.relationship ?? ''), errors: errorsOf(error) });
    }
  });

  // ---- Tasks
  app.post<{ Params: { id: string; taskId: string } }>('/people/:id/tasks/:taskId/complete', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await completeTask(request.ctx(), request.params.id, request.params.taskId, asVersion(body.version), asString(body.outcome));
      request.session.flash = { type: 'success', text: 'The task has been completed.' };
      return await reply.redirect(`/people/${request.params.id}`);
    } catch (error) {
      reply.status(422);
      return renderRecord(request, reply, request.params.id, 'person', { errors: errorsOf(error), taskWithError: request.params.taskId });
    }
  });

  // ---- Moving area: the local authority they move to, chosen by name
  const moveForm = async (request: FastifyRequest, reply: FastifyReply, record: Awaited<ReturnType<typeof getPersonRecord>>, values: { residenceLocalAuthority?: string; address?: string; postcode?: string }, errors?: unknown) => {
    const choices = await loadOrganisationChoices(request.ctx());
    const select = organisationSelect(choices, { name: 'residenceLocalAuthority', kind: 'local-authority', label: 'Local authority they are moving to', labelClasses: 'govuk-label--s' }, values.residenceLocalAuthority);
    return reply.render(v('move-form'), { title: 'They are moving', p: record.person, values, organisationSelects: { residenceLocalAuthority: select }, errors });
  };
  app.get<{ Params: { id: string } }>('/people/:id/move', async (request, reply) => {
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    return moveForm(request, reply, record, {});
  });
  app.post<{ Params: { id: string } }>('/people/:id/move', async (request, reply) => {
    const body = formBody(request.body);
    const values = { residenceLocalAuthority: asString(body.residenceLocalAuthority).toUpperCase(), address: asString(body.address), postcode: asString(body.postcode) };
    const record = await getPersonRecord(request.ctx(), request.params.id);
    if (!record.canWrite) throw new ForbiddenError();
    const choices = await loadOrganisationChoices(request.ctx());
    const parsed = moveSchema.safeParse(values);
    const issues = parsed.success ? [] : zodIssues(parsed.error).filter((i) => i.path !== 'residenceLocalAuthority');
    if (!choices.offers('local-authority', values.residenceLocalAuthority)) issues.unshift({ path: 'residenceLocalAuthority', message: 'Select the local authority they are moving to from the list' });
    if (issues.length) {
      reply.status(422);
      return moveForm(request, reply, record, values, toGovukErrors(issues));
    }
    if (asString(body.confirm) !== 'yes') {
      return reply.render(v('move-check'), {
        title: 'What the move changes',
        p: record.person,
        values,
        version: record.person.version,
        consequences: moveConsequences(record.person, values.residenceLocalAuthority, choices.nameOf),
      });
    }
    try {
      await moveArea(request.ctx(), request.params.id, asVersion(body.version), values);
      request.session.flash = { type: 'success', text: 'The move has been recorded and a handover task created for the receiving team.' };
      return await reply.redirect(`/people/${request.params.id}`);
    } catch (error) {
      reply.status(422);
      return moveForm(request, reply, record, values, errorsOf(error));
    }
  });
}
