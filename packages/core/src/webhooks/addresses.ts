/**
 * Which addresses a webhook may be sent to (issue 15, "Safe outbound calls"): public unicast
 * addresses only. Refused: unspecified, loopback, private (RFC 1918), CGNAT (100.64/10),
 * link-local (169.254/16, so the cloud metadata address 169.254.169.254 too), benchmarking,
 * documentation, multicast and reserved ranges; IPv6 loopback, unique-local (fc00::/7),
 * link-local (fe80::/10), multicast, documentation, NAT64 and 6to4/Teredo, and every
 * IPv4-mapped or -compatible form (which would smuggle an IPv4 address past the checks).
 * The unsafe development setting allows loopback (and only loopback) besides.
 */
import { BlockList, isIP } from 'node:net';

// Two lists: a BlockList matches an IPv4 address against IPv6 rules too (as IPv4-mapped), and
// ::/96 or ::ffff:0:0/96 would then refuse every IPv4 address.
const FORBIDDEN_V4 = new BlockList();
const FORBIDDEN_V6 = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) FORBIDDEN_V4.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], ['::ffff:0:0', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16],
  ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) FORBIDDEN_V6.addSubnet(net, prefix, 'ipv6');

const LOOPBACK_V4 = new BlockList();
LOOPBACK_V4.addSubnet('127.0.0.0', 8, 'ipv4');
const LOOPBACK_V6 = new BlockList();
LOOPBACK_V6.addAddress('::1', 'ipv6');
const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/** Why an address may not be sent to, or null when it may (`allowLoopback`: the unsafe development setting). */
export function refusedAddress(address: string, allowLoopback = false): string | null {
  const family = isIP(address);
  if (family === 0) return `${address} is not an IP address`;
  // IPv4-mapped forms (::ffff:a.b.c.d, ::ffff:7f00:1) are refused outright, loopback or not.
  if (family === 6 && MAPPED.check(address, 'ipv6')) return `${address} is an IPv4-mapped address`;
  if (allowLoopback && (family === 4 ? LOOPBACK_V4.check(address, 'ipv4') : LOOPBACK_V6.check(address, 'ipv6'))) return null;
  if (family === 4 ? FORBIDDEN_V4.check(address, 'ipv4') : FORBIDDEN_V6.check(address, 'ipv6')) return `${address} is not a public address`;
  return null;
}

/** Is `host` (a URL hostname) an IP literal? Returns it without IPv6 brackets, else null. */
export function ipLiteral(host: string): string | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIP(bare) ? bare : null;
}
