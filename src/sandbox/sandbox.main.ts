import { DEMO_LOGIN, startSandbox } from './sandbox.server.js';

/** Standalone DeepCall emulator for front-end work, demos and benchmarks. */
async function main(): Promise<void> {
  const port = Number(process.env.SANDBOX_PORT || 4010);
  const host = process.env.SANDBOX_HOST || '127.0.0.1';
  const sandbox = await startSandbox({ port, host });
  console.log(
    `DeepCall sandbox listening on ${sandbox.url} (demo login: userId "${DEMO_LOGIN.userId}", token "${DEMO_LOGIN.token}")`,
  );
  // Closing the server ends the process: nothing else keeps it alive.
  const stop = (): void => void sandbox.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`DeepCall sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
