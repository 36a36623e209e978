import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { Row } from './check.ts';
import { PROFILES, type Profile } from './load.ts';
import { clusterFailover } from './scenarios/cluster.ts';
import { baseline, databaseOutage, killWorkers, redisOutage, redisRestart } from './scenarios/faults.ts';
import { fuzz } from './scenarios/fuzz.ts';
import { notificationsUnderFaults } from './scenarios/notifications.ts';
import { poison } from './scenarios/poison.ts';

// pnpm reliability [--profile short|full] [--only name,...]
// Drives real processes while injecting faults and checks every record against
// the reference model. Exits 1 when anything is lost, applied twice or wrong.
const SCENARIOS: Record<string, (p: Profile) => Promise<Row>> = {
  converge: baseline,
  kill: killWorkers,
  postgres: databaseOutage,
  redis: redisOutage,
  'redis-restart': redisRestart,
  poison,
  fuzz,
  'cluster-failover': clusterFailover,
  notifications: notificationsUnderFaults,
};

const { values } = parseArgs({ options: { profile: { type: 'string', default: 'short' }, only: { type: 'string' } } });
const profile = PROFILES[values.profile as Profile['name']];
if (!profile) throw new Error(`--profile must be short or full`);
const names = values.only ? values.only.split(',') : Object.keys(SCENARIOS);

function table(rows: Row[]): string {
  const head = [
    'scenario',
    'deliveries',
    'acknowledged',
    'applied',
    'lost',
    'applied twice',
    'wrong records',
    'p99 ack (ms)',
    'result',
    'notes',
  ];
  const lines = rows.map((r) =>
    [
      r.scenario,
      r.deliveries,
      r.acknowledged,
      r.applied,
      r.lost,
      r.appliedTwice,
      r.wrongRecords,
      r.p99AckMs.toFixed(1),
      r.pass ? 'pass' : 'FAIL',
      r.notes,
    ].map(String),
  );
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)].join('\n');
}

const rows: Row[] = [];
const started = Date.now();
for (const name of names) {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.stderr.write(`reliability: ${name} (${profile.name})...\n`);
  const row = await scenario(profile).catch((error: unknown): Row => ({
    scenario: name,
    deliveries: 0,
    acknowledged: 0,
    applied: 0,
    lost: 0,
    appliedTwice: 0,
    wrongRecords: 0,
    p99AckMs: 0,
    notes: `error: ${(error as Error).message}`,
    pass: false,
  }));
  rows.push(row);
  process.stderr.write(`reliability: ${name}: ${row.pass ? 'pass' : 'FAIL'}\n`);
}
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(
  `\nReliability suite, ${profile.name} profile (${minutes} min; ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version})\n\n${table(rows)}\n\n`,
);
const failed = rows.filter((r) => !r.pass).length;
process.stdout.write(`${rows.length - failed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
