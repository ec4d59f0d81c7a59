import axios, { AxiosError, AxiosResponse, CanceledError, InternalAxiosRequestConfig, RawAxiosResponseHeaders } from 'axios';
import type { Dispatcher } from 'undici';

// undici refuses these (they describe the connection, which the pool owns).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'expect', 'proxy-connection']);

/**
 * An axios adapter that sends through an undici dispatcher (a keep-alive connection pool):
 * the same axios API and errors for the client, without axios' Node transport cost. Supports
 * what the DeepCall client uses: text bodies and answers, headers, `signal`, `maxContentLength`
 * and `validateStatus`; no redirects, decompression or proxies.
 */
export function undiciAdapter(dispatcher: Dispatcher) {
  return async (config: InternalAxiosRequestConfig): Promise<AxiosResponse<string>> => {
    const signal = config.signal as AbortSignal | undefined;
    if (signal?.aborted) throw new CanceledError(undefined, config);
    const url = new URL(requestUrl(config));

    const exchange = send(dispatcher, url, config, signal);
    // undici notices an abort only once a queued request has a socket: answer it at once here.
    const answer = signal ? await raceAbort(exchange, signal, config) : await exchange;

    const response: AxiosResponse<string> = {
      data: answer.text,
      status: answer.status,
      statusText: '',
      // undici's headers are already a plain object with lower-case names, as axios answers them.
      headers: answer.headers as RawAxiosResponseHeaders,
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
 * config with axios' defaults again first: a second mergeConfig per call, 3% of the hot path.
 */
function requestUrl(config: InternalAxiosRequestConfig): string {
  if (config.params !== undefined) return axios.getUri(config);
  const url = config.url ?? '';
  if (!config.baseURL || /^[a-z][a-z\d+.-]*:\/\//i.test(url)) return url;
  return url ? `${config.baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : config.baseURL;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(dispatcher: Dispatcher, url: URL, config: InternalAxiosRequestConfig, signal: AbortSignal | undefined): Promise<RawAnswer> {
  try {
    const { statusCode, headers, body } = await dispatcher.request({
      origin: url.origin,
      path: url.pathname + url.search,
      method: (config.method ?? 'get').toUpperCase() as Dispatcher.HttpMethod,
      headers: requestHeaders(config),
      body: config.data as string | Buffer | undefined,
      signal,
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
  return headers;
}

async function readLimited(body: Dispatcher.ResponseData['body'], contentLength: string | string[] | undefined, limit: number, config: InternalAxiosRequestConfig): Promise<string> {
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
      throw new AxiosError(`maxContentLength size of ${limit} exceeded`, AxiosError.ERR_BAD_RESPONSE, config);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The exchange, or a CanceledError as soon as `signal` aborts; the listener goes with the answer. */
function raceAbort<T>(exchange: Promise<T>, signal: AbortSignal, config: InternalAxiosRequestConfig): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CanceledError(undefined, config));
    signal.addEventListener('abort', onAbort, { once: true });
    exchange.then(
      (answer) => {
        signal.removeEventListener('abort', onAbort);
        resolve(answer);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Keeps the network error's code (ECONNREFUSED, ECONNRESET…) where axios users look for it. */
function toAxiosError(error: unknown, config: InternalAxiosRequestConfig): AxiosError {
  if (error instanceof AxiosError) return error;
  const failure = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  if (failure?.name === 'AbortError' || failure?.code === 'UND_ERR_ABORTED') return new CanceledError(undefined, config);
  const code = failure?.cause?.code ?? (failure?.code === 'UND_ERR_SOCKET' ? 'ECONNRESET' : failure?.code);
  const wrapped = new AxiosError(failure?.message ?? 'Network error', code, config);
  wrapped.cause = failure;
  return wrapped;
}
