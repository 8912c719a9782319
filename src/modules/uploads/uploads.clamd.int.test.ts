import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, dateForm, demo, type TestApp } from '../../../test/app.ts';
import { contextFor, entitledPerson, nhsNumbers, signedIn } from '../../../test/fixtures.ts';
import { uploadedDocument } from './index.ts';

/*
 * Issue 15, item 3, with clamd configured (CLAMD_HOST/CLAMD_PORT): the app scans through it, and
 * when clamd cannot be reached the upload is refused (503) and nothing is stored: fail closed.
 * The stand-in clamd answers every INSTREAM (once the zero-length chunk ends it) with a finding.
 */

let t: TestApp;
let personId = '';
const received: number[] = [];
const clamd = net.createServer((socket) => {
  let bytes = Buffer.alloc(0);
  socket.on('data', (data) => {
    bytes = Buffer.concat([bytes, data]);
    if (bytes.subarray(0, 10).toString() === 'zINSTREAM\0' && bytes.length >= 18 && bytes.subarray(-4).equals(Buffer.alloc(4))) {
      received.push(bytes.length);
      socket.end('stream: Win.Test.Fake-Finding FOUND\0');
    }
  });
});

async function upload(name: string) {
  const b = await signedIn(t, demo.practitioner);
  await b.get(`/people/${personId}/uploads/new`);
  const boundary = `----x${randomBytes(6).toString('hex')}`;
  const fields = { _csrf: b.lastCsrf ?? '', category: 'court-order', ...dateForm('documentDate', '2026-11-02'), author: 'Northvale County Court' };
  const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  const payload = Buffer.concat([Buffer.from(parts.join('')), Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n% ${name}\n%%EOF\n\r\n--${boundary}--\r\n`)]);
  return t.app.inject({ method: 'POST', url: `/people/${personId}/uploads/new`, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
}

beforeAll(async () => {
  await new Promise<void>((resolve) => clamd.listen(0, '127.0.0.1', resolve));
  t = await createTestApp({ CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String((clamd.address() as net.AddressInfo).port) });
  personId = await entitledPerson(await contextFor(t, demo.practitioner), { nhsNumber: nhsNumbers(15_400)(), familyName: 'Clamscan' });
}, 180_000);
afterAll(async () => {
  await t?.close();
  if (clamd.listening) await new Promise((resolve) => clamd.close(resolve));
});

describe('uploads with clamd configured', () => {
  it('sends the file to clamd and quarantines what it finds', async () => {
    const res = await upload('order.pdf');
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(302);
    expect(received).toHaveLength(1);
    const [row] = await t.database.db.select().from(uploadedDocument).where(eq(uploadedDocument.personId, personId));
    expect(row).toMatchObject({ status: 'quarantined', scannedBy: 'ClamAV (clamd)', scanFinding: 'Win.Test.Fake-Finding' });
  });

  it('refuses the upload with a 503 and stores nothing when clamd cannot be reached', async () => {
    await new Promise((resolve) => clamd.close(resolve));
    const res = await upload('second-order.pdf');
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('The file could not be checked for viruses just now, so it has not been stored');
    expect(await t.database.db.select().from(uploadedDocument).where(eq(uploadedDocument.personId, personId))).toHaveLength(1);
  });
});
