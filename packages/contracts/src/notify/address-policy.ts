import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

// Where notifications may go. An endpoint URL is admin input, and the worker
// POSTs to it from inside the network: without this, an admin token (or a
// hostile DNS answer) could aim the worker at Redis, PostgreSQL, the metrics
// port or a cloud metadata service. Checked when an endpoint is created and again
// at every connection (DNS can change between the two), unless
// NOTIFY_ALLOW_PRIVATE=1 (on-premise receivers, tests).

/** IANA special-purpose ranges a public webhook receiver never lives in (RFC 6890 and its updates). */
const RANGES: readonly [string, number, 'ipv4' | 'ipv6'][] = [
  ['0.0.0.0', 8, 'ipv4'], // "this network"
  ['10.0.0.0', 8, 'ipv4'], // private (RFC 1918)
  ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT (RFC 6598)
  ['127.0.0.0', 8, 'ipv4'], // loopback
  ['169.254.0.0', 16, 'ipv4'], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12, 'ipv4'], // private
  ['192.0.0.0', 24, 'ipv4'], // IETF protocol assignments
  ['192.168.0.0', 16, 'ipv4'], // private
  ['198.18.0.0', 15, 'ipv4'], // benchmarking
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, broadcast
  ['::', 128, 'ipv6'], // unspecified
  ['::1', 128, 'ipv6'], // loopback
  ['64:ff9b::', 96, 'ipv6'], // NAT64 (reaches IPv4 space)
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['ff00::', 8, 'ipv6'], // multicast
];

const blocked = new BlockList();
for (const [address, prefix, family] of RANGES) blocked.addSubnet(address, prefix, family);

/** Whether an IP address is loopback, private, link-local or otherwise not public (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse rather than guess
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
  if (addresses.some(isPrivateAddress)) {
    throw new EndpointRefused(
      `url host ${host} resolves to a loopback, private or link-local address (set NOTIFY_ALLOW_PRIVATE=1 to allow)`,
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
