import type { FastifyPluginCallback } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

// The API answers JSON only: nothing may load, run or frame anything from it.
const API_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
};

// Swagger UI's pages need inline styles and scripts: the relaxed policy is for /docs only.
// upgrade-insecure-requests off: it would break /docs served over plain HTTP on an internal host.
const DOCS_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      upgradeInsecureRequests: null,
    },
  },
};

/** Swagger UI and its assets (not /docs-json, which is JSON like the API). */
function isDocsPage(url: string): boolean {
  return url === '/docs' || url.startsWith('/docs/') || url.startsWith('/docs?');
}

/**
 * helmet's security headers on every answer, errors and unknown routes included. With these
 * options (no per-request directives, no nonces) helmet sets the same headers on every
 * response, so they are worked out once and added as one set: running helmet's dozen
 * middlewares per request, each setting a header on the raw response, showed in the profile.
 */
const securityHeadersHook: FastifyPluginCallback = (fastify, _options, done) => {
  const api = securityHeaders(API_OPTIONS);
  const docs = securityHeaders(DOCS_OPTIONS);
  fastify.addHook('onRequest', (request, reply, next) => {
    reply.headers(isDocsPage(request.url) ? docs : api);
    next();
  });
  done();
};

export const securityHeadersPlugin = fp(securityHeadersHook, { name: 'groups-bff-security-headers' });

/** The headers helmet sets for these options, read by running it once against a recorder. */
export function securityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}
