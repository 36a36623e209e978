import { parseArgs } from 'node:util';
import { type ApiFailure, callApi, noMore, printFailure, UsageError } from '../api.ts';
import { adminToken, defaultUrl } from '../defaults.ts';

export const endpointsHelp = `Usage: pnpm cli endpoints <add|list|remove|rotate> [arguments] [options]

Manages the endpoints that receive signed decision notifications (Standard Webhooks).

  add <url> [--description <text>] [--include-client-comment]
                        register an endpoint; prints its id and signing secret (shown once)
  list                  list endpoints (never their secrets)
  remove <id>           remove an endpoint (its pending notifications are cancelled)
  rotate <id>           new signing secret; the old one keeps signing for 24 hours

Options:
  --url <url>           server base URL (default ${defaultUrl()})
  --token <token>       admin token (default API_ADMIN_TOKEN or .data/dev-secrets.json)
  --json                print the raw JSON
`;

type Endpoint = {
  id: string;
  url: string;
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  includeClientComment: boolean;
  createdAt: string;
  secret?: string;
};

const line = (e: Endpoint) =>
  [
    e.id,
    e.enabled ? 'enabled ' : 'DISABLED',
    e.url,
    e.includeClientComment ? '(with clientComment)' : '',
    e.description ?? '',
    e.disabledReason ?? '',
  ]
    .filter(Boolean)
    .join('  ');

export async function endpoints(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      description: { type: 'string' },
      'include-client-comment': { type: 'boolean' },
      url: { type: 'string' },
      token: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const token = adminToken(values.token);
  const base = `${values.url ?? defaultUrl()}/admin/endpoints`;
  const [action, argument] = positionals;
  noMore(positionals, action === 'list' ? 1 : 2, `endpoints ${action ?? ''} takes ${action === 'list' ? 'no argument' : 'one argument'}`);
  const need = (what: string) => {
    if (!argument) throw new UsageError(`endpoints ${action ?? ''}: missing ${what}`);
    return encodeURIComponent(argument);
  };
  const call = async (): Promise<{ status: number; json: unknown }> => {
    switch (action) {
      case 'add':
        return callApi('POST', base, token, {
          url: argument ?? need('<url>'),
          ...(values.description ? { description: values.description } : {}),
          ...(values['include-client-comment'] ? { includeClientComment: true } : {}),
        });
      case 'list':
        return callApi('GET', base, token);
      case 'remove':
        return callApi('DELETE', `${base}/${need('<id>')}`, token);
      case 'rotate':
        return callApi('POST', `${base}/${need('<id>')}/rotate-secret`, token);
      default:
        throw new UsageError(`unknown action ${action ?? '(none)'}: use add, list, remove or rotate`);
    }
  };
  const { status, json } = await call();
  if (status >= 400) return printFailure(status, json as ApiFailure);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${describe(action as string, json, argument)}\n`);
  return 0;
}

function describe(action: string, json: unknown, argument: string | undefined): string {
  if (action === 'list') {
    const list = (json as { endpoints: Endpoint[] }).endpoints;
    return list.length === 0 ? 'no endpoints' : list.map(line).join('\n');
  }
  if (action === 'remove') return `removed ${argument ?? ''}`;
  if (action === 'rotate') {
    const { secret, previousSecretExpiresAt } = json as { secret: string; previousSecretExpiresAt: string };
    return `new secret for ${argument ?? ''} (shown once): ${secret}\nthe previous secret signs too until ${previousSecretExpiresAt}`;
  }
  const created = json as Endpoint;
  return `${line(created)}\nsigning secret (shown once): ${created.secret ?? ''}`;
}
