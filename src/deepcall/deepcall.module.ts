import { HttpModule } from '@nestjs/axios';
import { DynamicModule, Module } from '@nestjs/common';
import { CircuitStateMetric } from './circuit-state.metric.js';
import { DeepcallAuthApi } from './deepcall-auth.api.js';
import { DeepcallGroupsApi } from './deepcall-groups.api.js';
import { DEEPCALL_SETTINGS, DeepcallSettings } from './deepcall-settings.js';
import { DeepcallClient } from './deepcall.client.js';
import { undiciAdapter } from './undici-axios-adapter.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { UpstreamConnectionPool } from './upstream-connection-pool.js';
import { UpstreamResilience } from './upstream-resilience.js';

const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** The only module that talks to DeepCall (and the only importer of @nestjs/axios). */
@Module({})
export class DeepcallModule {
  static forRoot(settings: DeepcallSettings): DynamicModule {
    const pool = new UpstreamConnectionPool();
    return {
      module: DeepcallModule,
      // Configured once, by AppModule.forRoot; global so feature modules use it without configuring
      // it again (the forRoot pattern of Nest's own configured modules).
      global: true,
      imports: [
        MetricsModule,
        HttpModule.register({
          baseURL: settings.baseUrl,
          // axios stays the client's API; undici's pool does the network work, much cheaper.
          // The client reads no other header of DeepCall's answers.
          adapter: undiciAdapter(pool.dispatcher, { answerHeaders: ['retry-after'] }),
          maxRedirects: 0,
          maxContentLength: MAX_ANSWER_BYTES,
          // No transforms: the client sends JSON text it serialised itself (axios' default would
          // parse it again to check it), and readEnvelope parses the raw answer, trusting the body
          // over the HTTP status.
          transformRequest: [],
          responseType: 'text',
          transformResponse: [],
          validateStatus: () => true,
        }),
      ],
      providers: [
        { provide: DEEPCALL_SETTINGS, useValue: settings },
        { provide: UpstreamConnectionPool, useValue: pool },
        UpstreamResilience,
        CircuitStateMetric,
        DeepcallClient,
        DeepcallGroupsApi,
        DeepcallAuthApi,
      ],
      exports: [DeepcallGroupsApi, DeepcallAuthApi, UpstreamResilience, DEEPCALL_SETTINGS],
    };
  }
}
