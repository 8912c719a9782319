import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { needLevels } from '../../domain/personal-budget.ts';
import { needDomains } from '../../domain/rules/needs.ts';
import { can } from '../../platform/access/policy.ts';
import { ConflictError, ForbiddenError, InputError } from '../../platform/errors/errors.ts';
import { asString, asVersion, formBody } from '../../platform/http/forms.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import { levelLabels, pointsField, settingsDifferences, settingsFormValues, settingsFromForm, type SettingsDifference, type SettingsFormValues } from './settings.form.ts';
import { openPlanSettings, updatePlanSettings, type EditablePlanSettings } from './settings.service.ts';
import { addServiceType, openServiceTypes, retireServiceType } from './service-types.service.ts';
import { signInSettingsRoutes } from './sign-in-settings.routes.ts';
import { retentionSettings, updateRetentionSettings } from '../governance/index.ts';
import { restrictedNoteSettings, updateRestrictedNoteSettings } from '../notes/index.ts';
import { riskLevelSettings } from '../risk/index.ts';
import { capacitySettingsForPage } from '../capacity/index.ts';
import { libertySettingsForPage } from '../liberty/index.ts';
import { safeguardingSettings } from '../safeguarding/index.ts';

const template = 'modules/settings/views/plan-settings.njk';

/** The rows of the resource allocation table: one a need domain, one input a level. */
function allocationRows(values: SettingsFormValues, errors: GovukErrors | undefined) {
  return needDomains.map(({ id, label }) => ({
    id,
    label,
    cells: needLevels.map((level) => {
      const name = pointsField(id, level);
      return { name, level, levelLabel: levelLabels[level], value: values.points[name] ?? '', error: errors?.fields[name] };
    }),
  }));
}

interface PageData {
  settings: EditablePlanSettings;
  /** The retention periods (issue 14, item 6), saved by their own form on this page. */
  retention: Awaited<ReturnType<typeof retentionSettings>> & { values?: { yearsAfterEntitlementEnded: string; yearsAfterDeath: string } };
  /** Who sees restricted case notes (issue 15, item 1), saved by its own form on this page. */
  restrictedNotes: Awaited<ReturnType<typeof restrictedNoteSettings>> & { chosen?: string[] };
  values: SettingsFormValues;
  version: number;
  errors?: GovukErrors;
  conflict?: { differences: SettingsDifference[] };
}

async function render(reply: FastifyReply, data: PageData) {
  // The risk level definitions (issue 15, item 4) have their own form on this page, saved by the risk module.
  const riskLevels = await riskLevelSettings(reply.request.ctx());
  // The days allowed for an IMCA report (issue 16, item 3), and who sees safeguarding details and the
  // decision timescale (issue 16, item 1): each its own form, saved by its module.
  const capacitySettings = await capacitySettingsForPage(reply.request.ctx());
  // Days before a deprivation of liberty authorisation or order is due for renewal or review (issue 16, item 4).
  const libertySettings = await libertySettingsForPage(reply.request.ctx());
  const safeguarding = await safeguardingSettings(reply.request.ctx());
  return reply.render(template, {
    riskLevels,
    capacitySettings,
    libertySettings,
    safeguarding,
    title: 'Planning settings',
    settings: data.settings,
    values: data.values,
    version: data.version,
    rows: allocationRows(data.values, data.errors),
    levels: needLevels.map((level) => levelLabels[level]),
    errors: data.errors,
    conflict: data.conflict,
    retention: data.retention,
    restrictedNotes: data.restrictedNotes,
  });
}

/**
 * The partnership's planning settings (resource allocation, refund interest, weeks in a year):
 * administrators of the lead organisation only.
 */
export function settingsRoutes(app: FastifyInstance): void {
  app.get('/admin/plan-settings', async (request, reply) => {
    const ctx = request.ctx();
    const settings = await openPlanSettings(ctx);
    return render(reply, { retention: await retentionSettings(ctx), restrictedNotes: await restrictedNoteSettings(ctx), settings, values: settingsFormValues(settings), version: settings.version });
  });

  app.post('/admin/plan-settings', async (request, reply) => {
    const ctx = request.ctx();
    // Refuse before reading the form, so someone without the permission learns nothing from its checks.
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    const version = asVersion(body.version);
    const { values, input, issues } = settingsFromForm(body);
    if (!input) {
      reply.status(422);
      return render(reply, { retention: await retentionSettings(ctx), restrictedNotes: await restrictedNoteSettings(ctx), settings: await openPlanSettings(ctx), values, version, errors: toGovukErrors(issues) });
    }
    try {
      await updatePlanSettings(ctx, version, input);
    } catch (error) {
      if (error instanceof InputError) {
        reply.status(422);
        return render(reply, { retention: await retentionSettings(ctx), restrictedNotes: await restrictedNoteSettings(ctx), settings: await openPlanSettings(ctx), values, version, errors: toGovukErrors(issues.length ? issues : error.issues) });
      }
      if (!(error instanceof ConflictError)) throw error;
      // Somebody saved first. Nothing was written; the administrator's entries stay in the form,
      // with what the other person saved beside them, and the form now carries the current
      // version, so saving again (after checking) replaces theirs knowingly.
      const current = await openPlanSettings(ctx);
      reply.status(409);
      return render(reply, { retention: await retentionSettings(ctx), restrictedNotes: await restrictedNoteSettings(ctx),
        settings: current,
        values,
        version: current.version,
        conflict: { differences: settingsDifferences(current, input) },
        errors: {
          list: [{ text: 'Somebody else saved these settings after you opened them. Your changes have not been saved: check what they saved, then save again.', href: '#conflict' }],
          fields: {},
        },
      });
    }
    request.session.flash = { type: 'success', text: 'The planning settings have been saved.' };
    return reply.redirect('/admin/plan-settings');
  });

  // The retention periods (issue 14, item 6): their own form on this page, saved on their own.
  app.post('/admin/plan-settings/retention', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    const entered = { yearsAfterEntitlementEnded: asString(body.yearsAfterEntitlementEnded), yearsAfterDeath: asString(body.yearsAfterDeath) };
    try {
      await updateRetentionSettings(ctx, asVersion(body.retentionVersion), entered);
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ConflictError)) throw error;
      const settings = await openPlanSettings(ctx);
      const retention = { ...(await retentionSettings(ctx)), values: entered };
      reply.status(error instanceof InputError ? 422 : 409);
      const errors =
        error instanceof InputError
          ? toGovukErrors(error.issues)
          : { list: [{ text: 'Somebody else saved the retention periods after you opened this page. Yours have not been saved: check theirs, then save again.', href: '#yearsAfterEntitlementEnded' }], fields: {} };
      return render(reply, { settings, values: settingsFormValues(settings), version: settings.version, retention, restrictedNotes: await restrictedNoteSettings(ctx), errors });
    }
    request.session.flash = { type: 'success', text: 'The retention periods have been saved.' };
    return reply.redirect('/admin/plan-settings#retention');
  });

  // Who sees restricted case notes (issue 15, item 1): its own form on this page, saved on its own.
  app.post('/admin/plan-settings/restricted-notes', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    const chosen = [body.restrictedRoles ?? []].flat().map(String);
    try {
      await updateRestrictedNoteSettings(ctx, asVersion(body.restrictedNotesVersion), { roles: chosen });
    } catch (error) {
      if (!(error instanceof InputError) && !(error instanceof ConflictError)) throw error;
      const settings = await openPlanSettings(ctx);
      reply.status(error instanceof InputError ? 422 : 409);
      const errors =
        error instanceof InputError
          ? toGovukErrors(error.issues.map((i) => ({ ...i, path: 'restrictedRoles' })), { restrictedRoles: 'restrictedRoles' })
          : { list: [{ text: 'Somebody else saved who sees restricted case notes after you opened this page. Your choice has not been saved: check theirs, then save again.', href: '#restrictedRoles' }], fields: {} };
      return render(reply, { settings, values: settingsFormValues(settings), version: settings.version, retention: await retentionSettings(ctx), restrictedNotes: { ...(await restrictedNoteSettings(ctx)), chosen }, errors });
    }
    request.session.flash = { type: 'success', text: 'The roles that see restricted case notes have been saved.' };
    return reply.redirect('/admin/plan-settings#restricted-notes');
  });

  serviceTypeRoutes(app);
  signInSettingsRoutes(app);
}

const serviceTypesTemplate = 'modules/settings/views/service-types.njk';

async function renderServiceTypes(request: FastifyRequest, reply: FastifyReply, values: { label: string; description: string }, errors?: GovukErrors) {
  const { shipped, local } = await openServiceTypes(request.ctx());
  return reply.render(serviceTypesTemplate, { title: 'Types of service', shipped, local, values, errors });
}

/** The partnership's own types of aftercare service beside the shipped list (issue 13, item 8). */
function serviceTypeRoutes(app: FastifyInstance): void {
  app.get('/admin/service-types', (request, reply) => renderServiceTypes(request, reply, { label: '', description: '' }));

  app.post('/admin/service-types', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    const values = { label: asString(body.label), description: asString(body.description) };
    try {
      const created = await addServiceType(ctx, values);
      request.session.flash = { type: 'success', text: `“${created.label}” has been added to the types of service.` };
      return await reply.redirect('/admin/service-types');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reply.status(422);
      return renderServiceTypes(request, reply, values, toGovukErrors(error.issues));
    }
  });

  app.post<{ Params: { code: string } }>('/admin/service-types/:code/retire', async (request, reply) => {
    const ctx = request.ctx();
    if (!can(ctx.actor, 'settings:manage')) throw new ForbiddenError();
    const body = formBody(request.body);
    try {
      const retired = await retireServiceType(ctx, request.params.code, asVersion(body.version));
      request.session.flash = { type: 'success', text: `“${retired.label}” is no longer offered for new services. Services that have it keep it.` };
      return await reply.redirect('/admin/service-types');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      reply.status(422);
      return renderServiceTypes(request, reply, { label: '', description: '' }, toGovukErrors(error.issues));
    }
  });
}
