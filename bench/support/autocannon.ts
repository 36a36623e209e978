import autocannon from 'autocannon';

export type HttpResult = { requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; total: number };
export type SignedRequest = { body: string; headers: Record<string, string> };

export type HammerOptions = {
  connections: number;
  /** Run for this long… */
  seconds?: number;
  /** …or until this many requests were sent. */
  amount?: number;
  /** Requests per second over all connections (paced load). */
  overallRate?: number;
  /** Called with every response's status and body (e.g. to collect acknowledged event ids). */
  onResponse?: (status: number, body: string) => void;
};

/** Runs autocannon against POST /webhooks/sumsub, cycling through pre-signed bodies (signed before the clock starts). */
export async function hammer(url: string, bodies: readonly SignedRequest[], options: HammerOptions): Promise<HttpResult> {
  let next = 0;
  const result = await autocannon({
    url: `${url}/webhooks/sumsub`,
    connections: options.connections,
    ...(options.seconds === undefined ? {} : { duration: options.seconds }),
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const item = bodies[next++ % bodies.length] as SignedRequest;
          return { ...request, body: item.body, headers: item.headers };
        },
        ...(options.onResponse
          ? {
              onResponse: (status: number, body: string) => {
                options.onResponse?.(status, body);
              },
            }
          : {}),
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}
