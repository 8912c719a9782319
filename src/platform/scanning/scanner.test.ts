import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInScanner, clamdScanner, EICAR_TEST_STRING, ScannerUnavailableError } from './scanner.ts';

/**
 * A tiny fake clamd speaking the INSTREAM protocol as clamd(8) documents it: the command
 * `zINSTREAM\0`, then chunks each prefixed with a 4-byte big-endian length, ended by a zero-length
 * chunk; the answer `stream: OK\0` or `stream: <name> FOUND\0`, then the connection is closed.
 * It records what it received, so the test checks the framing, not only the verdict.
 */
function fakeClamd(received: Buffer[], mode: 'verdict' | 'error' | 'silent' = 'verdict'): net.Server {
  return net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let commandRead = false;
    const body: Buffer[] = [];
    socket.on('data', (data) => {
      buffer = Buffer.concat([buffer, data]);
      if (!commandRead) {
        const nul = buffer.indexOf(0);
        if (nul < 0) return;
        if (buffer.subarray(0, nul).toString() !== 'zINSTREAM') {
          socket.end('UNKNOWN COMMAND\0');
          return;
        }
        commandRead = true;
        buffer = buffer.subarray(nul + 1);
      }
      while (buffer.length >= 4) {
        const size = buffer.readUInt32BE(0);
        if (buffer.length < 4 + size) return;
        if (size === 0) {
          const stream = Buffer.concat(body);
          received.push(stream);
          if (mode === 'silent') return;
          if (mode === 'error') socket.end('INSTREAM size limit exceeded. ERROR\0');
          else socket.end(stream.includes(Buffer.from(EICAR_TEST_STRING)) ? 'stream: Win.Test.EICAR_HDB-1 FOUND\0' : 'stream: OK\0');
          return;
        }
        body.push(buffer.subarray(4, 4 + size));
        buffer = buffer.subarray(4 + size);
      }
    });
  });
}

const listen = (server: net.Server, where: string | number) => new Promise<void>((resolve) => server.listen(where, resolve));
const servers: net.Server[] = [];
const dir = mkdtempSync(path.join(os.tmpdir(), 'clamd-'));
const received: Buffer[] = [];
let port = 0;
const socketPath = path.join(dir, 'clamd.sock');

beforeAll(async () => {
  const tcp = fakeClamd(received);
  await listen(tcp, 0);
  port = (tcp.address() as net.AddressInfo).port;
  const unix = fakeClamd(received);
  await listen(unix, socketPath);
  servers.push(tcp, unix);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  rmSync(dir, { recursive: true, force: true });
});

describe('clamd scanner (INSTREAM)', () => {
  it('sends the whole file in chunks over TCP and reads a clean answer', async () => {
    const big = Buffer.alloc(200_000, 7);
    expect(await clamdScanner({ host: '127.0.0.1', port }).scan(big)).toEqual({ clean: true });
    expect(received.at(-1)!.equals(big)).toBe(true);
  });
  it('reports the signature clamd found, over a Unix socket', async () => {
    const infected = Buffer.from(`${EICAR_TEST_STRING}\n`);
    expect(await clamdScanner({ socket: socketPath }).scan(infected)).toEqual({ clean: false, signature: 'Win.Test.EICAR_HDB-1' });
  });
  it('fails closed: an error answer, no answer in time or no clamd are ScannerUnavailableError', async () => {
    const failing = fakeClamd([], 'error');
    const silent = fakeClamd([], 'silent');
    await listen(failing, 0);
    await listen(silent, 0);
    servers.push(failing, silent);
    await expect(clamdScanner({ host: '127.0.0.1', port: (failing.address() as net.AddressInfo).port }).scan(Buffer.from('x'))).rejects.toThrow(/clamd answered: INSTREAM size limit exceeded/);
    await expect(clamdScanner({ host: '127.0.0.1', port: (silent.address() as net.AddressInfo).port }, { timeoutMs: 200 }).scan(Buffer.from('x'))).rejects.toBeInstanceOf(ScannerUnavailableError);
    await expect(clamdScanner({ socket: path.join(dir, 'nobody-here.sock') }).scan(Buffer.from('x'))).rejects.toThrow(/clamd could not be reached/);
  });
});

describe('built-in scanner', () => {
  it('flags the EICAR test string anywhere in the file and nothing else', async () => {
    const scanner = builtInScanner();
    expect(await scanner.scan(Buffer.from(`%PDF-1.4\n${EICAR_TEST_STRING}\n`))).toEqual({ clean: false, signature: 'Eicar-Test-Signature' });
    expect(await scanner.scan(Buffer.from('%PDF-1.4 EICAR-STANDARD-ANTIVIRUS'))).toEqual({ clean: true });
  });
});
