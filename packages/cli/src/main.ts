import { applicant, applicantHelp } from './commands/applicant.ts';
import { endpoints, endpointsHelp } from './commands/endpoints.ts';
import { erase, eraseHelp, purge, purgeHelp } from './commands/erase.ts';
import { reconcile, reconcileHelp } from './commands/reconcile.ts';
import { refresh, refreshHelp } from './commands/refresh.ts';
import { load, loadHelp } from './commands/load.ts';
import { replay, replayHelp } from './commands/replay.ts';
import { send, sendHelp } from './commands/send.ts';

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; help: string; summary: string }> = {
  send: { run: send, help: sendHelp, summary: 'sign and post sample Sumsub webhooks' },
  load: { run: load, help: loadHelp, summary: 'send realistic traffic and summarise it' },
  applicant: { run: applicant, help: applicantHelp, summary: "print an applicant's record and timeline" },
  replay: { run: replay, help: replayHelp, summary: 're-run events from the database (one, or by filters)' },
  endpoints: { run: endpoints, help: endpointsHelp, summary: 'add, list, remove or rotate notification endpoints' },
  refresh: { run: refresh, help: refreshHelp, summary: "fetch an applicant's document results from Sumsub now" },
  reconcile: { run: reconcile, help: reconcileHelp, summary: 'read reviews back from Sumsub and heal missed webhooks' },
  erase: { run: erase, help: eraseHelp, summary: 'erase one person (record, events, jobs); a tombstone stays' },
  purge: { run: purge, help: purgeHelp, summary: 'strip payloads and jobs older than n days now (retention)' },
};

const help = `Usage: pnpm cli <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
  .join('\n')}

Run pnpm cli <command> --help for a command's options.
`;

const [name, ...argv] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command || name === '--help') {
  process.stdout.write(help);
  process.exit(name && name !== '--help' ? 2 : 0);
}
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(command.help);
  process.exit(0);
}
try {
  process.exit(await command.run(argv));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
