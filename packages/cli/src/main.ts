import { readFileSync } from 'node:fs';
import { Unreachable, UsageError } from './api.ts';
import { applicant, applicantHelp } from './commands/applicant.ts';
import { endpoints, endpointsHelp } from './commands/endpoints.ts';
import { erase, eraseHelp, purge, purgeHelp } from './commands/erase.ts';
import { events, eventsHelp } from './commands/events.ts';
import { jobs, jobsHelp } from './commands/jobs.ts';
import { reconcile, reconcileHelp } from './commands/reconcile.ts';
import { refresh, refreshHelp } from './commands/refresh.ts';
import { load, loadHelp } from './commands/load.ts';
import { replay, replayHelp } from './commands/replay.ts';
import { send, sendHelp } from './commands/send.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string; summary: string }> = {
  send: { run: send, help: sendHelp, summary: 'sign and post sample Sumsub webhooks' },
  load: { run: load, help: loadHelp, summary: 'send realistic traffic and summarise it' },
  applicant: { run: applicant, help: applicantHelp, summary: "print an applicant's record and timeline" },
  events: { run: events, help: eventsHelp, summary: 'list stored events (e.g. the failed ones) by applicant, status, type, time' },
  jobs: { run: jobs, help: jobsHelp, summary: "list an applicant's jobs in every queue and state" },
  replay: { run: replay, help: replayHelp, summary: 're-run events from the database (one, or by filters)' },
  endpoints: { run: endpoints, help: endpointsHelp, summary: 'add, list, remove or rotate notification endpoints' },
  refresh: { run: refresh, help: refreshHelp, summary: "fetch an applicant's document results from Sumsub now" },
  reconcile: { run: reconcile, help: reconcileHelp, summary: 'read reviews back from Sumsub and heal missed webhooks' },
  erase: { run: erase, help: eraseHelp, summary: 'erase one person (record, events, jobs); a tombstone stays' },
  purge: { run: purge, help: purgeHelp, summary: 'strip payloads and jobs older than n days now (retention)' },
};

const usage = `Usage: pnpm cli <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

  help [command]  this text, or a command's options (also: <command> --help)
  --version       the version

Run pnpm cli <command> --help for a command's options.
`;

const HELP = new Set(['help', '--help', '-h']);

function version(): string {
  const { version: v } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return `kyc-webhooks cli ${v}`;
}

/** Runs one command line; the exit code. Errors are printed once, here. */
async function main(args: string[]): Promise<number> {
  const [name, ...argv] = args;
  if (name === undefined || HELP.has(name)) {
    const topic = name === 'help' ? argv[0] : undefined;
    if (topic && !COMMANDS[topic]) return unknownCommand(topic);
    process.stdout.write(topic ? (COMMANDS[topic]?.help ?? usage) : usage);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) return unknownCommand(name);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(argv);
  } catch (error) {
    return report(name, error);
  }
}

function unknownCommand(name: string): number {
  process.stderr.write(`unknown command: ${name}\n\n${usage}`);
  return 2;
}

/** Usage mistakes exit 2 with a pointer to --help; an unreachable service or another failure exits 1. */
function report(name: string, error: unknown): number {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
    process.stderr.write(`${name}: ${(error as Error).message}\nsee: pnpm cli ${name} --help\n`);
    return 2;
  }
  process.stderr.write(`${error instanceof Unreachable || error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}

process.exit(await main(process.argv.slice(2)));
