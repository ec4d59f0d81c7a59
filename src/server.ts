// The service's start-up, loaded by main.ts once telemetry is started.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { buildApp } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { exitGracefullyOnSignals } from './lifecycle/graceful-shutdown.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const { app, sandbox, store, demoLogin } = await buildApp(config);
  exitGracefullyOnSignals(app, config.shutdown);
  try {
    await app.listen({ port: config.port, host: '0.0.0.0' });
  } catch (error) {
    // The port is taken, say: close what start-up opened, so the process can end.
    await app.close();
    throw error;
  }

  const logger = new Logger('Startup');
  const base = `http://localhost:${config.port}`;
  logger.log(`groups-bff listening on ${base}${config.http.docsEnabled ? ` (Swagger UI: ${base}/docs)` : ''}`);
  if (sandbox) {
    const login = `userId "${demoLogin!.userId}", token "${demoLogin!.token}"`;
    logger.warn(
      `DEEPCALL_BASE_URL is not set: using the built-in DeepCall sandbox at ${sandbox.url}. Demo login: ${login}.`,
    );
  }
  if (store.kind === 'memory')
    logger.warn(
      'REDIS_URL is not set: sessions are kept in this process only (lost on restart, not shared by replicas).',
    );
  if (config.session.secretGenerated)
    logger.warn('SESSION_SECRET is not set: a random one was made, so sessions end when the process does.');
}

main().catch((error: unknown) => {
  // A configuration error names every bad variable; print it plainly. Whatever start-up opened
  // is closed by now, so the process ends by itself, with this exit code.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exitCode = 1;
});
