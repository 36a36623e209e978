import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { benchEndToEnd } from './e2e.ts';
import { benchIntake } from './intake.ts';
import { benchProcessing } from './processing.ts';

// pnpm bench [--profile quick|full]
// Every figure is beside a baseline measured in the same run on the same machine.
const PROFILES = {
  quick: { intakeSeconds: 3, connections: [50], processingEvents: 2000, e2eRate: 500, e2eSeconds: 5 },
  full: { intakeSeconds: 15, connections: [50, 200], processingEvents: 20_000, e2eRate: 2000, e2eSeconds: 60 },
};
const { values } = parseArgs({ options: { profile: { type: 'string', default: 'quick' }, only: { type: 'string' } } });
const profile = PROFILES[values.profile as keyof typeof PROFILES];
if (!profile) throw new Error('--profile must be quick or full');
const only = values.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);
const f = (n: number, digits = 0) => n.toFixed(digits);
const out: string[] = [];
const flush = () => process.stdout.write(`${out.splice(0).join('\n')}\n`);
out.push(
  `Benchmarks, ${values.profile} profile: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  '',
);

if (wanted('intake')) {
  process.stderr.write('bench: intake...\n');
  const rows = await benchIntake(profile.intakeSeconds, profile.connections);
  out.push('Intake (verify + validate + durable enqueue) vs bare Fastify JSON POST, same bodies', '');
  out.push(
    '| connections | ingest req/s | p50 ms | p99 ms | non-2xx | baseline req/s | baseline p99 ms | ratio |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    out.push(
      `| ${r.connections} | ${f(r.ingest.requestsPerSecond)} | ${f(r.ingest.p50, 1)} | ${f(r.ingest.p99, 1)} | ${r.ingest.non2xx + r.ingest.errors} | ${f(r.baseline.requestsPerSecond)} | ${f(r.baseline.p99, 1)} | ${f(r.ingest.requestsPerSecond / r.baseline.requestsPerSecond, 2)} |`,
    );
  }
  out.push('');
  flush();
}
if (wanted('processing')) {
  process.stderr.write('bench: processing...\n');
  const r = await benchProcessing(profile.processingEvents, 16);
  out.push('Processing (one worker process, pre-filled queue) vs the same SQL with plain pg, same concurrency', '');
  out.push('| events | concurrency | worker events/s | baseline events/s | ratio |', '|---|---|---|---|---|');
  out.push(`| ${r.events} | ${r.concurrency} | ${f(r.worker)} | ${f(r.baseline)} | ${f(r.worker / r.baseline, 2)} |`, '');
  flush();
}
if (wanted('e2e')) {
  process.stderr.write('bench: end to end...\n');
  const r = await benchEndToEnd(profile.e2eRate, profile.e2eSeconds);
  out.push('End to end (ingest + 2 worker processes), paced load', '');
  out.push(
    '| target/s | seconds | sent | acknowledged | applied | lost | achieved/s | ack→commit p50 ms | p99 ms | ingest peak RSS MB | worker peak RSS MB |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  out.push(
    `| ${r.rate} | ${r.seconds} | ${r.sent} | ${r.acknowledged} | ${r.applied} | ${r.lost} | ${f(r.achievedRate)} | ${f(r.ackToCommitP50)} | ${f(r.ackToCommitP99)} | ${f(r.ingestPeakRssMb)} | ${f(r.workerPeakRssMb)} |`,
    '',
  );
  if (r.lost > 0) process.exitCode = 1;
}
flush();
