/**
 * Case notes pages (issue 15, item 1). Thin: each handler reads the form, calls notes.service.ts
 * and renders or redirects. POSTs under /people/:id/ are guarded (person:write) before the body is
 * read (src/modules/register/person-guard.ts). Every flow works without JavaScript.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { noteTypeLabels, noteTypes } from '../../domain/case-notes.ts';
import { formatNhsNumber } from '../../domain/nhs-number.ts';
import { ConflictError, InputError } from '../../platform/errors/errors.ts';
import { asString, asVersion, dateFromParts, dateParts, formBody, type FormBody } from '../../platform/http/forms.ts';
import { toGovukErrors, type GovukErrors } from '../../platform/http/validation.ts';
import { correctNote, createNote, editNote, emptyNoteInput, newNoteForm, noteForm, notesPage, openNote, type NoteInput } from './notes.service.ts';

const v = (name: string) => `modules/notes/views/${name}.njk`;

const fieldIds: Record<string, string> = { type: 'type', contactDate: 'contactDate-day', contactTime: 'contactTime', present: 'present', body: 'body', restrictedReason: 'restrictedReason', link: 'link', reason: 'reason' };

function inputFrom(body: FormBody): NoteInput {
  return {
    type: asString(body.type),
    contactDate: dateFromParts(body, 'contactDate'),
    contactTime: asString(body.contactTime),
    present: asString(body.present),
    body: asString(body.body),
    significant: asString(body.significant) === 'yes',
    restricted: asString(body.restricted) === 'yes',
    restrictedReason: asString(body.restrictedReason),
    link: asString(body.link),
  };
}

type Mode = 'new' | 'edit' | 'correct';

interface FormPage {
  mode: Mode;
  person: { id: string; givenName: string; familyName: string; nhsNumber: string };
  links: Array<{ value: string; text: string }>;
  values: NoteInput;
  contactDate: { day: string; month: string; year: string };
  noteId?: string;
  version?: number;
  reason?: string;
  status?: string;
  errors?: GovukErrors;
}

function renderForm(reply: FastifyReply, page: FormPage) {
  const name = `${page.person.givenName} ${page.person.familyName}`;
  const title = page.mode === 'new' ? 'Write a case note' : page.mode === 'edit' ? 'Edit the case note' : 'Correct the case note';
  return reply.render(v('note-form'), {
    title,
    ...page,
    name,
    nhsNumber: formatNhsNumber(page.person.nhsNumber),
    action: page.mode === 'new' ? `/people/${page.person.id}/notes/new` : `/people/${page.person.id}/notes/${page.noteId}/${page.mode}`,
    typeItems: [{ value: '', text: 'Choose the type of note' }, ...noteTypes.map((t) => ({ value: t, text: noteTypeLabels[t], selected: page.values.type === t }))],
    linkItems: [{ value: '', text: 'Not linked' }, ...page.links.map((l) => ({ ...l, selected: l.value === page.values.link }))],
    breadcrumbs: [{ text: 'Home', href: '/' }, { text: name, href: `/people/${page.person.id}` }, { text: 'Case notes', href: `/people/${page.person.id}/notes` }],
  });
}

const rawDate = (body: FormBody) => ({ day: asString(body['contactDate-day']), month: asString(body['contactDate-month']), year: asString(body['contactDate-year']) });

function failed(reply: FastifyReply, error: unknown, conflictText: string): GovukErrors {
  if (error instanceof InputError) {
    reply.status(422);
    return toGovukErrors(error.issues, fieldIds);
  }
  if (error instanceof ConflictError) {
    reply.status(409);
    return { list: [{ text: conflictText, href: '#conflict' }], fields: {} };
  }
  throw error;
}

export function notesRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: string }; Querystring: { significant?: string } }>('/people/:id/notes', async (request, reply) => {
    const significantOnly = request.query.significant === 'yes';
    const page = await notesPage(request.ctx(), request.params.id, { significantOnly });
    const name = `${page.person.givenName} ${page.person.familyName}`;
    return reply.render(v('notes'), {
      title: `Case notes: ${name}`,
      name,
      nhsNumber: formatNhsNumber(page.person.nhsNumber),
      personId: page.person.id,
      notes: page.notes,
      mayWrite: page.mayWrite,
      significantOnly,
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: name, href: `/people/${page.person.id}` }],
    });
  });

  app.get<{ Params: { id: string } }>('/people/:id/notes/new', async (request, reply) => {
    const { person, links } = await newNoteForm(request.ctx(), request.params.id);
    return renderForm(reply, { mode: 'new', person, links, values: emptyNoteInput, contactDate: { day: '', month: '', year: '' } });
  });

  app.post<{ Params: { id: string } }>('/people/:id/notes/new', async (request, reply) => {
    const ctx = request.ctx();
    const body = formBody(request.body);
    const finish = asString(body.action) === 'finish';
    const values = inputFrom(body);
    try {
      const note = await createNote(ctx, request.params.id, values, finish);
      request.session.flash = { type: 'success', text: finish ? 'The case note has been saved and finished. You can change it for 24 hours; after that it is locked.' : 'The case note has been saved as a draft. Finish it when it is complete.' };
      return await reply.redirect(`/people/${request.params.id}/notes/${note.id}`);
    } catch (error) {
      const errors = failed(reply, error, 'The note could not be saved');
      const { person, links } = await newNoteForm(ctx, request.params.id);
      return renderForm(reply, { mode: 'new', person, links, values, contactDate: rawDate(body), errors });
    }
  });

  app.get<{ Params: { id: string; noteId: string } }>('/people/:id/notes/:noteId', async (request, reply) => {
    const page = await openNote(request.ctx(), request.params.id, request.params.noteId);
    const name = `${page.person.givenName} ${page.person.familyName}`;
    return reply.render(v('note'), {
      title: `${page.note.typeLabel}, ${page.note.contactAt}`,
      name,
      nhsNumber: formatNhsNumber(page.person.nhsNumber),
      personId: page.person.id,
      note: page.note,
      versions: page.versions,
      seesVersions: page.seesVersions,
      breadcrumbs: [{ text: 'Home', href: '/' }, { text: name, href: `/people/${page.person.id}` }, { text: 'Case notes', href: `/people/${page.person.id}/notes` }],
    });
  });

  for (const mode of ['edit', 'correct'] as const) {
    app.get<{ Params: { id: string; noteId: string } }>(`/people/:id/notes/:noteId/${mode}`, async (request, reply) => {
      const { person, note, values, links } = await noteForm(request.ctx(), request.params.id, request.params.noteId, mode);
      return renderForm(reply, { mode, person, links, values, contactDate: dateParts(values.contactDate), noteId: note.id, version: note.version, reason: '', status: note.status });
    });

    app.post<{ Params: { id: string; noteId: string } }>(`/people/:id/notes/:noteId/${mode}`, async (request: FastifyRequest<{ Params: { id: string; noteId: string } }>, reply) => {
      const ctx = request.ctx();
      const { id, noteId } = request.params;
      const body = formBody(request.body);
      const values = inputFrom(body);
      const reason = asString(body.reason);
      const finish = asString(body.action) === 'finish';
      try {
        if (mode === 'edit') await editNote(ctx, id, noteId, asVersion(body.version), values, finish);
        else await correctNote(ctx, id, noteId, asVersion(body.version), { ...values, reason });
        request.session.flash = { type: 'success', text: mode === 'correct' ? 'The correction has been saved. The earlier version is kept with your reason.' : finish ? 'The case note has been finished. You can change it for 24 hours; after that it is locked.' : 'The case note has been saved.' };
        return await reply.redirect(`/people/${id}/notes/${noteId}`);
      } catch (error) {
        const errors = failed(
          reply,
          error,
          error instanceof ConflictError && error.message.includes('locked')
            ? error.message
            : 'Somebody else changed this note after you opened it. Your changes have not been saved: check the note as it is now, below, then make your changes again.',
        );
        // The form is shown again with what was typed, at the note's current version.
        const current = await noteForm(ctx, id, noteId, mode).catch((e: unknown) => {
          if (e instanceof ConflictError) return null;
          throw e;
        });
        if (!current) {
          const page = await openNote(ctx, id, noteId);
          const name = `${page.person.givenName} ${page.person.familyName}`;
          return reply.render(v('note'), { title: `${page.note.typeLabel}, ${page.note.contactAt}`, name, nhsNumber: formatNhsNumber(page.person.nhsNumber), personId: id, note: page.note, versions: page.versions, seesVersions: page.seesVersions, errors, breadcrumbs: [{ text: 'Home', href: '/' }, { text: name, href: `/people/${id}` }, { text: 'Case notes', href: `/people/${id}/notes` }] });
        }
        return renderForm(reply, { mode, person: current.person, links: current.links, values, contactDate: rawDate(body), noteId, version: current.note.version, reason, status: current.note.status, errors });
      }
    });
  }
}
