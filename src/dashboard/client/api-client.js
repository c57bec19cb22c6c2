// @ts-check

const TOKEN_KEY = 'ugc-dashboard-token';

/** An error answer of the API, in its `{error:{code,message}}` shape. */
export class ApiFailure extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const tokenStore = {
  /** @returns {string | null} */
  get: () => sessionStorage.getItem(TOKEN_KEY),
  /** @param {string} token */
  set: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/**
 * GET `/api/v1<path>` with the signed-in token.
 * @param {string} path
 * @param {string | null} [token]
 * @returns {Promise<any>}
 */
export async function apiGet(path, token = tokenStore.get()) {
  const response = await fetch(`/api/v1${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error =
      body && typeof body === 'object' && body.error
        ? body.error
        : { code: 'HTTP_' + response.status, message: response.statusText };
    throw new ApiFailure(response.status, String(error.code), String(error.message));
  }
  return body;
}
