import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, EndpointRefused, isPrivateAddress } from '../src/index.ts';

describe('where notifications may go', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    'not-an-address',
  ])('%s is not public', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
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
    await expect(checkEndpointUrl('http://127.0.0.1:8080/hook', true)).resolves.toBeInstanceOf(URL);
    await expect(checkEndpointUrl('ftp://127.0.0.1/hook', true)).rejects.toThrow(/http or https/);
  });
});
