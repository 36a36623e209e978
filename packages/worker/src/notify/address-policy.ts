import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { addressRefusal } from './special-purpose.ts';

// Where notifications may go: global unicast addresses only (special-purpose.ts
// has the tables). An endpoint URL is admin input, and the worker
// POSTs to it from inside the network: without this, an admin token (or a
// hostile DNS answer) could aim the worker at Redis, PostgreSQL, the metrics
// port or a cloud metadata service. Checked when an endpoint is created and again
// at every connection (DNS can change between the two), unless
// NOTIFY_ALLOW_PRIVATE=1 (on-premise receivers, tests).

/** Whether an IP address is anything but global unicast: loopback, private, link-local, documentation, any IANA special-purpose range, or a form that carries such an IPv4 address. */
export function isPrivateAddress(address: string): boolean {
  return addressRefusal(address) !== undefined;
}

export class EndpointRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointRefused';
  }
}

/** Brackets off an IPv6 literal host ([::1] → ::1). */
const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');

function resolveAll(hostname: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });
}

/**
 * Checks an endpoint URL before it is stored: http(s), no credentials in it, and
 * (unless private addresses are allowed) every address its host resolves to is public.
 * Throws EndpointRefused with a reason fit for the API's answer.
 */
export async function checkEndpointUrl(text: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EndpointRefused('url is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new EndpointRefused('url must use http or https');
  if (url.username || url.password) throw new EndpointRefused('url must not carry credentials; receivers verify the signature instead');
  if (allowPrivate) return url;
  const host = bare(url.hostname);
  const addresses = isIP(host)
    ? [host]
    : await resolveAll(host).then(
        (list) => list.map((a) => a.address),
        () => null,
      );
  if (addresses === null || addresses.length === 0) throw new EndpointRefused(`url host ${host} does not resolve`);
  for (const address of addresses) {
    const refusal = addressRefusal(address);
    if (refusal === undefined) continue;
    throw new EndpointRefused(
      `url host ${host} resolves to ${address}, not a global unicast address: loopback, private or link-local, or another special-purpose range (${refusal}); set NOTIFY_ALLOW_PRIVATE=1 to allow`,
    );
  }
  return url;
}

/** Refuses an IP-literal host at connect time (net.connect does not look those up). */
export function refuseLiteral(hostname: string, allowPrivate: boolean): void {
  const host = bare(hostname);
  if (!allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) throw new EndpointRefused(`${host} is not a public address`);
}

/**
 * A DNS lookup for http(s).request that fails the connection when any answer is
 * a private address, so the check holds at the moment of connecting.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address))) {
        return callback(new EndpointRefused(`${hostname} resolves to a non-public address`), '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new EndpointRefused(`${hostname} does not resolve`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}
