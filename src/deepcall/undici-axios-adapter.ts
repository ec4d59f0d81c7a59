import axios, { AxiosError, AxiosResponse, CanceledError, InternalAxiosRequestConfig } from 'axios';
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';

/**
 * A call's own headers (its request id, its trace context), lower-case names sent as they are.
 * axios's header handling (merging into AxiosHeaders, normalising, copying back) cost 9–20
 * thousand instructions per header and call (bench/README.md, "Where propagation's cost went");
 * a class instance, unlike a plain object, passes through axios's config merge uncopied.
 */
export class CallHeaders {
  constructor(readonly values: Readonly<Record<string, string>>) {}
}

declare module 'axios' {
  interface AxiosRequestConfig {
    /** Sent by the undici adapter after the configured headers, past axios's header handling. */
    callHeaders?: CallHeaders;
  }
}

// undici refuses these (they describe the connection, which the pool owns).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'proxy-connection']);

/**
 * An axios adapter that sends through an undici dispatcher (a keep-alive connection pool):
 * the same axios API and errors for the client, without axios' Node transport cost. Supports
 * what the DeepCall client uses: text bodies and answers, headers and `callHeaders`, `timeout`
 * (a total deadline, the wait for a free connection included), `signal`, `maxContentLength` and
 * `validateStatus`; no redirects, decompression or proxies.
 */
export function undiciAdapter(dispatcher: Dispatcher, { answerHeaders }: { answerHeaders?: readonly string[] } = {}) {
  // axios copies every answer header into an AxiosHeaders twice: with `answerHeaders`
  // (lower-case names), the response carries only those (bench/README.md has the figure).
  const keep = answerHeaders && ((all: RawAnswer['headers']) => pick(all, answerHeaders));
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse<string>> => {
    const signal = config.signal as AbortSignal | undefined;
    if (signal?.aborted) throw new CanceledError(undefined, config);
    const target = parsedUrl(requestUrl(config));

    const answer = await settle(config, signal, (cancel) => send(dispatcher, target, config, cancel));

    const response: AxiosResponse<string> = {
      data: answer.text,
      status: answer.status,
      statusText: '',
      // undici's headers are already a plain object with lower-case names, as axios answers them.
      headers: keep ? keep(answer.headers) : answer.headers,
      config,
      request: undefined,
    };
    const validateStatus = config.validateStatus;
    if (validateStatus && !validateStatus(response.status)) {
      const code = response.status >= 500 ? AxiosError.ERR_BAD_RESPONSE : AxiosError.ERR_BAD_REQUEST;
      throw new AxiosError(`Request failed with status code ${response.status}`, code, config, undefined, response);
    }
    return response;
  };
}

/**
 * baseURL joined with url, as axios does. axios.getUri() would do it too, but merges the whole
 * config with axios' defaults again first: a second mergeConfig per call.
 */
function requestUrl(config: InternalAxiosRequestConfig): string {
  if (config.params !== undefined) return axios.getUri(config);
  const url = config.url ?? '';
  if (!config.baseURL || /^[a-z][a-z\d+.-]*:\/\//i.test(url)) return url;
  return url ? `${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : config.baseURL;
}

function pick(all: RawAnswer['headers'], names: readonly string[]): RawAnswer['headers'] {
  const kept: RawAnswer['headers'] = {};
  for (const name of names) if (all[name] !== undefined) kept[name] = all[name];
  return kept;
}

interface Target {
  origin: string;
  path: string;
}

function parsedUrl(href: string): Target {
  const url = new URL(href);
  return { origin: url.origin, path: url.pathname + url.search };
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(
  dispatcher: Dispatcher,
  target: Target,
  config: InternalAxiosRequestConfig,
  cancel: EventEmitter | undefined,
): Promise<RawAnswer> {
  try {
    const { statusCode, headers, body } = await dispatcher.request({
      origin: target.origin,
      path: target.path,
      method: (config.method ?? 'get').toUpperCase(),
      headers: requestHeaders(config),
      body: config.data as string | Buffer | undefined,
      signal: cancel,
    });
    const text = await readLimited(body, headers['content-length'], config.maxContentLength ?? -1, config);
    return { status: statusCode, headers, text };
  } catch (error) {
    throw toAxiosError(error, config);
  }
}

function requestHeaders(config: InternalAxiosRequestConfig): Record<string, string> {
  const headers: Record<string, string> = {};
  // axios has made config.headers an AxiosHeaders by the time an adapter runs.
  for (const [name, value] of Object.entries(config.headers.toJSON())) {
    if (value != null && !HOP_BY_HOP.has(name.toLowerCase())) headers[name] = String(value);
  }
  const own = config.callHeaders?.values;
  if (own) for (const name of Object.keys(own)) headers[name] = own[name];
  return headers;
}

export const ANSWER_TOO_LARGE = 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED';

async function readLimited(
  body: Dispatcher.ResponseData['body'],
  contentLength: string | string[] | undefined,
  limit: number,
  config: InternalAxiosRequestConfig,
): Promise<string> {
  // A declared length within the limit: undici's own reader, much cheaper than iterating the
  // stream (undici fails the body if more bytes than declared arrive).
  const declared = typeof contentLength === 'string' ? Number(contentLength) : NaN;
  if (limit < 0 || (Number.isSafeInteger(declared) && declared <= limit)) return body.text();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      // Its own code (axios' fetch adapter's), so an answer too large is told from a broken one.
      throw new AxiosError(`maxContentLength size of ${limit} exceeded`, ANSWER_TOO_LARGE, config);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The exchange's answer, unless `signal` aborts first (CanceledError) or `timeout` ms pass
 * (ECONNABORTED, as axios' own adapter). Then undici drops the request at once, even one still
 * waiting for a connection (undici alone notices an abort only once a queued request has a
 * socket). undici is told through a plain EventEmitter, which it accepts as a signal: one per
 * call costs far less than an AbortController and its EventTarget.
 */
function settle<T>(
  config: InternalAxiosRequestConfig,
  signal: AbortSignal | undefined,
  exchange: (cancel: EventEmitter | undefined) => Promise<T>,
): Promise<T> {
  const timeoutMs = config.timeout ?? 0;
  if (!signal && timeoutMs <= 0) return exchange(undefined);
  const cancel = new EventEmitter();
  return new Promise<T>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const stop = (error: AxiosError) => {
      finish();
      cancel.emit('abort');
      reject(error);
    };
    const onAbort = () => stop(new CanceledError(undefined, config));
    if (timeoutMs > 0)
      timer = setTimeout(
        () => stop(new AxiosError(`timeout of ${timeoutMs}ms exceeded`, AxiosError.ECONNABORTED, config)),
        timeoutMs,
      );
    signal?.addEventListener('abort', onAbort, { once: true });
    exchange(cancel).then(
      (answer) => {
        finish();
        resolve(answer);
      },
      (error: unknown) => {
        finish();
        reject(error);
      },
    );
  });
}

/** Keeps the network error's code (ECONNREFUSED, ECONNRESET…) where axios users look for it. */
function toAxiosError(error: unknown, config: InternalAxiosRequestConfig): AxiosError {
  if (error instanceof AxiosError) return error;
  const failure = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  if (failure?.name === 'AbortError' || failure?.code === 'UND_ERR_ABORTED')
    return new CanceledError(undefined, config);
  const code = failure?.cause?.code ?? (failure?.code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : failure?.code);
  const wrapped = new AxiosError(failure?.message ?? 'Network error', code, config);
  wrapped.cause = failure;
  return wrapped;
}
