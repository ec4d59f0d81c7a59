import { HttpService } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import axios from 'axios';
import { CircuitStateMetric } from './circuit-state.metric.js';
import { DeepcallAuthApi } from './deepcall-auth.api.js';
import { DeepcallGroupsApi } from './deepcall-groups.api.js';
import { DeepcallSettings } from './deepcall.types.js';
import { DeepcallClient } from './deepcall.client.js';
import { undiciAdapter } from './undici-axios-adapter.js';
import { UpstreamConnectionPool } from './upstream-connection-pool.js';
import { UpstreamErrorFilter } from './upstream-error.mapper.js';
import { UpstreamResilience } from './upstream-resilience.js';
import { MetricsModule } from '../metrics/metrics.module.js';

const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

function createHttpService(settings: DeepcallSettings, pool: UpstreamConnectionPool): HttpService {
  return new HttpService(
    axios.create({
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
  );
}

/** The only module that talks to DeepCall (and the only importer of @nestjs/axios). */
@Module({
  imports: [MetricsModule],
  providers: [
    UpstreamConnectionPool,
    { provide: HttpService, useFactory: createHttpService, inject: [DeepcallSettings, UpstreamConnectionPool] },
    UpstreamResilience,
    CircuitStateMetric,
    DeepcallClient,
    DeepcallGroupsApi,
    DeepcallAuthApi,
    // How a DeepCall failure reaches the caller: the error table is this feature's.
    { provide: APP_FILTER, useClass: UpstreamErrorFilter },
  ],
  exports: [DeepcallGroupsApi, DeepcallAuthApi, UpstreamResilience],
})
export class DeepcallModule {}
