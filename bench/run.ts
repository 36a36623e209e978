import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { benchBurst } from './burst.ts';
import { benchEndToEnd, type EndToEndRow } from './e2e.ts';
import { benchIntake } from './intake.ts';
import { embeddedFootprint, ingestIdle } from './memory.ts';
import { benchProcessing } from './processing.ts';
import { profilePaths } from './profile.ts';
import { benchRedisJobs } from './redis.ts';
import { benchStorage } from './storage.ts';
import { benchTracing } from './tracing.ts';

// pnpm bench [--profile quick|full] [--only intake,tracing,processing,burst,e2e,footprint,redis,cpu,storage]
// Every figure stands beside a baseline measured in the same run on the same
// machine; the targets (issue: performance) are checked as ratios, never as times.
// A complete full run rewrites the results part of docs/benchmarks.md.
const PROFILES = {
  quick: {
    intakeSeconds: 3,
    connections: [50],
    processingEvents: 3000,
    e2eRate: 500,
    e2eSeconds: 5,
    burstEvents: 3000,
    footprintEvents: 1000,
    ingestRestSeconds: 25,
    redisJobs: 5000,
    cpuSeconds: 3,
    cpuEvents: 3000,
    storageEvents: 5000,
  },
  full: {
    intakeSeconds: 15,
    connections: [50, 200],
    processingEvents: 20_000,
    e2eRate: 2000,
    e2eSeconds: 60,
    burstEvents: 20_000,
    footprintEvents: 2000,
    ingestRestSeconds: 30,
    redisJobs: 20_000,
    cpuSeconds: 15,
    cpuEvents: 20_000,
    storageEvents: 50_000,
  },
};
const DOC = 'docs/benchmarks.md';
const BEGIN = '<!-- results: written by pnpm bench --profile full -->';
const END = '<!-- end of results -->';
const BASELINE_CONCURRENCY = 16;

const { values } = parseArgs({ options: { profile: { type: 'string', default: 'quick' }, only: { type: 'string' } } });
const profile = PROFILES[values.profile as keyof typeof PROFILES];
if (!profile) throw new Error('--profile must be quick or full');
const only = values.only?.split(',');
const wanted = (name: string) => !only || only.includes(name);
const f = (n: number, digits = 0) => n.toFixed(digits);
const out: string[] = [];
const written: string[] = [];
const targets: string[] = [];
const flush = () => {
  const lines = out.splice(0);
  written.push(...lines);
  process.stdout.write(`${lines.join('\n')}\n`);
};
const target = (what: string, result: string, met: boolean) => targets.push(`| ${what} | ${result} | ${met ? 'yes' : 'no'} |`);
out.push(
  `Benchmarks, ${values.profile} profile: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  '',
);

if (wanted('intake')) {
  process.stderr.write('bench: intake...\n');
  const rows = await benchIntake(profile.intakeSeconds, profile.connections);
  out.push('### Intake: the production ingest beside a naive enqueue and a bare Fastify POST, same Redis, same bodies', '');
  out.push(
    '| connections | ingest req/s | p50 ms | p99 ms | non-2xx | naive enqueue req/s | naive p99 ms | bare Fastify req/s | vs naive | vs bare |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const vsNaive = r.ingest.requestsPerSecond / r.naive.requestsPerSecond;
    out.push(
      `| ${r.connections} | ${f(r.ingest.requestsPerSecond)} | ${f(r.ingest.p50, 1)} | ${f(r.ingest.p99, 1)} | ${r.ingest.non2xx + r.ingest.errors} | ${f(r.naive.requestsPerSecond)} | ${f(r.naive.p99, 1)} | ${f(r.bare.requestsPerSecond)} | ${f(vsNaive, 2)} | ${f(r.ingest.requestsPerSecond / r.bare.requestsPerSecond, 2)} |`,
    );
    target(`intake ≥ 1.0× naive enqueue, ${r.connections} connections`, `${f(vsNaive, 2)}×`, vsNaive >= 1);
    if (r.connections === 50) target('intake p99 ≤ 20 ms at 50 connections', `${f(r.ingest.p99, 1)} ms`, r.ingest.p99 <= 20);
  }
  out.push('');
  flush();
}

if (wanted('tracing')) {
  process.stderr.write('bench: tracing...\n');
  const connections = profile.connections[0] ?? 50;
  const rows = await benchTracing(profile.intakeSeconds, connections);
  const off = rows[0]?.result.requestsPerSecond ?? 0;
  out.push(`### Intake with OpenTelemetry tracing: off, on, on at 10 % (${connections} connections, spans to a local collector)`, '');
  out.push('| tracing | ingest req/s | p50 ms | p99 ms | non-2xx | spans exported | vs off |', '|---|---|---|---|---|---|---|');
  for (const r of rows) {
    out.push(
      `| ${r.setting} | ${f(r.result.requestsPerSecond)} | ${f(r.result.p50, 1)} | ${f(r.result.p99, 1)} | ${r.result.non2xx + r.result.errors} | ${r.spans} | ${f(r.result.requestsPerSecond / off, 2)} |`,
    );
  }
  out.push('');
  flush();
}

if (wanted('processing')) {
  process.stderr.write('bench: processing...\n');
  const r = await benchProcessing(profile.processingEvents, BASELINE_CONCURRENCY);
  out.push(
    `### Processing: worker processes draining ${r.events} pre-filled events, beside one statement per event over plain pg at ${r.baselineConcurrency} connections (${f(r.baseline)} events/s: the mean of ${r.baselines.map((b) => f(b)).join(' before and ')} after)`,
    '',
  );
  out.push('| worker processes | queue shards | events/s | vs baseline |', '|---|---|---|---|');
  for (const run of r.runs) {
    out.push(`| ${run.workers} | ${run.shards} | ${f(run.eventsPerSecond)} | ${f(run.eventsPerSecond / r.baseline, 2)} |`);
  }
  out.push('');
  const one = r.runs.find((run) => run.workers === 1 && run.shards === 1);
  if (one) {
    const ratio = one.eventsPerSecond / r.baseline;
    target('processing ≥ 1.0× the statement over pg (one worker process)', `${f(ratio, 2)}×`, ratio >= 1);
    target('processing stretch ≥ 2.0×', `${f(ratio, 2)}×`, ratio >= 2);
  }
  flush();
}

if (wanted('burst')) {
  process.stderr.write('bench: burst through pnpm start...\n');
  const r = await benchBurst(profile.burstEvents);
  out.push(
    `### Burst: ${r.sent} pre-signed deliveries (10% duplicates, shuffled) through pnpm start at 50 connections, as fast as the intake answers, timed from the first request to the last commit`,
    '',
    '| sent | acknowledged | applied | lost | wrong records | applied twice | 2xx/s while sending | deliveries/s end to end | applied events/s end to end | s to last commit |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${r.sent} | ${r.acknowledged} | ${r.applied} | ${r.lost} | ${r.wrongRecords} | ${r.appliedTwice} | ${f(r.ackedPerSecond)} | ${f(r.deliveriesPerSecond)} | ${f(r.appliedPerSecond)} | ${f(r.seconds, 1)} |`,
    '',
    '| process | µs of CPU per applied event |',
    '|---|---|',
    ...r.cpuPerEvent.map((c) => `| ${c.name} | ${f(c.micros)} |`),
    `| **all in** | **${f(r.cpuPerEvent.reduce((n, c) => n + c.micros, 0))}** |`,
    '',
  );
  const right = r.lost === 0 && r.wrongRecords === 0 && r.appliedTwice === 0;
  target(
    `burst of ${r.sent} through pnpm start ≥ 3,500 applied events/s, every record right`,
    `${f(r.appliedPerSecond)}/s; ${r.lost} lost, ${r.wrongRecords} wrong records, ${r.appliedTwice} applied twice`,
    r.appliedPerSecond >= 3500 && right,
  );
  if (!right) process.exitCode = 1;
  flush();
}

if (wanted('e2e')) {
  const rows: EndToEndRow[] = [];
  for (const deployment of ['pnpm start', 'split'] as const) {
    process.stderr.write(`bench: end to end (${deployment})...\n`);
    rows.push(await benchEndToEnd(deployment, profile.e2eRate, profile.e2eSeconds));
  }
  out.push(`### End to end: ${profile.e2eRate}/s for ${profile.e2eSeconds} s, pre-signed, autocannon, 10% duplicates`, '');
  out.push(
    '| deployment | sent | acknowledged | applied | lost | 2xx/s | distinct applied/s | drain after load s | HTTP p99 ms | ack→commit p50 ms | p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    out.push(
      `| ${r.deployment} | ${r.sent} | ${r.acknowledged} | ${r.applied} | ${r.lost} | ${f(r.ackedPerSecond)} | ${f(r.appliedPerSecond)} | ${f(r.drainSeconds, 1)} | ${f(r.httpP99)} | ${f(r.ackToCommitP50)} | ${f(r.ackToCommitP99)} |`,
    );
    // Sustained: the load was answered at (within the generator's 5%) the target rate, and processing kept pace with it.
    const sustained = r.ackedPerSecond >= 0.95 * r.rate && r.drainSeconds <= 2;
    target(
      `${r.rate}/s sustained, ${r.deployment}`,
      `${f(r.ackedPerSecond)} 2xx/s, processing ${f(r.drainSeconds, 1)} s behind at the end`,
      sustained,
    );
    target(`0 lost, ${r.deployment}`, `${r.lost} of ${r.acknowledged}`, r.lost === 0);
    target(`ack→commit p99 ≤ 250 ms, ${r.deployment}`, `${f(r.ackToCommitP99)} ms`, r.ackToCommitP99 <= 250);
    if (r.lost > 0) process.exitCode = 1;
  }
  out.push('', '### Memory (RSS, MB): idle after start, and peak during the end-to-end load', '');
  out.push('| deployment | process | idle | peak |', '|---|---|---|---|');
  for (const r of rows) for (const m of r.memory) out.push(`| ${r.deployment} | ${m.name} | ${f(m.idle)} | ${f(m.peak)} |`);
  for (const r of rows) {
    for (const m of r.memory) {
      if (m.name === 'ingest') target('ingest peak RSS ≤ 120 MB', `${f(m.peak)} MB`, m.peak <= 120);
      if (m.name.startsWith('worker')) target(`${m.name} peak RSS ≤ 200 MB`, `${f(m.peak)} MB`, m.peak <= 200);
    }
  }
  out.push('', '### Per-event CPU budget during the end-to-end load (µs of CPU per acknowledged event)', '');
  out.push('| deployment | process | µs/event |', '|---|---|---|');
  for (const r of rows) {
    for (const c of r.cpuPerEvent) out.push(`| ${r.deployment} | ${c.name} | ${f(c.micros)} |`);
    // All in: the service's processes, Redis and PostgreSQL, the whole cost of one event on this box.
    const allIn = r.cpuPerEvent.reduce((n, c) => n + c.micros, 0);
    out.push(`| ${r.deployment} | **all in** | **${f(allIn)}** |`);
    target(`all-in CPU per event ≤ 550 µs, ${r.deployment}`, `${f(allIn)} µs`, allIn <= 550);
  }
  out.push('');
  flush();
}

if (wanted('footprint')) {
  process.stderr.write('bench: pnpm start on the embedded database under pnpm cli load, and the ingest alone, idle...\n');
  // The idle ingest waits for V8's memory reducer meanwhile: it does nothing, so the load beside it changes no figure of its own.
  const [m, ingest] = await Promise.all([embeddedFootprint(profile.footprintEvents), ingestIdle(profile.ingestRestSeconds)]);
  out.push(
    `### Zero-setup footprint: pnpm start on the embedded database (PGlite), idle and during the README's pnpm cli load (${m.events} events, 30% duplicates, shuffled, 32 in flight; ${f(m.loadSeconds, 1)} s to send, ${f(m.drainSeconds, 1)} s more to apply)`,
    '',
    '| process | idle RSS MB | peak RSS MB (VmHWM) |',
    '|---|---|---|',
    ...m.processes.map((p) => `| ${p.name} | ${f(p.idle)} | ${f(p.peak)} |`),
    `| **together** | **${f(m.idle)}** | **${f(m.peak)}** |`,
    '',
  );
  target('pnpm start on the embedded database idles ≤ 300 MB (with its redis-server)', `${f(m.idle)} MB`, m.idle <= 300);
  target(`… and stays ≤ 500 MB under pnpm cli load (${m.events} events)`, `${f(m.peak)} MB`, m.peak <= 500);
  out.push(
    `### The ingest alone, idle (RSS, MB): 2 s after /healthz answers, and ${ingest.restSeconds} s after start, once V8's memory reducer ran`,
    '',
    '| process | 2 s after start | at rest |',
    '|---|---|---|',
    `| ingest | ${f(ingest.afterStart)} | ${f(ingest.atRest)} |`,
    '',
  );
  target(`ingest idle RSS at rest (${ingest.restSeconds} s after start) ≤ 80 MB`, `${f(ingest.atRest)} MB`, ingest.atRest <= 80);
  if (m.failed > 0) {
    process.stderr.write(`bench: ${m.failed} deliveries of the cli load were not accepted\n`);
    process.exitCode = 1;
  }
  flush();
}

if (wanted('redis')) {
  process.stderr.write('bench: Redis CPU per job by BullMQ pattern...\n');
  const rows = await benchRedisJobs(profile.redisJobs);
  out.push(
    `### Redis's share: redis-server CPU per job by BullMQ pattern (${profile.redisJobs} jobs per variant, a private redis-server with AOF everysec)`,
    '',
    '| variant | add µs/job | completion µs/job | together µs/job |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.variant} | ${f(r.addMicros, 1)} | ${f(r.completeMicros, 1)} | ${f(r.addMicros + r.completeMicros, 1)} |`),
    '',
  );
  flush();
}

if (wanted('cpu')) {
  process.stderr.write('bench: CPU profiles...\n');
  const p = await profilePaths(profile.cpuSeconds, profile.cpuEvents);
  out.push(
    `### Where the CPU goes: node --cpu-prof, self time per request (ingest, ${p.intakeRequests} requests at 50 connections) and per event (one worker, ${p.processingEvents} events)`,
    '',
    '| ingest: category | µs/request | worker: category | µs/event |',
    '|---|---|---|---|',
  );
  const total = (b: typeof p.intake) => b.reduce((n, c) => n + c.micros, 0);
  for (let i = 0; i < Math.max(p.intake.length, p.processing.length); i++) {
    const a = p.intake[i];
    const b = p.processing[i];
    out.push(`| ${a?.category ?? ''} | ${a ? f(a.micros, 1) : ''} | ${b?.category ?? ''} | ${b ? f(b.micros, 1) : ''} |`);
  }
  out.push(`| **total** | **${f(total(p.intake), 1)}** | **total** | **${f(total(p.processing), 1)}** |`, '');
  flush();
}

if (wanted('storage')) {
  process.stderr.write('bench: storage...\n');
  const s = await benchStorage(profile.storageEvents);
  out.push(
    `### What PostgreSQL keeps: ${s.events} distinct events for ${s.applicants} applicants, applied in the worker's batches (bytes, tables with indexes and TOAST)`,
    '',
    '| body per event | WAL per event | events table per event | applicants table per applicant |',
    '|---|---|---|---|',
    `| ${f(s.bodyBytes)} | ${f(s.walBytes / s.events)} | ${f(s.eventsBytes / s.events)} | ${f(s.applicantsBytes / s.applicants)} |`,
    '',
  );
  flush();
}

if (targets.length > 0) {
  out.push('### Against the targets', '', '| target | result | met? |', '|---|---|---|', ...targets, '');
  flush();
}

// A complete full run is the record: it replaces the results in docs/benchmarks.md (the prose around them stays).
if (values.profile === 'full' && !only) {
  const doc = readFileSync(DOC, 'utf8');
  const [head, rest] = doc.split(BEGIN);
  const tail = rest?.split(END)[1];
  if (head === undefined || tail === undefined) throw new Error(`${DOC} lacks the ${BEGIN} … ${END} markers`);
  const stamp = `Run ${new Date().toISOString().slice(0, 10)}. `;
  writeFileSync(DOC, `${head}${BEGIN}\n\n${stamp}${written.join('\n').trim()}\n\n${END}${tail}`);
  process.stderr.write(`bench: results written to ${DOC}\n`);
}
