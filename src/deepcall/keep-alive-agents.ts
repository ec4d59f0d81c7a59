import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

const AGENT_OPTIONS = { keepAlive: true, maxSockets: 512, maxFreeSockets: 64, scheduling: 'lifo' as const };

/** Pooled keep-alive connections to DeepCall, closed with the application. */
@Injectable()
export class KeepAliveAgents implements OnApplicationShutdown {
  readonly http = new HttpAgent(AGENT_OPTIONS);
  readonly https = new HttpsAgent(AGENT_OPTIONS);

  onApplicationShutdown(): void {
    this.http.destroy();
    this.https.destroy();
  }
}
