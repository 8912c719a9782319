import { z } from 'zod';

/** RFC 9457 problem details as the API sends them (see errors/handler.ts), for OpenAPI. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('One entry for each field that is wrong, with its path in the request'),
  })
  .describe('RFC 9457 problem details');
