import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DbOrTx } from '../../platform/db/database.ts';
import { BlobIntegrityError, blobStoreFor, directoryStore, sha256Of } from './blob-store.ts';

/* The filesystem blob store (DOCUMENT_STORE_DIR): content-addressed, once per content, checked on reading. */

const dir = mkdtempSync(path.join(os.tmpdir(), 'aftercare-blobs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const partnership = '6a1c1a8e-3f2b-4c1d-9e8f-0a1b2c3d4e5f';
// The directory store never touches the database.
const noDatabase = {} as DbOrTx;

describe('directory store', () => {
  const store = directoryStore(dir);
  const bytes = Buffer.from('%PDF-1.4 a tribunal report');
  const key = sha256Of(bytes);

  it('keeps the same bytes once, under the partnership and their SHA-256, readable by the owner only', async () => {
    expect(await store.put(noDatabase, partnership, key, bytes)).toBe(true);
    expect(await store.put(noDatabase, partnership, key, bytes)).toBe(false);
    const folder = path.join(dir, partnership, key.slice(0, 2));
    expect(readdirSync(folder)).toEqual([key]);
    expect(statSync(path.join(folder, key)).mode & 0o777).toBe(0o600);
    expect((await store.get(noDatabase, partnership, key))!.equals(bytes)).toBe(true);
  });

  it('answers null for bytes it does not hold, and refuses a file changed on disk', async () => {
    expect(await store.get(noDatabase, partnership, sha256Of(Buffer.from('other')))).toBeNull();
    const tampered = Buffer.from('tampered');
    const tamperedKey = sha256Of(Buffer.from('original'));
    await store.put(noDatabase, partnership, tamperedKey, Buffer.from('original'));
    writeFileSync(path.join(dir, partnership, tamperedKey.slice(0, 2), tamperedKey), tampered);
    await expect(store.get(noDatabase, partnership, tamperedKey)).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('never builds a path from anything but a partnership id and a SHA-256', async () => {
    await expect(store.put(noDatabase, '../../etc', key, bytes)).rejects.toThrow('Not a partnership id and SHA-256');
    await expect(store.get(noDatabase, partnership, '../passwd')).rejects.toThrow('Not a partnership id and SHA-256');
  });

  it('is chosen when DOCUMENT_STORE_DIR is set; the database otherwise', () => {
    expect(blobStoreFor(dir).kind).toBe('directory');
    expect(blobStoreFor(undefined).kind).toBe('database');
  });
});
