import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import type { Browser } from '../../../../test/app.ts';
import { rowsOf, type Db } from '../../../platform/db/database.ts';

/** Post a multipart form with one file, as a browser would, keeping the test browser's cookies. */
export async function uploadFile(
  b: Browser,
  url: string,
  fields: Record<string, string>,
  file: { name: string; data: Buffer; type?: string },
  csrf: string | null | undefined = b.lastCsrf,
): Promise<LightMyRequestResponse> {
  const boundary = `----aftercare${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  const all = { ...(csrf ? { _csrf: csrf } : {}), ...fields };
  for (const [k, v] of Object.entries(all)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`));
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await b.app.inject({ method: 'POST', url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...(cookie ? { cookie } : {}) } });
  const match = /name="_csrf" value="([^"]+)"/.exec(res.body);
  if (match) b.lastCsrf = match[1];
  return res;
}

/** Row counts and a hash of every row of the register's tables: equal means nothing changed. */
export async function registerFingerprint(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of ['person', 'legal_event', 'task']) {
    const row = rowsOf<{ n: string | number; h: string | null }>(
      await db.execute(sql.raw(`select count(*) as n, md5(coalesce(string_agg(t::text, '|' order by t.id), '')) as h from ${table} t`)),
    )[0]!;
    out[table] = `${Number(row.n)}:${row.h}`;
  }
  return out;
}
