#!/usr/bin/env node
// Entry point for `npx aftercare …` and `npm start`. Runs the TypeScript sources
// through tsx so there is no separate build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/index.ts');
process.exitCode = await main(process.argv.slice(2));
