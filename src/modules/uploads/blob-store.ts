import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DbOrTx } from '../../platform/db/database.ts';
import { findBlob, insertBlob } from './uploads.queries.ts';

/**
 * Where the bytes of uploaded files are kept (docs/documents.md, "Storage"), keyed by their
 * SHA-256 within the partnership, so the same bytes uploaded twice are kept once.
 * - `databaseStore` (the default): the `uploaded_blob` table, written in the upload's transaction,
 *   so the document and its bytes commit or roll back together and the backup holds both.
 * - `directoryStore` (DOCUMENT_STORE_DIR): one file per content, `<dir>/<partnership>/<ab>/<sha256>`,
 *   written to a temporary name and renamed (a reader never sees half a file), readable by the
 *   owner only. It is written before the transaction commits: a rolled-back upload can leave an
 *   unreferenced file, never a document without its file. Back the directory up with the database.
 * Both check the bytes they hand back against the key: a changed file is an error, never served.
 */
export interface BlobStore {
  readonly kind: 'database' | 'directory';
  /** Keep the bytes under their SHA-256; false when they were already kept. */
  put(q: DbOrTx, partnershipId: string, sha256: string, bytes: Buffer): Promise<boolean>;
  get(q: DbOrTx, partnershipId: string, sha256: string): Promise<Buffer | null>;
}

export class BlobIntegrityError extends Error {
  override name = 'BlobIntegrityError';
}

export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function checked(sha256: string, bytes: Buffer | null): Buffer | null {
  if (bytes && sha256Of(bytes) !== sha256) throw new BlobIntegrityError(`The stored file ${sha256.slice(0, 12)}… does not match its SHA-256`);
  return bytes;
}

const isSha256 = (key: string) => /^[0-9a-f]{64}$/.test(key);
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id);

export const databaseStore: BlobStore = {
  kind: 'database',
  put: (q, partnershipId, sha256, bytes) => insertBlob(q, partnershipId, sha256, bytes),
  get: async (q, partnershipId, sha256) => checked(sha256, await findBlob(q, partnershipId, sha256)),
};

export function directoryStore(dir: string): BlobStore {
  const fileFor = (partnershipId: string, sha256: string) => {
    // Both parts are checked, so a key can never name a path outside the directory.
    if (!isUuid(partnershipId) || !isSha256(sha256)) throw new Error('Not a partnership id and SHA-256');
    return path.join(dir, partnershipId, sha256.slice(0, 2), sha256);
  };
  return {
    kind: 'directory',
    async put(_q, partnershipId, sha256, bytes) {
      const file = fileFor(partnershipId, sha256);
      const there = await stat(file).then(
        () => true,
        () => false,
      );
      if (there) return false;
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.partial`;
      await writeFile(temporary, bytes, { mode: 0o600, flag: 'wx' });
      await rename(temporary, file);
      return true;
    },
    async get(_q, partnershipId, sha256) {
      const bytes = await readFile(fileFor(partnershipId, sha256)).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      });
      return checked(sha256, bytes);
    },
  };
}

/** The store the configuration asks for. */
export function blobStoreFor(storeDir: string | undefined): BlobStore {
  return storeDir ? directoryStore(storeDir) : databaseStore;
}
