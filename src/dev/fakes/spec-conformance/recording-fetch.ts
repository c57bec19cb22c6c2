/** One HTTP exchange as the client made it and the server answered it, JSON bodies parsed. */
export interface RecordedExchange {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** The request body parsed as JSON; undefined when there was none or it was not JSON. */
  readonly requestJson?: unknown;
  readonly status: number;
  /** The answer parsed as JSON when its content type says JSON. */
  readonly responseJson?: unknown;
}

/**
 * A `fetch` for a client under test that records every exchange, so a test can hold the very
 * messages the client built and the fake answered against the provider's definition.
 */
export function recordingFetch(inner: typeof fetch = fetch): {
  fetch: typeof fetch;
  exchanges: RecordedExchange[];
} {
  const exchanges: RecordedExchange[] = [];
  const wrapped = async (
    input: Parameters<typeof fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const request = new Request(input, init);
    const text = request.body ? await request.clone().text() : undefined;
    const response = await inner(input, init);
    const type = response.headers.get('content-type') ?? '';
    let responseJson: unknown;
    if (/json/i.test(type))
      responseJson = await response
        .clone()
        .json()
        .catch(() => undefined);
    exchanges.push({
      method: request.method,
      url: new URL(request.url),
      headers: Object.fromEntries(request.headers),
      ...(text ? { requestJson: parseJson(text) } : {}),
      status: response.status,
      ...(responseJson !== undefined ? { responseJson } : {}),
    });
    return response;
  };
  return { fetch: wrapped, exchanges };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
