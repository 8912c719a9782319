import { loadConfig } from '../../platform/config/config.ts';
import { startServer } from '../../server.ts';
import type { CliCommand } from '../io.ts';

export const serve: CliCommand = async (_args, io) => {
  const config = loadConfig();
  const { app, stop } = await startServer(config, (line) => io.stdout.write(`${line}\n`));
  // Errors in requests and hooks become 4xx/5xx responses (src/platform/http/headers.ts,
  // errors/handler.ts). Anything that still escapes is a fault whose state is unknown: it is
  // written to the structured log, and the process exits for its supervisor to restart it
  // (README, Operations; docs/operations/aftercare.service).
  const fatal = (kind: string) => (err: unknown) => {
    app.log.fatal({ err, kind }, 'the process is stopping after an error nothing handled');
    process.exit(1);
  };
  process.once('uncaughtException', fatal('uncaughtException'));
  process.once('unhandledRejection', fatal('unhandledRejection'));
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      app.log.info({ signal }, 'shutting down');
      void stop().then(resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
};
