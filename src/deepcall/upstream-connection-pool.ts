import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent } from 'undici';

/**
 * Keep-alive connections to DeepCall (undici), closed with the application. Idle connections
 * are dropped after 4 s, below the usual server keep-alive (5 s), so a reused one is not closed
 * under a request by the other side.
 */
@Injectable()
export class UpstreamConnectionPool implements OnApplicationShutdown {
  readonly dispatcher = new Agent({ connections: 256, keepAliveTimeout: 4000, keepAliveMaxTimeout: 60_000 });

  async onApplicationShutdown(): Promise<void> {
    await this.dispatcher.close();
  }
}
