import { loadConfig } from '../../platform/config/config.ts';
import { startServer } from '../../server.ts';
import type { CliCommand } from '../io.ts';

export const serve: CliCommand = async (_args, io) => {
  const config = loadConfig();
  const { app, stop } = await startServer(config, (line) => io.stdout.write(`${line}\n`));
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
