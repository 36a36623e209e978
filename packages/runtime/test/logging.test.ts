import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { flatRedaction, loggerOptions } from '../src/logging.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: pino(loggerOptions('info', 'test'), stream), text: () => lines.join('') };
}

describe('logger options', () => {
  it('censor credentials, digests, raw bodies and clientComment wherever they turn up', () => {
    const { log, text } = capture();
    log.info({ req: { headers: { authorization: 'Bearer admin-secret', 'x-payload-digest': 'abc123digest' } } }, 'request');
    log.info({ headers: { authorization: 'Basic b3BzOnNlY3JldA==' } }, 'h');
    log.info({ clientComment: 'forged passport' }, 'top');
    log.info({ review: { clientComment: 'forged passport' } }, 'nested');
    log.info({ payload: { reviewResult: { clientComment: 'forged passport' } } }, 'payload');
    log.info({ rawBody: '{"clientComment":"forged passport"}', secret: 'whsec', token: 'tok' }, 'raw');
    const out = text();
    for (const leaked of ['admin-secret', 'abc123digest', 'b3BzOnNlY3JldA==', 'forged passport', 'whsec', '"tok"'])
      expect(out).not.toContain(leaked);
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(8);
  });

  it('a flat line logged through flatRedaction still has every top-level name censored', () => {
    const { log, text } = capture();
    const lines = log.child({}, { redact: flatRedaction() });
    lines.info(
      { eventId: 'evt_1', clientComment: 'forged passport', rawBody: '{}', secret: 'whsec', secrets: 'a,b', token: 'tok' },
      'request',
    );
    const out = text();
    for (const leaked of ['forged passport', '"{}"', 'whsec', 'a,b', '"tok"']) expect(out).not.toContain(leaked);
    expect(out).toContain('"eventId":"evt_1"');
    expect(out).toContain('"name":"test"');
    expect(out.match(/\[redacted\]/g)).toHaveLength(5);
  });
});
