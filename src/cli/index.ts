import { processIo, type CliCommand, type CliIo } from './io.ts';

/**
 * `npx aftercare <command> [subcommand] …`
 * Each entry is loaded lazily so `rules evaluate` does not pay for the web stack.
 */
const commands: Record<string, { summary: string; load: () => Promise<CliCommand> }> = {
  'rules evaluate': {
    summary: 'rules evaluate <file.json|->   Evaluate a case with the Section 117 rules engine; prints the decision as JSON',
    load: async () => (await import('./commands/rules-evaluate.ts')).rulesEvaluate,
  },
  serve: {
    summary: 'serve                          Start the web app (what `npm start` runs)',
    load: async () => (await import('./commands/serve.ts')).serve,
  },
  migrate: {
    summary: 'migrate                        Apply database migrations',
    load: async () => (await import('./commands/admin.ts')).migrate,
  },
  seed: {
    summary: 'seed                           Seed the synthetic demo partnership into an empty database',
    load: async () => (await import('./commands/admin.ts')).seed,
  },
  'orgs list': {
    summary: 'orgs list [--json]             List the partnership’s organisations and their codes',
    load: async () => (await import('./commands/admin.ts')).orgsList,
  },
  'users create': {
    summary: 'users create --email E --name N --org CODE --roles R[,R] [--password P]   Create a user',
    load: async () => (await import('./commands/admin.ts')).usersCreate,
  },
  'users reset-second-factor': {
    summary: 'users reset-second-factor --email E   Reset a person’s authenticator app (when no other administrator can)',
    load: async () => (await import('./commands/second-factor.ts')).usersResetSecondFactor,
  },
  'tokens create': {
    summary: 'tokens create --org CODE --name NAME   Create an API token (printed as the last line)',
    load: async () => (await import('./commands/admin.ts')).tokensCreate,
  },
  'ingest legal-status': {
    summary: 'ingest legal-status <file.csv> --org CODE   Load an MHSDS-style extract of legal status periods (docs/ingest.md)',
    load: async () => (await import('./commands/ingest.ts')).ingestLegalStatusCommand,
  },
  'import register': {
    summary: 'import register <file> [--mapping FILE] [--dry-run] [--mode all-or-nothing|valid-only]   Import an existing section 117 register (docs/import.md)',
    load: async () => (await import('./commands/import-register.ts')).importRegisterCommand,
  },
  'ingest charges': {
    summary: 'ingest charges <file.csv> --org CODE   Load the charges a finance system has made to people (docs/charges.md)',
    load: async () => (await import('./commands/ingest-charges.ts')).ingestChargesCommand,
  },
  'reference refresh': {
    summary: 'reference refresh --from FILE.csv --kind local-authorities|icbs|trusts   Rebuild a shipped reference list from an official ONS or ODS download',
    load: async () => (await import('./commands/reference.ts')).referenceRefresh,
  },
  'partnership create': {
    summary: 'partnership create --name NAME --icb CODE --local-authorities CODE[,CODE] [--trusts CODE,…] --admin-email EMAIL   Set up a partnership; prints the administrator\'s set-password link last',
    load: async () => (await import('./commands/partnership.ts')).partnershipCreate,
  },
  'feed finance': {
    summary: 'feed finance --out FILE [--date YYYY-MM-DD]   Write the finance file of section 117 services and who pays (docs/finance-feed.md)',
    load: async () => (await import('./commands/feed-finance.ts')).feedFinanceCommand,
  },
  'backup verify': {
    summary: 'backup verify [--database-url URL]   The restore drill: pg_dump, restore into a scratch database, compare every table (docs/operations/restore-drill.md)',
    load: async () => (await import('./commands/backup-verify.ts')).backupVerifyCommand,
  },
};

export function registerCommand(name: string, summary: string, load: () => Promise<CliCommand>): void {
  commands[name] = { summary, load };
}

function usage(io: CliIo): void {
  io.stderr.write('Usage: npx aftercare <command>\n\nCommands:\n');
  for (const { summary } of Object.values(commands)) io.stderr.write(`  ${summary}\n`);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  // Longest matching command name wins: "users create" before "users".
  const names = Object.keys(commands).sort((a, b) => b.split(' ').length - a.split(' ').length);
  for (const name of names) {
    const words = name.split(' ');
    if (words.every((w, i) => argv[i] === w)) {
      const command = await commands[name]!.load();
      return command(argv.slice(words.length), io);
    }
  }
  usage(io);
  return argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' ? 0 : 2;
}
