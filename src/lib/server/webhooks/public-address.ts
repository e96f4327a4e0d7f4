// Webhook receivers must be on the public internet. Any admin can register a receiver (and
// anyone who signs up is the admin of their own organization), so without this rule a
// webhook is a way into the network Holdline runs in: loopback services, the database, the
// cloud metadata endpoint (169.254.169.254), other hosts of a private range.
//
// The rule is checked on resolved addresses, never on the name alone, and on the very
// address that is connected: `publicLookup` is the `lookup` of the delivery's socket, so a
// name whose DNS answer changes between a check and the connection (DNS rebinding) cannot
// slip through.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/** IPv4 ranges that are not public unicast (IANA special-purpose registry, RFC 6890). */
const NON_PUBLIC_V4: [network: string, prefix: number][] = [
	['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
	['10.0.0.0', 8], // private
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local, including the cloud metadata endpoint
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relay anycast
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, and 255.255.255.255 broadcast
];

/**
 * IPv6 is public only inside global unicast (2000::/3), minus its special blocks; the two
 * prefixes that carry an IPv4 address (mapped ::ffff:0:0/96 and NAT64 64:ff9b::/96) are as
 * public as the IPv4 address they carry. Everything else (::, ::1, fc00::/7, fe80::/10,
 * ff00::/8, 64:ff9b:1::/48 …) is refused by not being in this list.
 */
const PUBLIC_CANDIDATES_V6: [string, number][] = [
	['2000::', 3],
	['::ffff:0:0', 96],
	['64:ff9b::', 96]
];

const NON_PUBLIC_V6: [string, number][] = [
	['2001::', 23], // IETF protocol assignments, including Teredo (2001::/32, embeds any IPv4)
	['2001:db8::', 32], // documentation
	['2002::', 16], // 6to4 (embeds any IPv4, including private ones)
	['3fff::', 20], // documentation
	// An IPv4 address carried by IPv6 is refused when that IPv4 address would be.
	...NON_PUBLIC_V4.flatMap(([network, prefix]): [string, number][] => [
		[`::ffff:${network}`, 96 + prefix],
		[`64:ff9b::${network}`, 96 + prefix]
	])
];

const candidatesV6 = new BlockList();
for (const [network, prefix] of PUBLIC_CANDIDATES_V6) candidatesV6.addSubnet(network, prefix, 'ipv6');
const nonPublic = new BlockList();
for (const [network, prefix] of NON_PUBLIC_V4) nonPublic.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of NON_PUBLIC_V6) nonPublic.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address (v4 or v6 text) is a public unicast address. Anything else is false. */
export function isPublicAddress(address: string): boolean {
	const version = isIP(address);
	if (version === 4) return !nonPublic.check(address, 'ipv4');
	if (version !== 6 || address.includes('%')) return false; // a zone index is link-local by nature
	return candidatesV6.check(address, 'ipv6') && !nonPublic.check(address, 'ipv6');
}

/** The refusal of a destination that is not public, or whose name does not resolve. */
export class NotPublicAddressError extends Error {
	readonly code = 'ENOTPUBLIC';
	constructor(hostname: string) {
		super(`${hostname} is not a public internet address`);
		this.name = 'NotPublicAddressError';
	}
}

/** The host of a URL as `dns.lookup` and `net.isIP` take it ("[::1]" → "::1"). */
export function bareHostname(url: URL): string {
	return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/**
 * Every address of a host name, or of an IP literal, provided that all are public. A name
 * with one private address among public ones is refused: the socket might pick that one.
 * A name that does not resolve is refused the same way, so that the refusal does not tell
 * which internal names exist.
 */
function resolvePublicAddresses(
	hostname: string,
	family: number | undefined,
	callback: (error: Error | null, addresses: LookupAddress[]) => void
): void {
	const version = isIP(hostname);
	if (version) {
		callback(isPublicAddress(hostname) ? null : new NotPublicAddressError(hostname), [{ address: hostname, family: version }]);
		return;
	}
	dnsLookup(hostname, { all: true, family: family ?? 0 }, (error, addresses) => {
		if (error || !addresses.length || !addresses.every((a) => isPublicAddress(a.address))) {
			callback(new NotPublicAddressError(hostname), []);
		} else {
			callback(null, addresses);
		}
	});
}

export function resolvePublic(hostname: string): Promise<LookupAddress[]> {
	return new Promise((resolve, reject) =>
		resolvePublicAddresses(hostname, undefined, (error, addresses) => (error ? reject(error) : resolve(addresses)))
	);
}

/**
 * A drop-in `lookup` for sockets (http.Agent, net.connect) that only ever yields public
 * addresses. Node does not call `lookup` for an IP literal: check those with
 * `isPublicAddress` before connecting.
 */
export const publicLookup: LookupFunction = (hostname, options, callback) => {
	const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
	resolvePublicAddresses(hostname, family, (error, addresses) => {
		if (error) return callback(error, '', 0);
		// Happy eyeballs (autoSelectFamily, on by default in Node 20) asks for every address.
		if (options.all) return callback(null, addresses);
		callback(null, addresses[0]!.address, addresses[0]!.family);
	});
};
