import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard } from '../../scripts/build-dashboard.js';
import { registerDashboard } from '../../src/http/dashboard-route.js';
import { createHttpServer } from '../../src/http/http-server.js';
import {
  ADMIN_TOKEN,
  ANALYST_TOKEN,
  openApiWorld,
  type ApiWorld,
} from '../../src/testing/http/api-world.js';
import { creditAudit } from '../../src/queries/credit-audit.js';
import { silentLogger } from '../../src/testing/pg-world.js';
import { skipWithoutPostgres } from '../../src/testing/postgres.js';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = resolve('test-artifacts');

function chromiumMissing(): boolean {
  if (existsSync(CHROMIUM)) return false;
  const message = `${CHROMIUM} is missing: the dashboard browser test cannot run (apt-get install chromium).`;
  if (process.env.CI === 'true') throw new Error(`CI=true: ${message}`);
  console.warn(`\n!!! SKIPPED: ${message}\n`);
  return true;
}

const skip = (await skipWithoutPostgres('dashboard in headless Chromium')) || chromiumMissing();
const FROM = '2026-11-18';
const TO = '2026-11-27';

/** A PNG that holds a rendered page, not an empty frame. */
async function expectScreenshot(path: string): Promise<void> {
  const bytes = await readFile(path);
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  expect((await stat(path)).size).toBeGreaterThan(20_000);
}

/**
 * Pixels of a chart's canvas that are not transparent: uPlot drew axes and lines on it. Runs in the
 * page, so it is passed as source text (the server's compilation has no DOM types).
 */
async function drawnPixels(page: Page, testId: string): Promise<number> {
  return page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid="${testId}"] canvas');
    const context = canvas && canvas.getContext('2d');
    if (!context) return -1;
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn += 1;
    return drawn;
  })()`);
}

const numberIn = async (page: Page, testId: string) =>
  Number((await page.getByTestId(testId).textContent())!.replace(/,/g, ''));

describe.skipIf(skip)('dashboard in headless Chromium', () => {
  let api: ApiWorld;
  let browser: Browser;
  let page: Page;
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'ugc-dashboard-'));
    const { files } = await buildDashboard(outDir);
    expect(files).toEqual(
      expect.arrayContaining(['app.js', 'index.html', 'user.html', 'style.css', 'uplot.css']),
    );
    api = await openApiWorld({
      users: 16,
      seed: 5,
      register: async (app) => void (await registerDashboard(app, { dir: outDir })),
    });
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('signs in with a token and shows the overview: totals equal the read models, five drawn charts', async () => {
    await page.goto(`${api.url}/dashboard/?from=${FROM}&to=${TO}`);
    await page.getByTestId('sign-in').waitFor();
    await page.fill('input[name=token]', 'not-a-token');
    await page.click('form[data-testid=sign-in] button');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');

    await page.fill('input[name=token]', ANALYST_TOKEN);
    await page.click('form[data-testid=sign-in] button');
    await page.locator('#app[data-ready=overview]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('scope').textContent()).toBe('analyst');
    expect(await page.evaluate("sessionStorage.getItem('ugc-dashboard-token')")).toBe(
      ANALYST_TOKEN,
    );

    const rows = await api.world.readModels.db
      .selectFrom('daily_stats')
      .selectAll()
      .where('day', '>=', FROM)
      .where('day', '<=', TO)
      .execute();
    const total = (pick: (row: (typeof rows)[number]) => number) =>
      rows.reduce((sum, row) => sum + pick(row), 0);
    expect(total((row) => row.new_users)).toBe(16);
    expect(await numberIn(page, 'total-new-users')).toBe(16);
    expect(await numberIn(page, 'total-generations-requested')).toBe(
      total((row) => row.generations_requested),
    );
    expect(await numberIn(page, 'total-generations-completed')).toBe(
      total((row) => row.generations_completed),
    );
    expect(await numberIn(page, 'total-generations-failed')).toBe(
      total((row) => row.generations_failed),
    );
    expect(await numberIn(page, 'total-credits-granted')).toBe(total((row) => row.credits_granted));
    expect(await numberIn(page, 'total-credits-spent')).toBe(total((row) => row.credits_spent));
    expect(await numberIn(page, 'total-credits-refunded')).toBe(
      total((row) => row.credits_refunded),
    );
    expect(total((row) => row.stars_revenue)).toBeGreaterThan(0);
    expect(await numberIn(page, 'total-stars-revenue')).toBe(total((row) => row.stars_revenue));
    expect(await numberIn(page, 'total-credits-sold')).toBe(total((row) => row.credits_sold));

    const charts = [
      'chart-users',
      'chart-generations',
      'chart-credits',
      'chart-stars',
      'chart-stage-timings',
    ];
    await expect
      .poll(() => page.locator('.chart canvas').count(), { timeout: 10_000 })
      .toBe(charts.length);
    for (const chart of charts) expect(await drawnPixels(page, chart), chart).toBeGreaterThan(200);
    // The stage-timing chart has a p50 and a p95 series per stage the seed recorded.
    const stages = [...new Set(rows.flatMap((row) => Object.keys(row.stage_timings)))];
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const legend = await page
      .getByTestId('chart-stage-timings')
      .locator('.u-legend .u-label')
      .allTextContents();
    expect(legend.filter((label) => label !== 'Time').sort()).toEqual(
      stages.flatMap((stage) => [`${stage} p50`, `${stage} p95`]).sort(),
    );

    const shot = join(artifacts, 'dashboard-overview.png');
    await page.screenshot({ path: shot, fullPage: true });
    await expectScreenshot(shot);
  });

  it('user lookup with an admin token shows the profile, the balance, the Stars payments and the audit trail from the event log', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('sign-in').waitFor();
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('form[data-testid=sign-in] button');
    await page.locator('#app[data-ready=overview]').waitFor();

    const user = await api.world.readModels.db
      .selectFrom('credit_balances')
      .selectAll()
      .orderBy('user_id')
      .offset(3)
      .limit(1)
      .executeTakeFirstOrThrow();
    const id = String(user.user_id);
    await page.click('header nav a[href="user.html"]');
    await page.fill('input[name=id]', id);
    await page.click('form.lookup button');
    await page.getByTestId('balance').waitFor();
    expect(await page.getByTestId('scope').textContent()).toBe('admin');
    expect(await page.getByTestId('profile-id').textContent()).toBe(id);
    expect(await numberIn(page, 'balance')).toBe(user.balance);

    const audit = await creditAudit(api.world.store, Number(id));
    const rows = page.getByTestId('audit-table').locator('tbody tr');
    expect(await rows.count()).toBe(audit.entries.length);
    const firstCells = await rows.first().locator('td').allTextContents();
    expect(firstCells[0]).toBe(audit.entries[0]!.globalPosition.toString());
    expect(firstCells[1]).toBe(audit.entries[0]!.type);
    expect(firstCells.at(-1)).toBe(audit.entries[0]!.eventId);
    expect(await page.getByTestId('audit-check').textContent()).toContain(`sum to ${user.balance}`);

    // The seed's second user bought a pack that an admin refunded.
    const payer = await api.world.readModels.db
      .selectFrom('stars_payments')
      .selectAll()
      .where('refunded_at', 'is not', null)
      .orderBy('user_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    await page.fill('input[name=id]', String(payer.user_id));
    await page.click('form.lookup button');
    await page.getByTestId('payments-table').waitFor();
    const payment = await page
      .getByTestId('payments-table')
      .locator('tbody tr')
      .first()
      .locator('td')
      .allTextContents();
    expect(payment.slice(1, 3)).toEqual([`${payer.stars} ⭐`, String(payer.credits)]);
    expect(payment[3]).toContain('by admin 1');
    expect(payment.at(-1)).toBe(payer.charge_id);

    const shot = join(artifacts, 'dashboard-user.png');
    await page.screenshot({ path: shot, fullPage: true });
    await expectScreenshot(shot);
  });

  it('an analyst token cannot look users up, and says why', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.fill('input[name=token]', ANALYST_TOKEN);
    await page.click('form[data-testid=sign-in] button');
    // Signing in checks the token with the API before keeping it; a page opened before that
    // answer would rightly show the sign-in form again.
    await page.locator('#who').getByText('analyst').waitFor();
    await page.goto(`${api.url}/dashboard/user.html?id=500001`);
    await expect
      .poll(() => page.getByTestId('lookup-error').textContent(), { timeout: 10_000 })
      .toContain('admin token');
  });

  it('answers a clear 503 page when the dashboard was never built', async () => {
    const app = createHttpServer({ log: silentLogger, readiness: {} });
    const empty = await mkdtemp(join(tmpdir(), 'ugc-dashboard-empty-'));
    try {
      expect(await registerDashboard(app, { dir: empty })).toEqual({ built: false });
      const response = await app.inject({ method: 'GET', url: '/dashboard/' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('npm run build');
      expect((await app.inject({ method: 'GET', url: '/dashboard' })).statusCode).toBe(503);
    } finally {
      await app.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
