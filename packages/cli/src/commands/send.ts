import { parseArgs } from 'node:util';
import { algorithmOf } from '@kyc/sumsub-webhook';
import { probe, UsageError } from '../api.ts';
import { defaultSecret, defaultUrl } from '../defaults.ts';
import { deliver, isSampleName, newApplicant, SAMPLE_NAMES, SAMPLES } from '@kyc/samples';

export const sendHelp = `Usage: pnpm cli send <sample>... [options]

Signs and posts sample Sumsub webhooks, one after the other, for one applicant
(a second apart, in the order given).

Samples: ${SAMPLE_NAMES.join(', ')}

Options:
  --url <url>            server base URL (default ${defaultUrl()})
  --secret <secret>      webhook secret (default SUMSUB_WEBHOOK_SECRET or .data/dev-secrets.json)
  --alg <algorithm>      HMAC_SHA1_HEX | HMAC_SHA256_HEX (default) | HMAC_SHA512_HEX
  --applicant <id>       applicantId to use (default: a new one)
  --print                print each payload sent
`;

export async function send(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      secret: { type: 'string' },
      alg: { type: 'string' },
      applicant: { type: 'string' },
      print: { type: 'boolean' },
    },
  });
  const unknown = positionals.filter((p) => !isSampleName(p));
  if (positionals.length === 0) throw new UsageError(`give one or more samples: ${SAMPLE_NAMES.join(', ')}`);
  if (unknown.length > 0) throw new UsageError(`unknown sample: ${unknown.join(', ')} (samples: ${SAMPLE_NAMES.join(', ')})`);
  const algorithm = algorithmOf(values.alg);
  const secret = values.secret ?? defaultSecret();
  if (!algorithm)
    throw new UsageError(`--alg must be one of HMAC_SHA1_HEX, HMAC_SHA256_HEX, HMAC_SHA512_HEX (got ${JSON.stringify(values.alg)})`);
  if (!secret) throw new UsageError('no secret: pass --secret or set SUMSUB_WEBHOOK_SECRET');
  const target = { url: values.url ?? defaultUrl(), secret, algorithm };
  await probe(target.url);
  let ctx = newApplicant(new Date(Date.now() - positionals.length * 1000));
  if (values.applicant) ctx = { ...ctx, applicantId: values.applicant };
  let failed = 0;
  for (const name of positionals) {
    if (!isSampleName(name)) continue;
    ctx = { ...ctx, at: new Date(ctx.at.getTime() + 1000) };
    const body = JSON.stringify(SAMPLES[name](ctx));
    if (values.print) process.stdout.write(`${body}\n`);
    const result = await deliver(target, body);
    if (result.status === 401) {
      process.stderr.write(
        `${name}: the service refused the signature (401): it does not accept this secret; pass --secret or set SUMSUB_WEBHOOK_SECRET to the one it uses\n`,
      );
      return 1;
    }
    if (result.status !== 200) failed++;
    process.stdout.write(`${name.padEnd(22)} ${result.status || 'no answer'} ${result.outcome ?? ''} ${result.eventId ?? ''}\n`);
  }
  process.stdout.write(`applicant ${ctx.applicantId}\n`);
  return failed > 0 ? 1 : 0;
}
