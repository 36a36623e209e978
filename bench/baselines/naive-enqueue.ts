import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import { Redis } from 'ioredis';

// The intake baseline that does only the one durable write: Fastify (logger off)
// and one BullMQ `add` per request with a unique jobId, answered after Redis
// acknowledged it. No signature, no validation, no duplicate check, no metrics.
// The ingest is reported as a ratio to it: what the rest costs beyond the write.
const connection = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const queue = new Queue('naive', { connection, prefix: process.env.QUEUE_PREFIX ?? '{bench-naive}' });
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));
app.post('/webhooks/sumsub', async (request) => {
  const jobId = randomUUID();
  await queue.add('event', { rawBody: request.body }, { jobId, removeOnComplete: true });
  return { status: 'accepted', eventId: jobId };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on(
  'SIGTERM',
  () =>
    void app.close().then(async () => {
      await queue.close();
      connection.disconnect();
      process.exit(0);
    }),
);
