import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks a SigV4 presigned GET the way an S3 server does: against the Host header the request
 * arrives with. s3rver skips V4 signature checks, so tests that care whether a link survives the
 * trip to a real store (Garage, R2) check it here. Written from the SigV4 rules, independently of
 * the SDK's signer, so a signer mistake cannot hide behind the same mistake here.
 */
export function presignedGetIsValid(
  url: URL,
  arrivedHost: string,
  secretAccessKey: string,
): boolean {
  const query = parseRawQuery(url.search);
  const provided = query.get('X-Amz-Signature');
  const credential = query.get('X-Amz-Credential');
  const amzDate = query.get('X-Amz-Date');
  const signedHeaders = query.get('X-Amz-SignedHeaders');
  if (!provided || !credential || !amzDate || signedHeaders !== 'host') return false;
  const [, date, region, service, terminator] = decodeURIComponent(credential).split('/');
  if (!date || !region || !service || terminator !== 'aws4_request') return false;

  const canonicalQuery = [...query]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  // S3 signs the path as sent (already percent-encoded once), without double encoding.
  const canonicalRequest = [
    'GET',
    url.pathname,
    canonicalQuery,
    `host:${arrivedHost}`,
    '',
    'host',
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key: Buffer = hmac(`AWS4${secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(provided, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Name/value pairs exactly as encoded in the URL (SigV4 signs the encoded forms). */
function parseRawQuery(search: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const pair of search.replace(/^\?/, '').split('&')) {
    if (!pair) continue;
    const at = pair.indexOf('=');
    pairs.set(at < 0 ? pair : pair.slice(0, at), at < 0 ? '' : pair.slice(at + 1));
  }
  return pairs;
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) =>
  createHmac('sha256', key).update(text).digest();
