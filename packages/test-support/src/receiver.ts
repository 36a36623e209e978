import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One notification as the receiver got it: verified with the `standardwebhooks` library, or not. */
export type ReceivedMessage = {
  id: string;
  timestamp: number;
  verified: boolean;
  /** The verified body (type, timestamp, data); undefined when verification failed. */
  body?: { type: string; timestamp: string; data: Record<string, unknown> & { applicantId: string; version: number; decision: string } };
  /** Which of the receiver's secrets verified it. */
  secretIndex: number;
  answered: number;
  /** The W3C traceparent header the sender sent (tracing on), if any. */
  traceparent?: string;
};

/** How the receiver answers: a status, or `hang` (never answers, until the sender's timeout). */
export type ReceiverMode = number | 'hang';

/**
 * A client's notification endpoint, as the README tells clients to write one:
 * every request is verified with the `standardwebhooks` npm library against the
 * secrets it holds. Its answers can be scripted (down, 410, slow), and it can go
 * offline (connections refused) and come back on the same port.
 */
export async function startReceiver(options: { secrets?: string[]; port?: number } = {}) {
  let secrets = options.secrets ?? [];
  let mode: ReceiverMode | ((message: ReceivedMessage) => ReceiverMode) = 204;
  const messages: ReceivedMessage[] = [];
  const hanging = new Set<IncomingMessage>();

  const verify = (body: string, headers: Record<string, string>) => {
    for (const [index, secret] of secrets.entries()) {
      try {
        return { body: new Webhook(secret).verify(body, headers) as ReceivedMessage['body'], secretIndex: index };
      } catch {
        // the next secret
      }
    }
    return { body: undefined, secretIndex: -1 };
  };

  const handler = (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(request.headers['webhook-id'] ?? ''),
        'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
        'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
      };
      const checked = verify(raw, headers);
      const message: ReceivedMessage = {
        id: headers['webhook-id'],
        timestamp: Number(headers['webhook-timestamp']),
        verified: checked.body !== undefined,
        ...(checked.body ? { body: checked.body } : {}),
        secretIndex: checked.secretIndex,
        answered: 0,
        ...(typeof request.headers.traceparent === 'string' ? { traceparent: request.headers.traceparent } : {}),
      };
      const answer = typeof mode === 'function' ? mode(message) : mode;
      if (answer === 'hang') {
        hanging.add(request);
        return;
      }
      message.answered = message.verified ? answer : 401;
      messages.push(message);
      response.writeHead(message.answered).end();
    });
  };

  let server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/kyc-notifications`,
    port,
    /** Every answered request, in arrival order. */
    messages,
    /** Verified messages the receiver acknowledged with a 2xx. */
    accepted: () => messages.filter((m) => m.verified && m.answered >= 200 && m.answered < 300),
    setSecrets(next: string[]) {
      secrets = next;
    },
    /** A status for every request, `hang`, or a function deciding per message. */
    respond(next: typeof mode) {
      mode = next;
    },
    /** Stops listening: connections are refused until online(). */
    async offline() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    async online() {
      server = createServer(handler);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    async stop() {
      for (const request of hanging) request.socket.destroy();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Per applicant, the versions a receiver accepted, in arrival order. */
export function versionsByApplicant(messages: readonly ReceivedMessage[]): Map<string, number[]> {
  const byApplicant = new Map<string, number[]>();
  for (const message of messages) {
    if (!message.body) continue;
    const list = byApplicant.get(message.body.data.applicantId) ?? [];
    list.push(message.body.data.version);
    byApplicant.set(message.body.data.applicantId, list);
  }
  return byApplicant;
}
