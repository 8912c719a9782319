/**
 * `npx aftercare rules evaluate <file.json|->`
 *
 * Prints the decision as JSON and exits 0. Invalid input prints the problem (RFC 9457 JSON,
 * with field paths) on standard output and exits 2; so does a missing or extra argument, with
 * the usage on standard error. Same engine, same output as `POST /api/v1/rules/evaluate`.
 */
import { readFile } from 'node:fs/promises';
import { evaluate, parseCaseJson } from '../../domain/rules/index.ts';
import { readAll, type CliCommand } from '../io.ts';

const USAGE = `Usage: npx aftercare rules evaluate <file.json|->

Evaluates a case (contract version 1) with the Section 117 rules engine and prints the decision as JSON.
Use - to read the case from standard input.

Exit codes: 0 decision printed; 2 invalid input (problem JSON printed) or wrong usage.
See docs/rules.md for the contract.
`;

export const rulesEvaluate: CliCommand = async (args, io) => {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    io.stdout.write(USAGE);
    return 0;
  }
  const [source] = args;
  if (args.length !== 1 || source === undefined) {
    io.stderr.write(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = source === '-' ? await readAll(io.stdin) : await readFile(source, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    io.stderr.write(`Cannot read ${source}: ${reason}\n`);
    return 2;
  }
  const parsed = parseCaseJson(text);
  if (!parsed.ok) {
    io.stdout.write(`${JSON.stringify(parsed.problem, null, 2)}\n`);
    return 2;
  }
  io.stdout.write(`${JSON.stringify(evaluate(parsed.value), null, 2)}\n`);
  return 0;
};
