import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// Where a notification endpoint may not be: every range of IANA's special-purpose
// address registries (iana.org/assignments/iana-ipv4-special-registry and
// iana-ipv6-special-registry, RFC 6890 and its updates), plus the ranges outside
// them that are not global unicast either (multicast, deprecated site-local and
// IPv4-compatible forms, and IPv6 space IANA has not allocated for unicast).
// Addresses that carry an IPv4 address (IPv4-mapped, SIIT, NAT64, 6to4) are
// judged by that address: they reach it.

export type SpecialRange = { range: string; name: string; source: string };

export const IPV4_SPECIAL_PURPOSE: readonly SpecialRange[] = [
  { range: '0.0.0.0/8', name: '"this network"', source: 'RFC 791' },
  { range: '0.0.0.0/32', name: '"this host on this network"', source: 'RFC 1122' },
  { range: '10.0.0.0/8', name: 'private use', source: 'RFC 1918' },
  { range: '100.64.0.0/10', name: 'shared address space (carrier-grade NAT)', source: 'RFC 6598' },
  { range: '127.0.0.0/8', name: 'loopback', source: 'RFC 1122' },
  { range: '169.254.0.0/16', name: 'link local (cloud metadata services)', source: 'RFC 3927' },
  { range: '172.16.0.0/12', name: 'private use', source: 'RFC 1918' },
  { range: '192.0.0.0/24', name: 'IETF protocol assignments', source: 'RFC 6890' },
  { range: '192.0.0.0/29', name: 'IPv4 service continuity prefix', source: 'RFC 7335' },
  { range: '192.0.0.8/32', name: 'IPv4 dummy address', source: 'RFC 7600' },
  { range: '192.0.0.9/32', name: 'port control protocol anycast', source: 'RFC 7723' },
  { range: '192.0.0.10/32', name: 'traversal using relays around NAT anycast', source: 'RFC 8155' },
  { range: '192.0.0.170/32', name: 'NAT64/DNS64 discovery', source: 'RFC 8880' },
  { range: '192.0.0.171/32', name: 'NAT64/DNS64 discovery', source: 'RFC 8880' },
  { range: '192.0.2.0/24', name: 'documentation (TEST-NET-1)', source: 'RFC 5737' },
  { range: '192.31.196.0/24', name: 'AS112-v4', source: 'RFC 7535' },
  { range: '192.52.193.0/24', name: 'automatic multicast tunneling', source: 'RFC 7450' },
  { range: '192.88.99.0/24', name: 'deprecated 6to4 relay anycast', source: 'RFC 7526' },
  { range: '192.168.0.0/16', name: 'private use', source: 'RFC 1918' },
  { range: '192.175.48.0/24', name: 'direct delegation AS112 service', source: 'RFC 7534' },
  { range: '198.18.0.0/15', name: 'benchmarking', source: 'RFC 2544' },
  { range: '198.51.100.0/24', name: 'documentation (TEST-NET-2)', source: 'RFC 5737' },
  { range: '203.0.113.0/24', name: 'documentation (TEST-NET-3)', source: 'RFC 5737' },
  { range: '240.0.0.0/4', name: 'reserved', source: 'RFC 1112' },
  { range: '255.255.255.255/32', name: 'limited broadcast', source: 'RFC 919' },
];

export const IPV6_SPECIAL_PURPOSE: readonly SpecialRange[] = [
  { range: '::1/128', name: 'loopback', source: 'RFC 4291' },
  { range: '::/128', name: 'unspecified', source: 'RFC 4291' },
  { range: '::ffff:0:0/96', name: 'IPv4-mapped', source: 'RFC 4291' },
  { range: '64:ff9b::/96', name: 'IPv4-IPv6 translation (NAT64)', source: 'RFC 6052' },
  { range: '64:ff9b:1::/48', name: 'local-use IPv4-IPv6 translation', source: 'RFC 8215' },
  { range: '100::/64', name: 'discard-only', source: 'RFC 6666' },
  { range: '100:0:0:1::/64', name: 'dummy IPv6 prefix', source: 'RFC 9780' },
  { range: '2001::/23', name: 'IETF protocol assignments', source: 'RFC 2928' },
  { range: '2001::/32', name: 'Teredo', source: 'RFC 4380' },
  { range: '2001:1::1/128', name: 'port control protocol anycast', source: 'RFC 7723' },
  { range: '2001:1::2/128', name: 'traversal using relays around NAT anycast', source: 'RFC 8155' },
  { range: '2001:1::3/128', name: 'DNS-SD service registration protocol anycast', source: 'RFC 9665' },
  { range: '2001:2::/48', name: 'benchmarking', source: 'RFC 5180' },
  { range: '2001:3::/32', name: 'automatic multicast tunneling', source: 'RFC 7450' },
  { range: '2001:4:112::/48', name: 'AS112-v6', source: 'RFC 7535' },
  { range: '2001:10::/28', name: 'deprecated ORCHID', source: 'RFC 4843' },
  { range: '2001:20::/28', name: 'ORCHIDv2', source: 'RFC 7343' },
  { range: '2001:30::/28', name: 'drone remote ID protocol entity tags', source: 'RFC 9374' },
  { range: '2001:db8::/32', name: 'documentation', source: 'RFC 3849' },
  { range: '2002::/16', name: '6to4', source: 'RFC 3056' },
  { range: '2620:4f:8000::/48', name: 'direct delegation AS112 service', source: 'RFC 7534' },
  { range: '3fff::/20', name: 'documentation', source: 'RFC 9637' },
  { range: '5f00::/16', name: 'segment routing (SRv6) SIDs', source: 'RFC 9602' },
  { range: 'fc00::/7', name: 'unique local', source: 'RFC 4193' },
  { range: 'fe80::/10', name: 'link-local unicast', source: 'RFC 4291' },
];

/** Not in the special-purpose registries, and not global unicast either. */
export const IPV4_NOT_UNICAST: readonly SpecialRange[] = [{ range: '224.0.0.0/4', name: 'multicast', source: 'RFC 5771' }];
export const IPV6_NOT_UNICAST: readonly SpecialRange[] = [
  { range: '::/96', name: 'deprecated IPv4-compatible', source: 'RFC 4291' },
  { range: 'fec0::/10', name: 'deprecated site-local', source: 'RFC 3879' },
  { range: 'ff00::/8', name: 'multicast', source: 'RFC 4291' },
];

/** IANA's global unicast space (iana-ipv6-address-space): every other IPv6 block is reserved. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

type Parsed = { kind: 'ipv4'; cidr: [ipaddr.IPv4, number] } | { kind: 'ipv6'; cidr: [ipaddr.IPv6, number] };
type Table = { entry: SpecialRange; parsed: Parsed }[];

/** The most specific range first, so a refusal names it (Teredo rather than all of 2001::/23). */
const table = (entries: readonly SpecialRange[]): Table =>
  entries
    .map((entry) => {
      const [address, bits] = ipaddr.parseCIDR(entry.range);
      const parsed: Parsed =
        address.kind() === 'ipv4'
          ? { kind: 'ipv4', cidr: [address as ipaddr.IPv4, bits] }
          : { kind: 'ipv6', cidr: [address as ipaddr.IPv6, bits] };
      return { entry, parsed };
    })
    .sort((a, b) => b.parsed.cidr[1] - a.parsed.cidr[1]);

const V4 = table([...IPV4_SPECIAL_PURPOSE, ...IPV4_NOT_UNICAST]);
const V6 = table([...IPV6_SPECIAL_PURPOSE, ...IPV6_NOT_UNICAST]);
// The forms that carry an IPv4 address, with where it sits (byte offset).
const EMBEDDING: readonly { cidr: [ipaddr.IPv6, number]; offset: number; name: string }[] = [
  { cidr: ipaddr.IPv6.parseCIDR('::ffff:0:0/96'), offset: 12, name: 'IPv4-mapped' },
  { cidr: ipaddr.IPv6.parseCIDR('::ffff:0:0:0/96'), offset: 12, name: 'IPv4-translated (SIIT)' },
  { cidr: ipaddr.IPv6.parseCIDR('64:ff9b::/96'), offset: 12, name: 'NAT64' },
  { cidr: ipaddr.IPv6.parseCIDR('2002::/16'), offset: 2, name: '6to4' },
];

function v4Refusal(address: ipaddr.IPv4): string | undefined {
  for (const { entry, parsed } of V4) if (parsed.kind === 'ipv4' && address.match(parsed.cidr)) return `${entry.range} ${entry.name}`;
  return undefined;
}

function v6Refusal(address: ipaddr.IPv6): string | undefined {
  for (const { cidr, offset, name } of EMBEDDING) {
    if (!address.match(cidr)) continue;
    const v4 = new ipaddr.IPv4(address.toByteArray().slice(offset, offset + 4));
    const refusal = v4Refusal(v4);
    return refusal === undefined ? undefined : `${name} form of ${v4.toString()}, ${refusal}`;
  }
  for (const { entry, parsed } of V6) if (parsed.kind === 'ipv6' && address.match(parsed.cidr)) return `${entry.range} ${entry.name}`;
  if (!address.match(GLOBAL_UNICAST_V6)) return 'outside 2000::/3, the global unicast space';
  return undefined;
}

/**
 * Why an IP address is not one a public webhook receiver can have (the range and
 * its name), or undefined for a global unicast address. Text that is not an
 * address is refused too: better to refuse than to guess.
 */
export function addressRefusal(text: string): string | undefined {
  if (isIP(text) === 0) return 'not an IP address';
  const address = ipaddr.parse(text);
  return address.kind() === 'ipv4' ? v4Refusal(address as ipaddr.IPv4) : v6Refusal(address as ipaddr.IPv6);
}
