import Fastify from 'fastify';

// The baseline for intake: a bare Fastify JSON POST on the same route, the same
// body, no signature, no validation, no Redis. Intake is reported as a ratio to it.
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/webhooks/sumsub', async (request) => ({
  status: 'accepted',
  eventId: typeof request.body === 'object' ? 'evt_baseline' : 'none',
}));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
