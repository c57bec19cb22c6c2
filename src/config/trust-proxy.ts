import { isIP } from 'node:net';
import { z } from 'zod';

/** What fastify's `trustProxy` takes: off, every hop, a hop count, or the proxies' addresses. */
export type TrustProxy = boolean | number | readonly string[];

/** proxy-addr's names for address ranges, accepted by fastify alongside addresses and CIDRs. */
const namedRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (namedRanges.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // A prefix length, or (IPv4 only) a dotted netmask, as proxy-addr accepts.
  if (/^\d{1,3}$/.test(prefix)) return Number(prefix) <= (family === 4 ? 32 : 128);
  return family === 4 && isIP(prefix) === 4;
}

/**
 * `TRUST_PROXY`: which X-Forwarded-For hops to believe when working out a client's address (for the
 * API's per-address rate limit). Off by default: anyone can send that header, so believing it
 * without a proxy in front lets a client pick its own address and dodge the limit.
 *   `false` / empty — the socket's peer is the client;  `true` — the left-most forwarded address;
 *   `2` — that many proxy hops;  `10.0.0.0/8,127.0.0.1,loopback` — only these proxies are believed.
 */
export const trustProxySetting = z
  .string()
  .trim()
  .default('')
  .transform((value, ctx): TrustProxy => {
    const lowered = value.toLowerCase();
    if (lowered === '' || lowered === 'false' || lowered === '0') return false;
    if (lowered === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const bad = entries.filter((entry) => !isAddressOrRange(entry));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `expected false, true, a hop count, or comma-separated proxy addresses/CIDRs (or loopback, linklocal, uniquelocal); not an address: ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return entries;
  });
