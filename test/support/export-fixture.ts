import { afterAll, beforeAll } from '@jest/globals';
import { OtlpReceiver } from './otlp-receiver.js';
import { spawnService, type ServiceProcess } from './service-process.js';
import { RunningSandbox, startSandbox } from '../../src/sandbox/sandbox.server.js';

/**
 * For a test file of exported traces: a real OTLP receiver and a sandbox for the whole file, and
 * the built service started against that sandbox with `defaults` and a test's own variables.
 * Everything started is stopped after the file.
 */
export function exportFixture(defaults: Record<string, string>) {
  const services: ServiceProcess[] = [];
  const fixture = {
    receiver: undefined as unknown as OtlpReceiver,
    sandbox: undefined as unknown as RunningSandbox,
    serviceWith: async (
      env: Record<string, string>,
      waitUntil: 'ready' | 'dependencies' = 'ready',
    ): Promise<ServiceProcess> => {
      const service = await spawnService(
        { DEEPCALL_BASE_URL: fixture.sandbox.url, SHUTDOWN_DRAIN_DELAY_MS: '0', ...defaults, ...env },
        { waitUntil },
      );
      services.push(service);
      return service;
    },
  };
  beforeAll(async () => {
    [fixture.receiver, fixture.sandbox] = await Promise.all([OtlpReceiver.start(), startSandbox()]);
  });
  afterAll(async () => {
    for (const service of services) service.child.kill('SIGKILL');
    await Promise.all([fixture.receiver?.close(), fixture.sandbox?.close()]);
  });
  return fixture;
}
