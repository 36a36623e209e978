import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import {
  addressRefusal,
  IPV4_NOT_UNICAST,
  IPV4_SPECIAL_PURPOSE,
  IPV6_NOT_UNICAST,
  IPV6_SPECIAL_PURPOSE,
  type SpecialRange,
} from '../src/notify/special-purpose.ts';
import { checkEndpointUrl, EndpointRefused, guardedLookup, isPrivateAddress, refuseLiteral } from '../src/notify/address-policy.ts';

/** The first, a middle and the last address of a range. */
function edges(range: string): string[] {
  const [network, bits] = ipaddr.parseCIDR(range);
  const bytes = network.toByteArray();
  const at = (fill: (bit: number) => number) =>
    ipaddr
      .fromByteArray(
        bytes.map(
          (byte, i) =>
            byte | Array.from({ length: 8 }, (_, b) => (i * 8 + b >= bits ? fill(i * 8 + b) << (7 - b) : 0)).reduce((x, y) => x | y, 0),
        ),
      )
      .toString();
  return [...new Set([network.toString(), at((bit) => (bit % 3 === 0 ? 1 : 0)), at(() => 1)])];
}

/** Every IPv6 form that carries an IPv4 address: connecting to one reaches the IPv4 address. */
function carriers(v4: string): string[] {
  const [a, b, c, d] = ipaddr.IPv4.parse(v4).octets as [number, number, number, number];
  const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
  return [
    `::ffff:${v4}`, // IPv4-mapped
    `::ffff:0:${v4}`, // IPv4-translated (SIIT)
    `64:ff9b::${v4}`, // NAT64
    `2002:${hex(a, b)}:${hex(c, d)}::1`, // 6to4
  ];
}

// Ranges whose addresses are judged by the IPv4 address they carry.
const CARRYING = new Set(['::ffff:0:0/96', '64:ff9b::/96', '2002::/16']);
const rows = (table: readonly SpecialRange[]) => table.map((r) => [r.range, r.name] as const);

describe('IANA special-purpose IPv4 ranges, and multicast', () => {
  it.each(rows([...IPV4_SPECIAL_PURPOSE, ...IPV4_NOT_UNICAST]))('%s (%s): every address refused, in every IPv6 form too', (range) => {
    for (const address of edges(range)) {
      expect(addressRefusal(address), address).toBeDefined();
      for (const form of [...carriers(address), `::${address}`]) expect(addressRefusal(form), form).toBeDefined();
    }
  });
});

describe('IANA special-purpose IPv6 ranges, and the rest outside global unicast', () => {
  it.each(rows([...IPV6_SPECIAL_PURPOSE, ...IPV6_NOT_UNICAST].filter((r) => !CARRYING.has(r.range))))(
    '%s (%s): every address refused',
    (range) => {
      for (const address of edges(range)) expect(addressRefusal(address), address).toBeDefined();
    },
  );

  it.each(['4000::1', '6000::1', 'e000::1', '1::1', '200::1'])('%s (reserved by the IETF, not global unicast) is refused', (address) => {
    expect(addressRefusal(address)).toBeDefined();
  });
});

describe('global unicast addresses', () => {
  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '192.0.1.1', '198.20.0.1', '223.255.255.254'])(
    '%s is accepted, and so are its mapped, NAT64 and 6to4 forms',
    (address) => {
      expect(addressRefusal(address)).toBeUndefined();
      for (const form of carriers(address)) expect(addressRefusal(form), form).toBeUndefined();
    },
  );

  it.each(['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:4860:4860::8888', '3ffe::1'])('%s is accepted', (address) => {
    expect(addressRefusal(address)).toBeUndefined();
  });

  it('refuses text that is not an address', () => {
    expect(isPrivateAddress('not-an-address')).toBe(true);
  });
});

// The probes of the security review: each was accepted with private endpoints refused.
const PROBES = [
  'http://[::127.0.0.1]/',
  'http://[::ffff:0:127.0.0.1]/',
  'http://[2002:7f00:1::]/',
  'http://192.0.2.1/',
  'http://198.51.100.1/',
  'http://203.0.113.1/',
  'http://[2001:db8::1]/',
  'http://[fec0::1]/',
  'http://[100::1]/',
  'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', // Teredo
  'http://[64:ff9b::a00:1]/', // NAT64 of 10.0.0.1
  'http://[::ffff:169.254.169.254]/',
];

describe('endpoint URLs', () => {
  it.each(PROBES)('refuses %s at registration and at connection', async (url) => {
    await expect(checkEndpointUrl(url, false)).rejects.toThrow(EndpointRefused);
    await expect(checkEndpointUrl(url, false)).rejects.toThrow(/not a global unicast address/);
    expect(() => refuseLiteral(new URL(url).hostname, false)).toThrow(EndpointRefused);
    // NOTIFY_ALLOW_PRIVATE=1 keeps its meaning: private networks and tests.
    await expect(checkEndpointUrl(url, true)).resolves.toBeInstanceOf(URL);
    expect(() => refuseLiteral(new URL(url).hostname, true)).not.toThrow();
  });

  it.each([
    ['ftp://example.com/hook', /http or https/],
    ['not a url', /valid absolute URL/],
    ['https://user:pass@93.184.215.14/hook', /credentials/],
    ['http://127.0.0.1:8080/hook', /loopback, private or link-local/],
    ['http://[::1]/hook', /loopback, private or link-local/],
    ['http://169.254.169.254/latest/meta-data', /loopback, private or link-local/],
    ['http://localhost:3000/hook', /loopback, private or link-local/],
    ['http://0x7f000001/hook', /loopback, private or link-local/],
  ])('refuses %s', async (url, reason) => {
    await expect(checkEndpointUrl(url, false)).rejects.toThrow(EndpointRefused);
    await expect(checkEndpointUrl(url, false)).rejects.toThrow(reason);
  });

  it('accepts a public address, and private ones only when allowed', async () => {
    await expect(checkEndpointUrl('https://93.184.215.14/hook', false)).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('https://[2606:4700:4700::1111]/hook', false)).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('http://127.0.0.1:8080/hook', true)).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('ftp://127.0.0.1/hook', true)).rejects.toThrow(/http or https/);
  });

  it('fails a connection whose DNS answer is not global unicast', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) => lookup('localhost', {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(EndpointRefused);
  });
});
