import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/lib/server/config.ts';
import { isPublicAddress } from '../../src/lib/server/webhooks/public-address.ts';

const NOT_PUBLIC = [
	// IPv4
	'0.0.0.0',
	'0.1.2.3',
	'10.0.0.1',
	'10.255.255.255',
	'100.64.0.1',
	'100.127.255.254',
	'127.0.0.1',
	'127.1.2.3',
	'169.254.169.254', // cloud metadata
	'169.254.0.1',
	'172.16.0.1',
	'172.31.255.255',
	'192.0.0.170',
	'192.0.2.1',
	'192.168.0.1',
	'192.168.255.255',
	'198.18.0.1',
	'198.51.100.7',
	'203.0.113.9',
	'224.0.0.1',
	'239.255.255.250',
	'240.0.0.1',
	'255.255.255.255',
	// IPv6
	'::',
	'::1',
	'0:0:0:0:0:0:0:1',
	'::127.0.0.1', // IPv4-compatible (deprecated)
	'fc00::1',
	'fd12:3456:789a::1',
	'fe80::1',
	'fe80::1%eth0',
	'febf::1',
	'fec0::1',
	'ff02::1',
	'2001:db8::1',
	'2001::1', // Teredo
	'2002:7f00:1::1', // 6to4 carrying 127.0.0.1
	'3fff::1',
	'100::1', // discard-only
	// IPv4-mapped IPv6 carrying a non-public address, in both notations
	'::ffff:127.0.0.1',
	'::ffff:7f00:1',
	'::ffff:10.1.2.3',
	'::ffff:169.254.169.254',
	'::ffff:0:0',
	// NAT64 (64:ff9b::/96) carrying a non-public address; the local-use NAT64 prefix
	'64:ff9b::127.0.0.1',
	'64:ff9b::a00:1',
	'64:ff9b::192.168.1.1',
	'64:ff9b::a9fe:a9fe',
	'64:ff9b:1::8.8.8.8',
	// not addresses at all
	'',
	'localhost',
	'example.org',
	'1.2.3',
	'256.1.1.1',
	'::ffff:999.0.0.1'
];

const PUBLIC = [
	'1.1.1.1',
	'8.8.8.8',
	'93.184.215.14',
	'100.63.255.255', // just below carrier-grade NAT
	'100.128.0.0', // just above it
	'172.15.255.255',
	'172.32.0.0',
	'192.167.255.255',
	'192.169.0.0',
	'169.253.255.255',
	'223.255.255.255',
	'2606:4700:4700::1111',
	'2001:4860:4860::8888',
	'2a00:1450:4007:80f::200e',
	'::ffff:8.8.8.8',
	'::ffff:808:808',
	'64:ff9b::8.8.8.8'
];

describe('a webhook receiver address', () => {
	it.each(NOT_PUBLIC)('%s is not public', (address) => {
		expect(isPublicAddress(address)).toBe(false);
	});

	it.each(PUBLIC)('%s is public', (address) => {
		expect(isPublicAddress(address)).toBe(true);
	});
});

describe('the escape hatch for tests and local development', () => {
	it('is closed unless HOLDLINE_WEBHOOKS_ALLOW_PRIVATE is exactly 1', () => {
		expect(readConfig({}).webhooksAllowPrivate).toBe(false);
		expect(readConfig({ HOLDLINE_WEBHOOKS_ALLOW_PRIVATE: 'true' }).webhooksAllowPrivate).toBe(false);
		expect(readConfig({ HOLDLINE_WEBHOOKS_ALLOW_PRIVATE: '1' }).webhooksAllowPrivate).toBe(true);
	});
});
