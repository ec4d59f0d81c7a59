import type { FastifyInstance, HTTPMethods } from 'fastify';
import FindMyWay from 'find-my-way';

/**
 * The methods each known path serves, for `405` with `Allow`: a router of our own (Fastify's
 * own, find-my-way) fed with every route as it is registered. Fastify only knows "no route for
 * this method and path", which it answers as a 404.
 */
export class AllowedMethods {
  private readonly router = FindMyWay({ maxParamLength: Number.MAX_SAFE_INTEGER });
  private readonly methods = new Set<string>();

  constructor(fastify: FastifyInstance) {
    fastify.addHook('onRoute', (route) => {
      for (const method of ([] as HTTPMethods[]).concat(route.method)) this.add(method, route.url ?? route.path);
    });
  }

  /** The methods that path serves, sorted; empty when it is no known path at all. */
  of(path: string): string[] {
    return [...this.methods].filter((method) => this.router.find(method as FindMyWay.HTTPMethod, path) !== null).sort();
  }

  private add(method: string, url: string): void {
    // A catch-all (CORS answers preflights with OPTIONS *) would make every unknown path "known".
    if (url === '*' || url === '/*') return;
    this.methods.add(method);
    if (!this.router.hasRoute(method as FindMyWay.HTTPMethod, url))
      this.router.on(method as FindMyWay.HTTPMethod, url, () => undefined);
  }
}
