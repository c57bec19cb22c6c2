import { createHash, timingSafeEqual } from 'node:crypto';

/** analyst ⊂ admin: an admin token may call every analyst endpoint. */
export type ApiScope = 'analyst' | 'admin';

export interface ApiPrincipal {
  readonly scope: ApiScope;
  /** A short hash of the token: a rate-limit key and a log field that reveals nothing. */
  readonly tokenId: string;
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/**
 * The configured bearer tokens. Every candidate is compared against every known token with
 * `timingSafeEqual` over fixed-length digests, so neither the length nor the first differing byte
 * of a token shows in the response time.
 */
export class ApiTokens {
  private readonly known: ReadonlyArray<{ readonly digest: Buffer; readonly scope: ApiScope }>;

  constructor(tokens: { readonly analyst: readonly string[]; readonly admin: readonly string[] }) {
    this.known = [
      ...tokens.analyst.map((token) => ({ digest: digest(token), scope: 'analyst' as const })),
      ...tokens.admin.map((token) => ({ digest: digest(token), scope: 'admin' as const })),
    ];
  }

  get isEmpty(): boolean {
    return this.known.length === 0;
  }

  /** The principal a token stands for, or undefined for an unknown token. */
  authenticate(token: string): ApiPrincipal | undefined {
    const candidate = digest(token);
    let scope: ApiScope | undefined;
    for (const entry of this.known) {
      // No early exit: every entry is compared, and admin wins when a token is listed twice.
      if (timingSafeEqual(candidate, entry.digest) && scope !== 'admin') scope = entry.scope;
    }
    return scope ? { scope, tokenId: candidate.subarray(0, 8).toString('hex') } : undefined;
  }
}

export function allows(principal: ApiPrincipal, required: ApiScope): boolean {
  return required === 'analyst' || principal.scope === 'admin';
}

/** `Authorization: Bearer <token>` → the token; anything else → undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
