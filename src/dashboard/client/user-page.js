// @ts-check
import { apiGet, ApiFailure } from './api-client.js';
import { el, formatNumber, replaceChildren } from './dom.js';

/**
 * @typedef {{ eventId: string, globalPosition: string, type: string, delta: number, balanceAfter:
 * number, reason: string, actor: { kind: string, id: string }, timestamp: string }} AuditEntry
 * @typedef {{ chargeId: string, credits: number, stars: number, paidAt: string | null, refund: {
 * at: string | null, by: string | null, adminId: string | null, creditsTakenBack: number | null } |
 * null }} Payment
 */

/** @param {string | null} iso */
const time = (iso) => (iso === null ? '—' : iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z'));

/** @param {string} label @param {string | number | null} value @param {string} [testId] */
const row = (label, value, testId) => [
  el('dt', {}, label),
  el('dd', testId ? { 'data-testid': testId } : {}, value === null ? '—' : String(value)),
];

/**
 * User lookup: profile and balance from the read models, the credit audit from the event log.
 * @param {HTMLElement} root
 */
export async function renderUserLookup(root) {
  const params = new URLSearchParams(location.search);
  const input = el('input', {
    type: 'text',
    name: 'id',
    inputmode: 'numeric',
    pattern: '[0-9]+',
    placeholder: 'Telegram id',
    value: params.get('id') ?? '',
    required: '',
  });
  const form = el(
    'form',
    { class: 'lookup' },
    el('label', {}, 'Telegram id ', input),
    el('button', { type: 'submit' }, 'Look up'),
  );
  const result = el('div', { class: 'user' });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    history.replaceState(null, '', `?${new URLSearchParams({ id: input.value.trim() })}`);
    void show(result, input.value.trim());
  });
  replaceChildren(root, el('h1', {}, 'User lookup'), form, result);
  const id = params.get('id');
  if (id) await show(result, id);
  root.dataset.ready = 'user';
}

/** @param {HTMLElement} result @param {string} id */
async function show(result, id) {
  replaceChildren(result, el('p', { class: 'muted' }, 'Loading…'));
  try {
    const [profile, audit, payments] = await Promise.all([
      apiGet(`/users/${encodeURIComponent(id)}`),
      apiGet(`/users/${encodeURIComponent(id)}/credit-audit`),
      apiGet(`/users/${encodeURIComponent(id)}/payments`),
    ]);
    /** @type {Payment[]} */
    const paid = payments.payments;
    /** @type {AuditEntry[]} */
    const entries = audit.entries;
    const auditSum = entries.reduce((total, entry) => total + entry.delta, 0);
    const agrees = auditSum === profile.credits.balance;
    replaceChildren(
      result,
      el(
        'section',
        { class: 'card profile', 'data-testid': 'profile' },
        el('h2', {}, profile.firstName ?? profile.username ?? `User ${profile.telegramId}`),
        el(
          'dl',
          {},
          ...row('Telegram id', profile.telegramId, 'profile-id'),
          ...row('Username', profile.username ? `@${profile.username}` : null),
          ...row('Language', profile.language),
          ...row('Registered', profile.registeredAt),
          ...row('Last activity', profile.lastActivityAt),
          ...row('Generations requested', profile.generationsRequested, 'profile-generations'),
        ),
      ),
      el(
        'section',
        { class: 'stats' },
        el(
          'div',
          { class: 'stat' },
          el(
            'span',
            { class: 'stat-value', 'data-testid': 'balance' },
            formatNumber(profile.credits.balance),
          ),
          el('span', { class: 'stat-label' }, 'Balance'),
        ),
        el(
          'div',
          { class: 'stat' },
          el('span', { class: 'stat-value' }, formatNumber(profile.credits.granted)),
          el('span', { class: 'stat-label' }, 'Granted'),
        ),
        el(
          'div',
          { class: 'stat' },
          el('span', { class: 'stat-value' }, formatNumber(profile.credits.spent)),
          el('span', { class: 'stat-label' }, 'Spent'),
        ),
        el(
          'div',
          { class: 'stat' },
          el('span', { class: 'stat-value' }, formatNumber(profile.credits.refunded)),
          el('span', { class: 'stat-label' }, 'Refunded'),
        ),
        el(
          'div',
          { class: 'stat' },
          el('span', { class: 'stat-value' }, formatNumber(profile.credits.revoked)),
          el('span', { class: 'stat-label' }, 'Revoked'),
        ),
      ),
      el(
        'section',
        { class: 'card' },
        el('h2', {}, 'Telegram Stars payments'),
        paid.length === 0
          ? el('p', { class: 'muted', 'data-testid': 'payments-empty' }, 'No payments.')
          : el(
              'table',
              { 'data-testid': 'payments-table' },
              el(
                'thead',
                {},
                el(
                  'tr',
                  {},
                  ...['Paid', 'Stars', 'Credits', 'Refund', 'Credits taken back', 'Charge id'].map(
                    (h) => el('th', {}, h),
                  ),
                ),
              ),
              el(
                'tbody',
                {},
                ...paid.map((payment) =>
                  el(
                    'tr',
                    {},
                    el('td', {}, time(payment.paidAt)),
                    el('td', {}, `${payment.stars} ⭐`),
                    el('td', {}, String(payment.credits)),
                    el(
                      'td',
                      {},
                      payment.refund === null
                        ? '—'
                        : `${time(payment.refund.at)} by ${payment.refund.by === 'admin' ? `admin ${payment.refund.adminId}` : 'Telegram support'}`,
                    ),
                    el(
                      'td',
                      {},
                      payment.refund === null ? '—' : String(payment.refund.creditsTakenBack ?? 0),
                    ),
                    el('td', { class: 'mono' }, payment.chargeId),
                  ),
                ),
              ),
            ),
      ),
      el(
        'section',
        { class: 'card' },
        el('h2', {}, 'Credit audit (event log)'),
        el(
          'p',
          { class: agrees ? 'ok' : 'warn', 'data-testid': 'audit-check' },
          agrees
            ? `The ${entries.length} credit events sum to ${auditSum}, the balance shown above.`
            : `The credit events sum to ${auditSum} but the read model shows ${profile.credits.balance}: the projection is behind or wrong.`,
        ),
        el(
          'table',
          { 'data-testid': 'audit-table' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...[
                'Global position',
                'Event',
                'Δ',
                'Balance',
                'Reason',
                'Actor',
                'Time',
                'Event id',
              ].map((h) => el('th', {}, h)),
            ),
          ),
          el(
            'tbody',
            {},
            ...entries.map((entry) =>
              el(
                'tr',
                {},
                el('td', {}, entry.globalPosition),
                el('td', {}, entry.type),
                el(
                  'td',
                  { class: entry.delta < 0 ? 'neg' : 'pos' },
                  entry.delta > 0 ? `+${entry.delta}` : String(entry.delta),
                ),
                el('td', {}, String(entry.balanceAfter)),
                el('td', {}, entry.reason),
                el('td', {}, `${entry.actor.kind} ${entry.actor.id}`),
                el('td', {}, entry.timestamp.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
                el('td', { class: 'mono' }, entry.eventId),
              ),
            ),
          ),
        ),
      ),
    );
  } catch (error) {
    const message =
      error instanceof ApiFailure && error.status === 403
        ? 'User lookup needs an admin token; analyst tokens see the overview only.'
        : error instanceof ApiFailure && error.status === 404
          ? `No user with Telegram id ${id}.`
          : error instanceof Error
            ? error.message
            : String(error);
    replaceChildren(result, el('p', { class: 'warn', 'data-testid': 'lookup-error' }, message));
  }
}
