import autocannon from 'autocannon';

export type HttpResult = { requestsPerSecond: number; p50: number; p99: number; non2xx: number; errors: number; total: number };

/** Runs autocannon against POST /webhooks/sumsub, cycling through pre-signed bodies. */
export async function hammer(
  url: string,
  bodies: readonly { body: string; headers: Record<string, string> }[],
  connections: number,
  seconds: number,
): Promise<HttpResult> {
  let next = 0;
  const result = await autocannon({
    url: `${url}/webhooks/sumsub`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const item = bodies[next++ % bodies.length] as { body: string; headers: Record<string, string> };
          return { ...request, body: item.body, headers: item.headers };
        },
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
