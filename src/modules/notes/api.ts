import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { linkKinds, noteTypes } from '../../domain/case-notes.ts';
import { parseApiInput } from '../../platform/http/api-input.ts';
import { problemSchema } from '../../platform/http/problem-schema.ts';
import { createNote, noteForApi, notesForApi } from './notes.service.ts';

/*
 * Case notes through the API (issue 15, item 6): a partner's system reads a person's notes and
 * writes one, with exactly the pages' rules (notes.service.ts): person:read to read, restricted
 * notes only for the roles the partnership chose and the note's author (a restricted note is 404
 * for everyone else), person:write to write, every read audited. Editing and correcting stay in
 * the pages, where the 24-hour lock and the reason for a correction are shown.
 */

const problems = {
  400: problemSchema.describe('The body is not valid JSON'),
  401: problemSchema.describe('No valid API token or session'),
  403: problemSchema.describe('The token’s organisation has no relationship with this person, or no permission'),
  404: problemSchema.describe('No such person, or no such note the caller may see'),
  422: problemSchema.describe('The input is not valid; `errors` names each field'),
};

const personParams = z.object({ id: z.string().describe('The person’s id (a UUID)') });
const noteParams = personParams.extend({ noteId: z.string().describe('The note’s id (a UUID)') });

const noteSchema = z.object({
  id: z.uuid(),
  version: z.int().describe('Changes whenever the note changes'),
  type: z.string().describe(`One of ${noteTypes.join(', ')}`),
  typeLabel: z.string().describe('The type in plain English, as the pages show it'),
  contactAt: z.string().describe('When the contact happened (not when it was typed), ISO 8601 UTC'),
  present: z.string().describe('Who was present'),
  body: z.string().describe('The note as written: plain text, where a line starting "# " is a heading and lines starting "- " a list'),
  significant: z.boolean(),
  restricted: z.boolean().describe('Third-party information or safeguarding: seen only by the roles the partnership chose and the author'),
  restrictedReason: z.string().nullable(),
  linked: z.object({ kind: z.string().describe(`One of ${linkKinds.join(', ')}`), id: z.string() }).nullable().describe('The plan, review, meeting or task the note is about'),
  status: z.enum(['draft', 'finished']),
  state: z.enum(['draft', 'finished', 'locked']).describe('A finished note is locked 24 hours after it was finished; after that it changes only by a correction, in the pages'),
  lockedAt: z.string().nullable().describe('When a finished note is or was locked, ISO 8601'),
  author: z.string().nullable().describe('Who wrote it, and their organisation'),
  corrections: z.int().describe('How many times it has been corrected'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const versionSchema = z.object({
  noteVersion: z.int(),
  type: z.string(),
  contactAt: z.string(),
  present: z.string(),
  body: z.string(),
  significant: z.boolean(),
  reason: z.string().describe('Why it was replaced'),
  replacedBy: z.string().nullable(),
  replacedAt: z.string(),
});

const newNoteSchema = z
  .strictObject({
    type: z.enum(noteTypes, { error: `type must be one of ${noteTypes.map((t) => `"${t}"`).join(', ')}` }),
    contactDate: z.string({ error: 'contactDate must be text written YYYY-MM-DD' }).describe('The date of the contact in England, YYYY-MM-DD'),
    contactTime: z.string({ error: 'contactTime must be text, like "14:30"' }).describe('The time of the contact in England, like "14:30" or "2:30pm"'),
    present: z.string({ error: 'present must be text' }).optional(),
    body: z.string({ error: 'body must be text' }),
    significant: z.boolean({ error: 'significant must be true or false' }).optional(),
    restricted: z.boolean({ error: 'restricted must be true or false' }).optional(),
    restrictedReason: z.string({ error: 'restrictedReason must be text' }).optional().describe('Required when restricted: third-party information or safeguarding'),
    linked: z.strictObject({ kind: z.enum(linkKinds, { error: `linked.kind must be one of ${linkKinds.map((k) => `"${k}"`).join(', ')}` }), id: z.string({ error: 'linked.id must be text' }) }).optional(),
    finish: z.boolean({ error: 'finish must be true or false' }).optional().describe('false saves a draft (default true: the note is finished, and locked 24 hours later)'),
  })
  .describe('A case note to write');

const significantQuery = z.object({ significant: z.enum(['true', 'false']).optional().describe('true: significant notes only') });

export function notesApiRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['case notes'];

  api.get(
    '/api/v1/people/:id/notes',
    {
      schema: {
        tags,
        summary: 'The person’s case notes',
        description: 'Newest contact first. Restricted notes are listed only for the roles the partnership chose and for their author; drafts only for their author. The view is recorded in the audit trail.',
        params: personParams,
        querystring: significantQuery,
        response: { 200: z.object({ notes: z.array(noteSchema) }), 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
    },
    async (request) => ({ notes: await notesForApi(request.ctx(), request.params.id, { significantOnly: request.query.significant === 'true' }) }),
  );

  api.get(
    '/api/v1/people/:id/notes/:noteId',
    {
      schema: {
        tags,
        summary: 'One case note',
        description: 'With its earlier versions (replaced by corrections or by edits before it was locked) for team managers and quality and audit staff; `earlierVersions` is null for everyone else. A restricted note the caller may not see answers 404. The view is recorded in the audit trail.',
        params: noteParams,
        response: { 200: noteSchema.extend({ earlierVersions: z.array(versionSchema).nullable() }), 401: problems[401], 403: problems[403], 404: problems[404] },
      },
    },
    async (request) => noteForApi(request.ctx(), request.params.id, request.params.noteId),
  );

  api.post(
    '/api/v1/people/:id/notes',
    {
      schema: {
        tags,
        summary: 'Write a case note',
        description: 'With the pages’ rules: the contact must be in the past; a restricted note needs its reason; a link must be to one of the person’s plans, reviews, meetings or tasks. Answers 201 with the note.',
        params: personParams,
        body: newNoteSchema,
        response: { 201: noteSchema.extend({ earlierVersions: z.array(versionSchema).nullable() }), 400: problems[400], 401: problems[401], 403: problems[403], 404: problems[404], 422: problems[422] },
      },
      // The guard answers 403/404 before the body is read; the body is checked below.
      attachValidation: true,
    },
    async (request, reply) => {
      const ctx = request.ctx();
      const input = parseApiInput(newNoteSchema, request.body);
      const note = await createNote(
        ctx,
        request.params.id,
        {
          type: input.type,
          contactDate: input.contactDate,
          contactTime: input.contactTime,
          present: input.present ?? '',
          body: input.body,
          significant: input.significant ?? false,
          restricted: input.restricted ?? false,
          restrictedReason: input.restrictedReason ?? '',
          link: input.linked ? `${input.linked.kind}:${input.linked.id}` : '',
        },
        input.finish ?? true,
      );
      const stored = await noteForApi(ctx, request.params.id, note.id);
      return reply.status(201).header('Location', `/api/v1/people/${request.params.id}/notes/${note.id}`).send(stored);
    },
  );
}
