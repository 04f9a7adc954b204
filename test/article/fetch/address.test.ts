import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { addressRule, isPublicAddress, parseAllowList } from '../../../src/article/fetch/index.js';

describe('isPublicAddress / addressRule', () => {
  const refused: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'cloud_metadata'],
    ['169.254.170.2', 'cloud_metadata'],
    ['169.254.1.1', 'link_local'],
    ['100.64.0.1', 'carrier_grade_nat'],
    ['100.127.255.255', 'carrier_grade_nat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.192', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'zone_id'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fd00:ec2::254', 'cloud_metadata'],
    ['fec0::1', 'site_local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4_mapped'],
    ['::ffff:8.8.8.8', 'ipv4_mapped'],
    ['::ffff:7f00:1', 'ipv4_mapped'],
    ['::127.0.0.1', 'ipv4_compatible'],
    ['::7f00:1', 'ipv4_compatible'],
    ['64:ff9b::a00:1', 'nat64'],
    ['64:ff9b::8.8.8.8', 'nat64'],
    ['64:ff9b:1::1', 'nat64'],
    ['2002:7f00:1::', '6to4'],
    ['2002:a00:1::1', '6to4'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    ['2001:db8::1', 'documentation'],
    ['100::1', 'reserved'],
    ['1::1', 'not_global_unicast'],
    ['4000::1', 'not_global_unicast'],
    ['0177.0.0.1', 'not_an_ip'],
    ['127.1', 'not_an_ip'],
    ['2130706433', 'not_an_ip'],
    ['0x7f.1', 'not_an_ip'],
    ['localhost', 'not_an_ip'],
    ['', 'not_an_ip'],
    [' 8.8.8.8', 'not_an_ip'],
  ];
  for (const [address, rule] of refused) {
    test(`GIVEN ${JSON.stringify(address)} THEN refused as ${rule}`, () => {
      assert.equal(addressRule(address), rule);
      assert.equal(isPublicAddress(address), false);
    });
  }

  test('GIVEN public unicast addresses THEN allowed', () => {
    for (const address of [
      '8.8.8.8',
      '93.184.216.34',
      '1.1.1.1',
      '100.63.255.255',
      '100.128.0.1',
      '172.32.0.1',
      '2606:4700::1111',
      '2a00:1450:4001:81b::200e',
    ]) {
      assert.equal(addressRule(address), null, address);
      assert.equal(isPublicAddress(address), true, address);
    }
  });

  test('GIVEN any address in 10/8, 127/8, 169.254/16, 192.168/16, 100.64/10 THEN never public (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const inRange = fc.oneof(
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `10.${b}.${c}.${d}`),
      fc.tuple(octet, octet, octet).map(([b, c, d]) => `127.${b}.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `169.254.${c}.${d}`),
      fc.tuple(octet, octet).map(([c, d]) => `192.168.${c}.${d}`),
      fc.tuple(fc.integer({ min: 64, max: 127 }), octet, octet).map(([b, c, d]) => `100.${b}.${c}.${d}`),
      fc.tuple(fc.integer({ min: 16, max: 31 }), octet, octet).map(([b, c, d]) => `172.${b}.${c}.${d}`),
    );
    fc.assert(fc.property(inRange, (address) => !isPublicAddress(address)));
  });

  test('GIVEN any IPv4 wrapped as IPv4-mapped, IPv4-compatible or NAT64 IPv6 THEN never public (property)', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const wrapped = fc
      .tuple(octet, octet, octet, octet, fc.constantFrom('::ffff:', '::', '64:ff9b::'))
      .map(([a, b, c, d, prefix]) => `${prefix}${a}.${b}.${c}.${d}`);
    fc.assert(fc.property(wrapped, (address) => !isPublicAddress(address)));
  });

  test('GIVEN any IPv6 outside 2000::/3 THEN never public (property)', () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    const outside = fc
      .tuple(word, fc.array(word, { minLength: 7, maxLength: 7 }))
      .filter(([first]) => first < 0x2000 || first >= 0x4000)
      .map(([first, rest]) => [first, ...rest].map((w) => w.toString(16)).join(':'));
    fc.assert(fc.property(outside, (address) => !isPublicAddress(address)));
  });
});

describe('parseAllowList', () => {
  test('GIVEN CIDRs, literals, names and wildcards THEN each matches only what it names', () => {
    const allow = parseAllowList([
      '127.0.0.1/32',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.5',
      'Intranet.Example.',
      '*.corp.example',
    ]);
    assert.equal(allow.allowsAddress('127.0.0.1'), true);
    assert.equal(allow.allowsAddress('127.0.0.2'), false);
    assert.equal(allow.allowsAddress('10.200.0.1'), true);
    assert.equal(allow.allowsAddress('fd12::1'), true);
    assert.equal(allow.allowsAddress('fe80::1'), false);
    assert.equal(allow.allowsAddress('192.168.1.5'), true);
    assert.equal(allow.allowsAddress('::ffff:127.0.0.1'), true);
    assert.equal(allow.allowsAddress('not-an-ip'), false);
    assert.equal(allow.allowsName('intranet.example'), true);
    assert.equal(allow.allowsName('INTRANET.example.'), true);
    assert.equal(allow.allowsName('evil-intranet.example'), false);
    assert.equal(allow.allowsName('wiki.corp.example'), true);
    assert.equal(allow.allowsName('corp.example'), false);
    assert.equal(allow.allowsName('corp.example.evil.com'), false);
    assert.equal(allow.empty, false);
  });

  test('GIVEN an empty list THEN nothing is allowed', () => {
    const allow = parseAllowList([]);
    assert.equal(allow.empty, true);
    assert.equal(allow.allowsAddress('127.0.0.1'), false);
    assert.equal(allow.allowsName('localhost'), false);
  });

  test('GIVEN a malformed entry THEN a TypeError names it', () => {
    assert.throws(() => parseAllowList(['http://intranet/']), /http:\/\/intranet\//);
    assert.throws(() => parseAllowList(['10.0.0.0/33']), TypeError);
  });
});
