import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { flagMeanings, type Flag } from '../../domain/rules/contract.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asBoolean, asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import { govukDate } from '../../platform/plain-language.ts';
import { communicationNeedLabels, engagementLabels } from '../register/index.ts';
import { flagLabels, legalStatusLabels, statusLabels, statusTagClasses } from '../register/index.ts';
import { getDocument, getDocumentsPage, getStatement, produceStatement, recordInformationGiven } from './documents.service.ts';
import {
  informationFormatLabels,
  informationFormats,
  informationSubjectLabels,
  informationSubjects,
  understoodAnswers,
  understoodLabels,
  type InformationFormat,
  type InformationSubject,
} from './information-given.ts';
import { viewBlocks } from './view-blocks.ts';
import { isStatementVersion, statementVersionLabels, statementVersions, StatementNotAvailableError, type StatementVersion } from './statement.ts';

const v = (name: string) => `modules/documents/views/${name}.njk`;

/** Field ids for the error summary: dates link to their day input, radios to their first item. */
const fieldIds = { givenOn: 'givenOn-day', version: 'produce-statement' };

type PageData = Awaited<ReturnType<typeof getDocumentsPage>>;

const accessibleFormatLabels: Record<string, string> = { standard: 'Standard', 'easy-read': 'Easy read', 'large-print': 'Large print' };
const kindLabels: Record<string, string> = { statement: 'Statement of entitlement', letter: 'Letter', plan: 'Aftercare plan', 'refund-letter': 'Refund letter' };

function sizeLabel(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** What the person header (shared with the register's person pages) needs; the tabs as person.routes.ts has them. */
function personHeader(page: PageData, currentPath: string) {
  const p = page.person;
  const base = `/people/${p.id}`;
  const items = [
    { text: 'Overview', href: base },
    { text: 'Legal history', href: `${base}/history` },
    { text: 'Contacts', href: `${base}/contacts` },
    { text: 'Aftercare plans', href: `${base}/plans` },
    { text: 'Documents', href: `${base}/documents` },
    ...(page.canSeeAudit ? [{ text: 'Audit', href: `${base}/audit` }] : []),
  ];
  return {
    p,
    nhsNumber: formatNhsNumber(p.nhsNumber),
    statusTag: { text: statusLabels[p.status], classes: statusTagClasses[p.status] },
    legalStatus: legalStatusLabels(p.legalPosition ?? []),
    flags: (p.flags as Flag[]).map((f) => ({ code: f, label: flagLabels[f] ?? f, meaning: flagMeanings[f] ?? f })),
    reasons: [],
    la: page.organisationName(p.responsibleLocalAuthority),
    icb: page.organisationName(p.responsibleIcb),
    engagement: engagementLabels[p.engagement],
    today: new Date().toISOString().slice(0, 10),
    subNavigation: items.map((i) => ({ ...i, active: i.href === currentPath })),
  };
}

/** What the person's record asks for (Accessible Information Standard), in words: "Easy read", "Large print and Braille". */
function formatsAskedFor(communicationNeeds: readonly string[]): string {
  const labels = communicationNeeds.map((n) => communicationNeedLabels[n as keyof typeof communicationNeedLabels] ?? n);
  if (labels.length === 0) return 'Standard print: no communication needs are recorded';
  return labels.length === 1 ? labels[0]! : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)!}`;
}

/** The link that records a produced statement as given, with what it was and its format filled in. */
function recordGivenHref(personId: string, doc: { id: string; accessibleFormat: string }): string {
  const format = (informationFormats as readonly string[]).includes(doc.accessibleFormat) ? doc.accessibleFormat : 'standard';
  return `/people/${personId}/information-given/new?document=${doc.id}&subject=rights-statement&format=${format}`;
}

async function renderDocumentsPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, extra: { errors?: GovukErrors } = {}) {
  const page = await getDocumentsPage(request.ctx(), request.params.id);
  const p = page.person;
  const producedId = asString((request.query as { produced?: string } | undefined)?.produced);
  const produced = producedId ? page.documents.find((d) => d.id === producedId && (d.kind === 'statement' || d.kind === 'letter')) : undefined;
  return reply.render(v('documents'), {
    recordAsksFor: formatsAskedFor(p.communicationNeeds),
    preferredLanguage: p.preferredLanguage,
    interpreterNeeded: p.interpreterNeeded,
    produced: produced && page.canWrite ? { title: produced.title, formatLabel: informationFormatLabels[produced.accessibleFormat as InformationFormat] ?? produced.accessibleFormat, href: recordGivenHref(p.id, produced) } : null,
    title: `Documents: ${p.givenName} ${p.familyName}`,
    ...personHeader(page, `/people/${p.id}/documents`),
    canWrite: page.canWrite,
    statementAvailable: page.statementAvailable,
    format: page.format,
    versions: statementVersions.map((value) => ({ value, text: statementVersionLabels[value], suggested: value === page.format.suggested })),
    documents: page.documents.map((d) => ({
      ...d,
      kindLabel: kindLabels[d.kind] ?? d.kind,
      formatLabel: accessibleFormatLabels[d.accessibleFormat] ?? d.accessibleFormat,
      shortHash: d.contentHash.slice(0, 12),
      size: sizeLabel(d.sizeBytes),
      href: `/people/${p.id}/documents/${d.id}`,
    })),
    informationGiven: page.informationGiven.map((i) => ({
      ...i,
      subjectLabel: informationSubjectLabels[i.subject as InformationSubject] ?? i.subject,
      formatLabel: informationFormatLabels[i.format as InformationFormat] ?? i.format,
      understoodLabel: understoodLabels[i.understood as keyof typeof understoodLabels] ?? i.understood,
    })),
    offerAgainCount: page.informationGiven.filter((i) => i.offerAgain).length,
    ...extra,
  });
}

function informationValues(body: FormBody) {
  return {
    subject: asString(body.subject) || undefined,
    givenOn: dateFromParts(body, 'givenOn'),
    format: asString(body.format) || undefined,
    language: asString(body.language),
    documentId: asString(body.documentId),
    understood: asString(body.understood) || undefined,
    offerAgain: asBoolean(body.offerAgain),
    offerAgainReason: asString(body.offerAgainReason),
    notes: asString(body.notes),
  };
}

function renderInformationForm(reply: FastifyReply, page: PageData, values: ReturnType<typeof informationValues>, raw: FormBody | null, version: number, errors?: GovukErrors) {
  const p = page.person;
  const date = raw ? { day: asString(raw['givenOn-day']), month: asString(raw['givenOn-month']), year: asString(raw['givenOn-year']) } : dateParts(values.givenOn);
  return reply.render(v('information-given-form'), {
    title: 'Record information given',
    p,
    version,
    values,
    date,
    subjectItems: informationSubjects.map((s) => ({ value: s, text: informationSubjectLabels[s], checked: values.subject === s })),
    formatItems: informationFormats.map((f) => ({ value: f, text: informationFormatLabels[f], checked: values.format === f })),
    understoodItems: understoodAnswers.map((u) => ({ value: u, text: understoodLabels[u], checked: values.understood === u })),
    documentItems: [
      { value: '', text: 'None', selected: !values.documentId },
      ...page.documents.map((d) => ({ value: d.id, text: `${d.title} (${accessibleFormatLabels[d.accessibleFormat] ?? d.accessibleFormat}), ${govukDate(d.createdAt)}`, selected: values.documentId === d.id })),
    ],
    errors,
  });
}

/** attachment; filename="…" with an ASCII fallback and the exact name in UTF-8 (RFC 6266). */
function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export function documentsRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string }; Querystring: { produced?: string } }>('/people/:id/documents', async (request, reply) => renderDocumentsPage(request, reply));

  // Produce the statement as a PDF: stored, then back to the list with a banner.
  app.post<{ Params: { id: string } }>('/people/:id/documents/statement', async (request, reply) => {
    const body = formBody(request.body);
    const version = asString(body.version);
    try {
      if (!isStatementVersion(version)) throw new InputError([{ path: 'version', message: 'Select which version of the statement to produce' }]);
      const produced = await produceStatement(request.ctx(), request.params.id, {
        version,
        coveringLetter: asString(body.coveringLetter) === 'yes',
        whatToTellThePerson: asString(body.whatToTellThePerson),
      });
      request.session.flash = {
        type: 'success',
        text: `${produced.title} has been produced${produced.upgradedToLargePrint ? ' in large print, as their record asks' : ''} and stored.`,
      };
      // The page after offers to record that it was given, in its format.
      return await reply.redirect(`/people/${request.params.id}/documents?produced=${produced.id}#produced`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reply.status(422);
      return renderDocumentsPage(request, reply, { errors: toGovukErrors(error.issues, { ...fieldIds, whatToTellThePerson: 'whatToTellThePerson' }) });
    }
  });

  // Exactly the stored bytes; every download is audited.
  app.get<{ Params: { id: string; documentId: string } }>('/people/:id/documents/:documentId', async (request, reply) => {
    const doc = await getDocument(request.ctx(), request.params.id, request.params.documentId);
    return reply
      .header('Content-Type', doc.mediaType)
      .header('Content-Disposition', contentDisposition(doc.fileName))
      .header('Cache-Control', 'no-store')
      // RFC 9530: the SHA-256 of exactly these bytes, as stored with the document.
      .header('Repr-Digest', `sha-256=:${Buffer.from(doc.contentHash, 'hex').toString('base64')}:`)
      .send(doc.content);
  });

  // The statement as an accessible, printable page, from the same document model as the PDF.
  app.get<{ Params: { id: string }; Querystring: { version?: string } }>('/people/:id/statement', async (request, reply) => {
    const requested = asString(request.query.version);
    const version: StatementVersion = isStatementVersion(requested) ? requested : 'standard';
    try {
      const { model, person } = await getStatement(request.ctx(), request.params.id, version);
      return await reply.render(v('statement'), {
        title: model.title,
        model,
        blocks: viewBlocks(model.blocks),
        p: person,
        version,
        large: version !== 'standard',
        otherVersions: statementVersions.filter((x) => x !== version).map((x) => ({ text: statementVersionLabels[x], href: `/people/${person.id}/statement?version=${x}` })),
      });
    } catch (error) {
      if (!(error instanceof StatementNotAvailableError)) throw error;
      reply.status(422);
      return reply.render(v('statement-unavailable'), { title: 'No statement for this person', message: error.issues[0]?.message, personId: request.params.id });
    }
  });

  // ---- Information given
  app.get<{ Params: { id: string }; Querystring: { document?: string; subject?: string; format?: string } }>('/people/:id/information-given/new', async (request, reply) => {
    const page = await getDocumentsPage(request.ctx(), request.params.id);
    if (!page.canWrite) throw new ForbiddenError();
    const p = page.person;
    // Filled in from the link offered after producing a statement: what it was, its format, the stored document.
    const subject = asString(request.query.subject);
    const format = asString(request.query.format);
    const values = {
      ...informationValues({}),
      language: p.preferredLanguage,
      documentId: asString(request.query.document),
      ...((informationSubjects as readonly string[]).includes(subject) ? { subject } : {}),
      ...((informationFormats as readonly string[]).includes(format) ? { format } : {}),
    };
    return renderInformationForm(reply, page, values, null, p.version);
  });

  app.post<{ Params: { id: string } }>('/people/:id/information-given/new', async (request, reply) => {
    const body = formBody(request.body);
    const values = informationValues(body);
    const version = asVersion(body.version);
    try {
      await recordInformationGiven(request.ctx(), request.params.id, version, values);
      request.session.flash = { type: 'success', text: 'The information given has been recorded.' };
      return await reply.redirect(`/people/${request.params.id}/documents#information-given`);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const page = await getDocumentsPage(request.ctx(), request.params.id);
      reply.status(422);
      return renderInformationForm(reply, page, values, body, version, toGovukErrors(error.issues, fieldIds));
    }
  });
}
