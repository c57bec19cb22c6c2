// @ts-check
import { apiGet, ApiFailure, tokenStore } from './api-client.js';
import { el, replaceChildren } from './dom.js';
import { renderOverview } from './overview-page.js';
import { renderUserLookup } from './user-page.js';

/** @type {Record<string, (root: HTMLElement) => Promise<void>>} */
const pages = { overview: renderOverview, user: renderUserLookup };

/**
 * The sign-in form: the token is checked against `/me`, then kept in sessionStorage (gone when
 * the tab closes, never sent anywhere but this API).
 * @param {HTMLElement} root @param {string} [notice]
 */
function showSignIn(root, notice) {
  const token = el('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'current-password',
    placeholder: 'API token',
    required: '',
  });
  const status = el('p', { class: 'warn', role: 'alert' }, notice ?? '');
  const form = el(
    'form',
    { class: 'card sign-in', 'data-testid': 'sign-in' },
    el('h1', {}, 'Sign in'),
    el(
      'p',
      { class: 'muted' },
      'An analyst or admin API token (ANALYST_API_TOKENS / ADMIN_API_TOKENS).',
    ),
    el('label', {}, 'Token ', token),
    el('button', { type: 'submit' }, 'Sign in'),
    status,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await apiGet('/me', token.value.trim());
      tokenStore.set(token.value.trim());
      await start();
    } catch (error) {
      status.textContent =
        error instanceof ApiFailure && error.status === 401
          ? 'That token is not valid.'
          : `Sign-in failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  });
  replaceChildren(root, form);
}

async function start() {
  const root = /** @type {HTMLElement} */ (document.getElementById('app'));
  const nav = /** @type {HTMLElement} */ (document.getElementById('who'));
  replaceChildren(nav);
  if (!tokenStore.get()) return showSignIn(root);
  /** @type {{ scope: string }} */
  let me;
  try {
    me = await apiGet('/me');
  } catch (error) {
    tokenStore.clear();
    return showSignIn(
      root,
      error instanceof ApiFailure && error.status === 401
        ? 'Your token is no longer valid.'
        : undefined,
    );
  }
  const signOut = el('button', { type: 'button', class: 'link' }, 'Sign out');
  signOut.addEventListener('click', () => {
    tokenStore.clear();
    void start();
  });
  replaceChildren(nav, el('span', { class: 'badge', 'data-testid': 'scope' }, me.scope), signOut);
  const page = pages[document.body.dataset.page ?? 'overview'] ?? renderOverview;
  try {
    await page(root);
  } catch (error) {
    replaceChildren(
      root,
      el(
        'p',
        { class: 'warn', 'data-testid': 'page-error' },
        error instanceof Error ? error.message : String(error),
      ),
    );
  }
}

void start();
