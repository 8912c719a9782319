import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions, serializeError } from './logger.ts';

function capture(): { log: pino.Logger; text: () => string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino(loggerOptions('info', false), sink), text: () => lines.join('') };
}

/** The shapes drizzle, node-postgres and PGlite give a failed query. */
function driverError(): Error {
  const pgError = Object.assign(new Error('duplicate key value violates unique constraint "person_nhs_number_unique"'), {
    code: '23505',
    severity: 'ERROR',
    detail: 'Key (partnership_id, nhs_number)=(p1, 9990001234) already exists.',
    where: 'unnamed portal parameter $2 = \'Ada Example\'',
    constraint: 'person_nhs_number_unique',
    table: 'person',
  });
  const params = ['Ada Example', '9990001234'];
  return Object.assign(new Error(`Failed query: insert into person (given_name, nhs_number) values ($1, $2)\nparams: ${params.join(',')}`, { cause: pgError }), {
    query: 'insert into person (given_name, nhs_number) values ($1, $2)',
    params,
  });
}

describe('finding 7: database errors are logged without their parameters', () => {
  it('logs the query, code and constraint of a failed query, never its values', () => {
    const { log, text } = capture();
    log.error({ err: driverError() }, 'unhandled error');
    const out = text();
    expect(out).toContain('insert into person (given_name, nhs_number) values ($1, $2)');
    expect(out).toContain('"code":"23505"');
    expect(out).toContain('person_nhs_number_unique');
    expect(out).not.toContain('Ada Example');
    expect(out).not.toContain('9990001234');
  });

  it('removes a value PostgreSQL quotes in a data exception', () => {
    const err = Object.assign(new Error('invalid input syntax for type integer: "Ada Example 9990001234"'), { code: '22P02' });
    const out = JSON.stringify(serializeError(err));
    expect(out).toContain('invalid input syntax for type integer');
    expect(out).not.toContain('9990001234');
  });
});
