import { parseArgs } from 'node:util';
import { algorithmOf } from '@kyc/sumsub-webhook';
import { probe, UsageError } from '../api.ts';
import { defaultSecret, defaultUrl } from '../defaults.ts';
import { generateDeliveries, type LoadSummary, runLoad } from '@kyc/samples';
import { progressBar } from '../progress.ts';

export const loadHelp = `Usage: pnpm cli load [options]

Sends realistic traffic: applicants walking the verification lifecycle, a share
of re-deliveries, optionally out of order. Prints a summary at the end.

Options:
  --count <n>            deliveries to send (default 1000)
  --applicants <m>       distinct applicants (default 100)
  --duplicates <share>   share of deliveries that repeat an earlier one, 0..1 (default 0.3)
  --shuffle              deliver in random order
  --concurrency <c>      requests in flight (default 20)
  --rate <r>             at most r deliveries per second (default: as fast as answered)
  --seed <n>             seed for a repeatable profile
  --url, --secret, --alg as for send
  --json                 print the summary as JSON
`;

export function formatSummary(s: LoadSummary): string {
  const errors =
    Object.entries(s.errors)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ') || 'none';
  return [
    `sent        ${s.sent}`,
    `accepted    ${s.accepted}`,
    `duplicate   ${s.duplicate}`,
    `errors      ${errors}`,
    `throughput  ${s.requestsPerSecond.toFixed(0)} req/s over ${s.seconds.toFixed(2)} s`,
    `latency     p50 ${s.latencyMs.p50.toFixed(1)} ms, p99 ${s.latencyMs.p99.toFixed(1)} ms, max ${s.latencyMs.max.toFixed(1)} ms`,
  ].join('\n');
}

const int = (text: string | undefined, fallback: number, name: string) => {
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number (got ${JSON.stringify(text)})`);
  return value;
};

export async function load(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string' },
      applicants: { type: 'string' },
      duplicates: { type: 'string' },
      shuffle: { type: 'boolean' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      seed: { type: 'string' },
      url: { type: 'string' },
      secret: { type: 'string' },
      alg: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const duplicates = int(values.duplicates, 0.3, 'duplicates');
  if (duplicates >= 1) throw new UsageError('--duplicates must be below 1');
  const algorithm = algorithmOf(values.alg);
  const secret = values.secret ?? defaultSecret();
  if (!algorithm || !secret)
    throw new UsageError(!algorithm ? `unknown --alg ${values.alg}` : 'no secret: pass --secret or set SUMSUB_WEBHOOK_SECRET');
  const deliveries = generateDeliveries({
    count: int(values.count, 1000, 'count'),
    applicants: int(values.applicants, 100, 'applicants'),
    duplicates,
    shuffle: values.shuffle ?? false,
    ...(values.seed === undefined ? {} : { seed: int(values.seed, 0, 'seed') }),
  });
  await probe(values.url ?? defaultUrl());
  const bar = progressBar(deliveries.length, 'load');
  const summary = await runLoad({ url: values.url ?? defaultUrl(), secret, algorithm }, deliveries, {
    concurrency: int(values.concurrency, 20, 'concurrency'),
    ...(values.rate === undefined ? {} : { rate: int(values.rate, 0, 'rate') }),
    onProgress: (done) => bar.update(done),
  });
  bar.finish();
  const { results: _results, ...printable } = summary;
  process.stdout.write(values.json ? `${JSON.stringify(printable)}\n` : `${formatSummary(summary)}\n`);
  return summary.sent === summary.accepted + summary.duplicate ? 0 : 1;
}
