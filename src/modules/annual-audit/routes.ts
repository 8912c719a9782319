/**
 * The annual case audit pages (issue 7, item 3). Thin: each handler reads the form, calls
 * checklist.service.ts or audit.service.ts and renders or redirects. Every flow works without
 * JavaScript. Only quality and audit staff (case-audit:manage) who can read people get in.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { competencyDomains } from '../../domain/audit-checklist.ts';
import { stratifyByLabels, type StratifyBy } from '../../domain/audit-sample.ts';
import { auditAnswerLabels, auditAnswers, formatChange, formatScore, type CaseAnswers } from '../../domain/audit-score.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { renderPdf } from '../../platform/documents/pdf.ts';
import { ConflictError, InputError } from '../../platform/errors/errors.ts';
import { asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import { planStatusLabels } from '../plans/index.ts';
import { statusLabels } from '../register/index.ts';
import {
  addFinding,
  completeAudit,
  previousAuditChoices,
  configureAudit,
  findingFormData,
  getAudit,
  getCase,
  listAudits,
  saveCase,
  recordReportDownload,
  setFindingStatus,
  type CaseDetail,
} from './audit.service.ts';
import { addItem, assertCanManageAudits, editItem, getChecklist, getItem, getPillar, renamePillar, setItemActive } from './checklist.service.ts';
import { buildReportModel, buildReportXlsx, caseStatusLabels, findingStatusLabels, reportFilename, XLSX_TYPE } from './report.ts';

const v = (name: string) => `modules/annual-audit/views/${name}.njk`;

const INFERRED = 'Suggested title – change it to your partnership’s wording';

function errorsOf(error: unknown, fieldIds: Record<string, string> = {}): GovukErrors {
  if (!(error instanceof InputError)) throw error;
  return toGovukErrors(error.issues, fieldIds);
}

const rawDate = (body: FormBody | null, name: string, fallback: string | null = null) =>
  body ? { day: asString(body[`${name}-day`]), month: asString(body[`${name}-month`]), year: asString(body[`${name}-year`]) } : dateParts(fallback);

const pillarNumber = (raw: string) => (/^[1-9]$/.test(raw) ? Number(raw) : -1);

/** A form body as plain strings (radios and text inputs only). */
function flatForm(body: FormBody): Record<string, string> {
  return Object.fromEntries(Object.entries(body).map(([k, val]) => [k, asString(val)]));
}

/** The audit year that has ended most recently: 1 April to 31 March. */
function defaultPeriod(today: string): { start: string; end: string } {
  const year = Number(today.slice(0, 4));
  const endYear = today.slice(5) >= '04-01' ? year : year - 1;
  return { start: `${endYear - 1}-04-01`, end: `${endYear}-03-31` };
}

// ---------------------------------------------------------------------------
// Renderers
// ---------------------------------------------------------------------------

async function renderPillarForm(request: FastifyRequest, reply: FastifyReply, number: number, body: FormBody | null, errors?: GovukErrors) {
  const pillar = await getPillar(request.ctx(), number);
  return reply.render(v('pillar-form'), {
    title: `Rename pillar ${pillar.number}`,
    pillar,
    inferred: INFERRED,
    values: body ? { name: asString(body.name), description: asString(body.description) } : { name: pillar.name, description: pillar.description ?? '' },
    version: body ? asString(body.version) : String(pillar.version),
    errors,
  });
}

async function renderQuestionForm(request: FastifyRequest, reply: FastifyReply, target: { pillarNumber: number } | { itemId: string }, body: FormBody | null, errors?: GovukErrors) {
  const ctx = request.ctx();
  if ('itemId' in target) {
    const { item, pillar } = await getItem(ctx, target.itemId);
    return reply.render(v('question-form'), {
      title: `Edit question ${item.code}`,
      pillar,
      item,
      action: `/audits/checklist/questions/${item.id}`,
      values: body ? { question: asString(body.question), guidance: asString(body.guidance), source: asString(body.source) } : { question: item.question, guidance: item.guidance ?? '', source: item.source ?? '' },
      version: body ? asString(body.version) : String(item.version),
      errors,
    });
  }
  const pillar = await getPillar(ctx, target.pillarNumber);
  return reply.render(v('question-form'), {
    title: `Add a question to pillar ${pillar.number}`,
    pillar,
    item: null,
    action: `/audits/checklist/pillars/${pillar.number}/questions/new`,
    values: { question: asString(body?.question), guidance: asString(body?.guidance), source: asString(body?.source) },
    errors,
  });
}

async function renderConfigure(request: FastifyRequest, reply: FastifyReply, body: FormBody | null, errors?: GovukErrors) {
  const ctx = request.ctx();
  assertCanManageAudits(ctx);
  const previous = await previousAuditChoices(ctx);
  const period = defaultPeriod(ctx.today());
  const stratifyBy = body ? asString(body.stratifyBy) : 'local-authority-and-team';
  const previousAuditId = body ? asString(body.previousAuditId) : (previous[0]?.id ?? '');
  return reply.render(v('configure'), {
    title: 'Configure an audit',
    values: body
      ? { name: asString(body.name), sampleSize: asString(body.sampleSize), seed: asString(body.seed) }
      : { name: `Section 117 case audit ${period.end.slice(0, 4)}`, sampleSize: '20', seed: randomBytes(6).toString('hex') },
    periodStart: rawDate(body, 'periodStart', period.start),
    periodEnd: rawDate(body, 'periodEnd', period.end),
    stratifyItems: (Object.keys(stratifyByLabels) as StratifyBy[]).map((k) => ({ value: k, text: stratifyByLabels[k], checked: stratifyBy === k })),
    previousItems: [{ value: '', text: 'No comparison' }, ...previous.map((a) => ({ value: a.id, text: a.name, selected: a.id === previousAuditId }))],
    errors,
  });
}

async function renderAudit(request: FastifyRequest, reply: FastifyReply, auditId: string, errors?: GovukErrors) {
  const detail = await getAudit(request.ctx(), auditId);
  const complete = detail.cases.filter((c) => c.status === 'complete').length;
  return reply.render(v('audit'), {
    title: detail.audit.name,
    d: detail,
    complete,
    allComplete: complete === detail.cases.length && detail.cases.length > 0,
    caseStatusLabels,
    findingStatusLabels,
    formatScore,
    formatChange,
    nhs: (n: string | null) => (n ? formatNhsNumber(n).replace(/ /g, '\u00a0') : ''),
    errors,
  });
}

function caseItems(detail: CaseDetail, answers: CaseAnswers, errors?: GovukErrors) {
  return detail.snapshot.pillars
    .map((pillar) => ({
      pillar,
      items: detail.snapshot.items
        .filter((i) => i.pillar === pillar.number)
        .map((item) => ({
          item,
          note: answers[item.id]?.note ?? '',
          radios: auditAnswers.map((a) => ({ value: a, text: auditAnswerLabels[a], checked: answers[item.id]?.answer === a })),
          error: errors?.fields[`answer-${item.id}`],
          noteError: errors?.fields[`note-${item.id}`],
        })),
    }))
    .filter((g) => g.items.length > 0);
}

async function renderCase(request: FastifyRequest, reply: FastifyReply, auditId: string, caseId: string, body: FormBody | null, errors?: GovukErrors, conflict = false) {
  const detail = await getCase(request.ctx(), auditId, caseId);
  // After a conflict, show what is saved now (the other auditor's answers), not the stale form.
  const answers: CaseAnswers = body && !conflict ? formAnswers(detail, flatForm(body)) : detail.answers;
  const f = detail.facts;
  return reply.render(v('case'), {
    title: `Case ${detail.auditCase.position} of ${detail.caseCount}`,
    d: detail,
    p: f.person,
    nhsNumber: formatNhsNumber(f.person.nhsNumber),
    statusLabel: statusLabels[f.person.status] ?? f.person.status,
    planLabel: f.planStatus ? planStatusLabels[f.planStatus as keyof typeof planStatusLabels] : 'No plan',
    groups: caseItems(detail, answers, errors),
    summary: body && !conflict ? asString(body.summary) : (detail.auditCase.summary ?? ''),
    caseStatusLabel: caseStatusLabels[detail.auditCase.status],
    readOnly: detail.audit.status === 'complete',
    errors,
  });
}

function formAnswers(detail: CaseDetail, form: Record<string, string>): CaseAnswers {
  const out: CaseAnswers = {};
  for (const item of detail.snapshot.items) {
    const answer = form[`answer-${item.id}`];
    const note = form[`note-${item.id}`] ?? '';
    out[item.id] = { answer: auditAnswers.find((a) => a === answer), note };
  }
  return out;
}

async function renderFindingForm(request: FastifyRequest, reply: FastifyReply, auditId: string, body: FormBody | null, errors?: GovukErrors) {
  const data = await findingFormData(request.ctx(), auditId);
  const query = (request.query ?? {}) as Record<string, string | undefined>;
  const pillar = body ? asString(body.pillar) : '';
  const owner = body ? asString(body.ownerUserId) : '';
  const caseId = body ? asString(body.auditCaseId) : (query.case ?? '');
  const domain = body ? asString(body.competencyDomain) : '';
  return reply.render(v('finding-form'), {
    title: 'Record a finding and action',
    audit: data.audit,
    pillarItems: [{ value: '', text: 'Choose a pillar' }, ...data.snapshot.pillars.map((x) => ({ value: String(x.number), text: `${x.number}. ${x.name}`, selected: String(x.number) === pillar }))],
    ownerItems: [{ value: '', text: 'Choose the owner' }, ...data.users.map((u) => ({ value: u.id, text: u.displayName, selected: u.id === owner }))],
    caseItems: [{ value: '', text: 'The audit as a whole' }, ...data.cases.map((c) => ({ value: c.id, text: `Case ${c.position}`, selected: c.id === caseId }))],
    domainItems: [{ value: '', text: 'Not linked to a domain' }, ...Object.entries(competencyDomains).map(([n, label]) => ({ value: n, text: `Domain ${n}: ${label}`, selected: n === domain }))],
    values: { finding: asString(body?.finding), action: asString(body?.action) },
    dueOn: rawDate(body, 'dueOn'),
    errors,
  });
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

export function annualAuditRoutes(app: FastifyInstance): void {
  app.get('/audits', async (request, reply) => {
    const audits = await listAudits(request.ctx());
    return reply.render(v('audits'), { title: 'Annual case audit', audits, formatScore });
  });

  // The checklist.
  app.get('/audits/checklist', async (request, reply) => {
    const pillars = await getChecklist(request.ctx());
    return reply.render(v('checklist'), { title: 'Audit checklist', pillars, inferred: INFERRED });
  });
  app.get<{ Params: { number: string } }>('/audits/checklist/pillars/:number', async (request, reply) => renderPillarForm(request, reply, pillarNumber(request.params.number), null));
  app.post<{ Params: { number: string } }>('/audits/checklist/pillars/:number', async (request, reply) => {
    const body = formBody(request.body);
    const number = pillarNumber(request.params.number);
    try {
      await renamePillar(request.ctx(), number, asVersion(body.version), { name: asString(body.name), description: asString(body.description) });
      request.session.flash = { type: 'success', text: `Pillar ${number} has been renamed.` };
      return await reply.redirect('/audits/checklist');
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderPillarForm(request, reply, number, body, errors);
    }
  });
  app.get<{ Params: { number: string } }>('/audits/checklist/pillars/:number/questions/new', async (request, reply) =>
    renderQuestionForm(request, reply, { pillarNumber: pillarNumber(request.params.number) }, null),
  );
  app.post<{ Params: { number: string } }>('/audits/checklist/pillars/:number/questions/new', async (request, reply) => {
    const body = formBody(request.body);
    const number = pillarNumber(request.params.number);
    try {
      const item = await addItem(request.ctx(), number, { question: asString(body.question), guidance: asString(body.guidance), source: asString(body.source) });
      request.session.flash = { type: 'success', text: `Question ${item.code} has been added.` };
      return await reply.redirect(`/audits/checklist#pillar-${number}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderQuestionForm(request, reply, { pillarNumber: number }, body, errors);
    }
  });
  app.get<{ Params: { id: string } }>('/audits/checklist/questions/:id', async (request, reply) => renderQuestionForm(request, reply, { itemId: request.params.id }, null));
  app.post<{ Params: { id: string } }>('/audits/checklist/questions/:id', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const item = await editItem(request.ctx(), request.params.id, asVersion(body.version), { question: asString(body.question), guidance: asString(body.guidance), source: asString(body.source) });
      request.session.flash = { type: 'success', text: `Question ${item.code} has been changed.` };
      return await reply.redirect(`/audits/checklist#pillar-${item.pillar}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderQuestionForm(request, reply, { itemId: request.params.id }, body, errors);
    }
  });
  for (const [path, active] of [['retire', false], ['restore', true]] as const) {
    app.post<{ Params: { id: string } }>(`/audits/checklist/questions/:id/${path}`, async (request, reply) => {
      const body = formBody(request.body);
      const item = await setItemActive(request.ctx(), request.params.id, asVersion(body.version), active);
      request.session.flash = { type: 'success', text: active ? `Question ${item.code} is back in the checklist.` : `Question ${item.code} has been retired: future audits leave it out.` };
      return reply.redirect(`/audits/checklist#pillar-${item.pillar}`);
    });
  }

  // Configure an audit and draw its sample.
  app.get('/audits/new', async (request, reply) => renderConfigure(request, reply, null));
  app.post('/audits/new', async (request, reply) => {
    const body = formBody(request.body);
    try {
      const audit = await configureAudit(request.ctx(), {
        name: asString(body.name),
        periodStart: dateFromParts(body, 'periodStart'),
        periodEnd: dateFromParts(body, 'periodEnd'),
        sampleSize: asString(body.sampleSize),
        stratifyBy: asString(body.stratifyBy) || undefined,
        seed: asString(body.seed),
        previousAuditId: asString(body.previousAuditId),
      });
      request.session.flash = { type: 'success', text: 'The sample has been drawn. Audit each case against the checklist.' };
      return await reply.redirect(`/audits/${audit.id}`);
    } catch (error) {
      const errors = errorsOf(error, { periodStart: 'periodStart-day', periodEnd: 'periodEnd-day' });
      reply.status(422);
      return renderConfigure(request, reply, body, errors);
    }
  });

  // One audit.
  app.get<{ Params: { id: string } }>('/audits/:id', async (request, reply) => renderAudit(request, reply, request.params.id));
  app.post<{ Params: { id: string } }>('/audits/:id/complete', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await completeAudit(request.ctx(), request.params.id, asVersion(body.version));
      request.session.flash = { type: 'success', text: 'The audit is complete. Download the report to share it.' };
      return await reply.redirect(`/audits/${request.params.id}`);
    } catch (error) {
      const errors = errorsOf(error);
      reply.status(422);
      return renderAudit(request, reply, request.params.id, errors);
    }
  });

  // Auditing a case.
  app.get<{ Params: { id: string; caseId: string } }>('/audits/:id/cases/:caseId', async (request, reply) => renderCase(request, reply, request.params.id, request.params.caseId, null));
  app.post<{ Params: { id: string; caseId: string } }>('/audits/:id/cases/:caseId', async (request, reply) => {
    const body = formBody(request.body);
    const complete = asString(body.action) === 'complete';
    const { id, caseId } = request.params;
    try {
      await saveCase(request.ctx(), id, caseId, asVersion(body.version), flatForm(body), complete);
      request.session.flash = { type: 'success', text: complete ? 'The case is complete.' : 'Your answers have been saved. You can come back to this case later.' };
      return await reply.redirect(complete ? `/audits/${id}` : `/audits/${id}/cases/${caseId}`);
    } catch (error) {
      if (error instanceof ConflictError) {
        reply.status(409);
        return renderCase(request, reply, id, caseId, body, { list: [{ text: error.message, href: '#answers' }], fields: {} }, true);
      }
      const errors = errorsOf(error);
      reply.status(422);
      return renderCase(request, reply, id, caseId, body, errors);
    }
  });

  // Findings and actions.
  app.get<{ Params: { id: string } }>('/audits/:id/findings/new', async (request, reply) => renderFindingForm(request, reply, request.params.id, null));
  app.post<{ Params: { id: string } }>('/audits/:id/findings/new', async (request, reply) => {
    const body = formBody(request.body);
    try {
      await addFinding(request.ctx(), request.params.id, {
        pillar: asString(body.pillar),
        auditCaseId: asString(body.auditCaseId),
        finding: asString(body.finding),
        action: asString(body.action),
        ownerUserId: asString(body.ownerUserId),
        dueOn: dateFromParts(body, 'dueOn'),
        competencyDomain: asString(body.competencyDomain),
      });
      request.session.flash = { type: 'success', text: 'The finding and its action have been recorded.' };
      return await reply.redirect(`/audits/${request.params.id}#findings`);
    } catch (error) {
      const errors = errorsOf(error, { dueOn: 'dueOn-day' });
      reply.status(422);
      return renderFindingForm(request, reply, request.params.id, body, errors);
    }
  });
  app.post<{ Params: { id: string; findingId: string } }>('/audits/:id/findings/:findingId/status', async (request, reply) => {
    const body = formBody(request.body);
    const status = asString(body.status);
    await setFindingStatus(request.ctx(), request.params.id, request.params.findingId, asVersion(body.version), status);
    request.session.flash = { type: 'success', text: `The action is marked ${(findingStatusLabels[status] ?? status).toLowerCase()}.` };
    return reply.redirect(`/audits/${request.params.id}#findings`);
  });

  // The report.
  app.get<{ Params: { id: string } }>('/audits/:id/report.pdf', async (request, reply) => {
    const ctx = request.ctx();
    const detail = await getAudit(ctx, request.params.id);
    const content = await renderPdf(buildReportModel(detail, ctx.actor.displayName));
    await recordReportDownload(ctx, detail.audit.id, 'pdf');
    reply
      .header('Content-Type', 'application/pdf')
      .header('Content-Disposition', `attachment; filename="${reportFilename(detail, 'pdf')}"`)
      .header('Cache-Control', 'no-store');
    return reply.send(content);
  });
  app.get<{ Params: { id: string } }>('/audits/:id/report.xlsx', async (request, reply) => {
    const ctx = request.ctx();
    const detail = await getAudit(ctx, request.params.id);
    const content = await buildReportXlsx(detail, ctx.actor.displayName);
    await recordReportDownload(ctx, detail.audit.id, 'xlsx');
    reply
      .header('Content-Type', XLSX_TYPE)
      .header('Content-Disposition', `attachment; filename="${reportFilename(detail, 'xlsx')}"`)
      .header('Cache-Control', 'no-store');
    return reply.send(content);
  });
}
