import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type ProfileNode = { id: number; callFrame: { functionName: string; url: string } };
type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };

/** Where a sample's self time goes, first match wins: by package (from the pnpm store path) or by V8/native frame. */
const RULES: readonly [category: string, test: (pkg: string, fn: string, url: string) => boolean][] = [
  ['idle', (_p, fn) => fn === '(idle)'],
  ['garbage collection', (_p, fn) => fn === '(garbage collector)'],
  ['HMAC and hashing (node:crypto)', (_p, _fn, url) => url.startsWith('node:internal/crypto')],
  [
    'socket writes (HTTP answers and Redis commands)',
    (_p, fn, url) => url === '' && /^(writev|write\w*String|writeBuffer|utf8Write)$/.test(fn),
  ],
  ['JSON.parse / stringify', (_p, fn, url) => url === '' && /^(parse|stringify)$/.test(fn)],
  ['parse and validate (sumsub-webhook, TypeBox)', (p, _fn, url) => p === '@sinclair+typebox' || url.includes('/packages/sumsub-webhook/')],
  ['logging (pino, redaction)', (p) => p.startsWith('pino') || p.startsWith('@pinojs') || p.startsWith('sonic-boom')],
  ['metrics (prom-client)', (p) => p.startsWith('prom-client')],
  ['BullMQ (jobs, msgpackr)', (p) => p.startsWith('bullmq') || p.startsWith('msgpackr')],
  ['Redis client (ioredis)', (p) => p.startsWith('ioredis') || p.startsWith('redis-parser') || p.startsWith('cluster-key-slot')],
  ['SQL client (Prisma, pg)', (p) => p.startsWith('@prisma') || p.startsWith('pg') || p.startsWith('prisma')],
  [
    'HTTP (fastify, node:http)',
    (p, _fn, url) => p.startsWith('fastify') || p.startsWith('@fastify') || p.startsWith('find-my-way') || /^node:_http/.test(url),
  ],
  ['start-up (module loading)', (_p, _fn, url) => url.startsWith('node:internal/modules')],
  ['the service itself (packages/ingest, worker, db)', (_p, _fn, url) => url.includes('/packages/')],
  ['node internals (streams, timers, events, buffers)', (_p, _fn, url) => url.startsWith('node:')],
];

function categoryOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  const pkg = /node_modules\/\.pnpm\/((?:@[^+/]+\+)?[^@/]+)@/.exec(url)?.[1] ?? '';
  return RULES.find(([, test]) => test(pkg, functionName, url))?.[0] ?? 'other (V8, native)';
}

export type Budget = { category: string; micros: number }[];

/** Self time by category of one V8 CPU profile, in µs per unit of work (idle left out). */
export function budgetOf(file: string, units: number): Budget {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const category = new Map(profile.nodes.map((n) => [n.id, categoryOf(n)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = category.get(id) ?? 'other (V8, native)';
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  totals.delete('idle');
  return [...totals].map(([name, micros]) => ({ category: name, micros: micros / units })).sort((a, b) => b.micros - a.micros);
}

/** The one profile a process wrote into dir (processes write CPU.<date>.<pid>…cpuprofile on exit). */
export function onlyProfile(dir: string): string {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one CPU profile in ${dir}, found ${files.length}`);
  return path.join(dir, files[0] as string);
}
