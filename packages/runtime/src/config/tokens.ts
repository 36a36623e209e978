import { ConfigError } from './errors.ts';

export type NamedToken = { name: string; token: string };
export type TokenSettings = { read: NamedToken[]; admin: NamedToken[] };
/** The API's tokens by role, as the api's authorization reads them. */
export type Tokens = { read: readonly NamedToken[]; admin: readonly NamedToken[] };

/** A name an audit row can show: letters, digits, . _ - */
const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/**
 * A value a Bearer header can carry unchanged (RFC 6750 b64token), and so the
 * Basic password of the dashboard too: one token works the same both ways.
 */
const VALUE = /^[A-Za-z0-9\-._~+/]{16,}=*$/;
/**
 * Actors the service writes into audit rows itself (the retention schedule,
 * Sumsub's deletion events, the workers): a token under one of these names
 * would make its holder's actions look like the service's own.
 */
export const RESERVED_ACTOR_NAMES: ReadonlySet<string> = new Set(['scheduler', 'sumsub', 'system', 'service', 'worker', 'lifecycle']);

type Variables = { list: string; single: string };
const VARIABLES: Record<keyof TokenSettings, Variables> = {
  read: { list: 'API_READ_TOKENS', single: 'API_READ_TOKEN' },
  admin: { list: 'API_ADMIN_TOKENS', single: 'API_ADMIN_TOKEN' },
};
type Sourced = NamedToken & { role: keyof TokenSettings; variable: string };

/** `name=token,name=token` plus the single token under its default name (the role's own). */
function parse(role: keyof TokenSettings, list: string | undefined, single: string | undefined): Sourced[] {
  const { list: listVariable, single: singleVariable } = VARIABLES[role];
  const tokens: Sourced[] = single === undefined ? [] : [{ name: role, token: single, role, variable: singleVariable }];
  const pairs = (list ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new ConfigError([`${listVariable}: expected name=token pairs, comma-separated`]);
    tokens.push({ name: pair.slice(0, eq), token: pair.slice(eq + 1), role, variable: listVariable });
  }
  return tokens;
}

/** What is wrong with one token on its own: its name and its value's alphabet. */
function ownProblems({ name, token, role, variable }: Sourced): string[] {
  const problems: string[] = [];
  if (!NAME.test(name)) problems.push(`${variable}: the name ${JSON.stringify(name.slice(0, 64))} is not 1-64 letters, digits, . _ -`);
  else if (RESERVED_ACTOR_NAMES.has(name.toLowerCase()))
    problems.push(`${variable}: the name ${name} is the service's own actor in audit rows; choose another`);
  else if (name.toLowerCase() === (role === 'read' ? 'admin' : 'read'))
    problems.push(`${variable}: a ${role} token cannot be named ${name} (it names the other role)`);
  if (!VALUE.test(token))
    problems.push(
      `${variable}: the token of ${NAME.test(name) ? name : 'an entry'} must be 16 or more of A-Z a-z 0-9 - . _ ~ + / (then = padding only)`,
    );
  return problems;
}

/** Problems between tokens: a name or a value used twice, in one role or across both. */
function sharedProblems(all: readonly Sourced[]): string[] {
  const problems: string[] = [];
  all.forEach((token, i) => {
    for (const earlier of all.slice(0, i)) {
      if (earlier.name.toLowerCase() === token.name.toLowerCase()) {
        const where = earlier.role === token.role ? 'twice' : `for both roles (also in ${earlier.variable})`;
        problems.push(`${token.variable}: the name ${token.name} is used ${where}`);
      }
      if (earlier.token === token.token)
        problems.push(
          `${token.variable}: the token of ${token.name} is also the token of ${earlier.name} (${earlier.variable}); every name needs its own`,
        );
    }
  });
  return problems;
}

/**
 * The API tokens by role, refused at start when unsafe: each holder must be told
 * apart in the audit log (one value, one name; names unique across roles and
 * never the service's own actors) and each token must work as a Bearer header.
 * Messages name the variable, never a token.
 */
export function tokenSettings(env: {
  API_READ_TOKENS?: string | undefined;
  API_READ_TOKEN?: string | undefined;
  API_ADMIN_TOKENS?: string | undefined;
  API_ADMIN_TOKEN?: string | undefined;
}): TokenSettings {
  const all = [...parse('read', env.API_READ_TOKENS, env.API_READ_TOKEN), ...parse('admin', env.API_ADMIN_TOKENS, env.API_ADMIN_TOKEN)];
  const problems = [...all.flatMap(ownProblems), ...sharedProblems(all)];
  if (problems.length > 0) throw new ConfigError(problems);
  const of = (role: keyof TokenSettings) => all.filter((t) => t.role === role).map(({ name, token }) => ({ name, token }));
  return { read: of('read'), admin: of('admin') };
}
