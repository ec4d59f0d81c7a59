import { request, type IncomingHttpHeaders } from 'node:http';

/** The upstream envelope as the sandbox answers it (both success and error). */
export interface SandboxEnvelope {
  status: string;
  code: number;
  message?: string;
  groupId?: number;
  ssid?: string;
  response?: unknown;
}

export interface SandboxHttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface SandboxHttpRequest {
  method?: string;
  body?: string;
  /** Omitted: no Content-Type header at all, like the upstream docs' samples. */
  contentType?: string;
  signal?: AbortSignal;
}

/**
 * A bare HTTP call to a sandbox over a fresh connection, with full control of method, body and
 * Content-Type (which fetch does not give). Used by the sandbox's tests; rejects on socket errors.
 */
export function sendToSandbox(
  baseUrl: string,
  path: string,
  init: SandboxHttpRequest = {},
): Promise<SandboxHttpResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (init.contentType !== undefined) headers['Content-Type'] = init.contentType;
    if (init.body !== undefined) headers['Content-Length'] = Buffer.byteLength(init.body);
    const req = request(
      new URL(path, baseUrl),
      { method: init.method ?? 'POST', headers, agent: false, signal: init.signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** POSTs a JSON body as application/json and parses the JSON answer. */
export async function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: SandboxEnvelope }> {
  const res = await sendToSandbox(baseUrl, path, { body: JSON.stringify(body), contentType: 'application/json' });
  return { status: res.status, headers: res.headers, body: JSON.parse(res.text) as SandboxEnvelope };
}
