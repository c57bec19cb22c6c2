import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from '../../dev/telegram-emulator/index.js';
import { renderReportCaption } from './report-caption.js';
import { renderReportPng } from './report-chart.js';
import type { DailyFigures } from './daily-figures.js';
import { ReportSendError, telegramReportSender } from './report-sender.js';

const figures: DailyFigures = {
  day: '2026-11-24',
  timeZone: 'UTC',
  from: new Date('2026-11-24T00:00:00Z'),
  to: new Date('2026-11-25T00:00:00Z'),
  newUsers: 3,
  activeUsers: 5,
  generations: {
    talking_head: { requested: 4, completed: 3, failed: 1, inProgress: 0 },
    background: { requested: 0, completed: 0, failed: 0, inProgress: 0 },
  },
  credits: { granted: 30, spent: 4, refunded: 1, revoked: 0 },
  stars: { payments: 1, revenue: 50, creditsSold: 10, refunds: 0, refunded: 0 },
  stageTimings: { tts: { p50: 100, p95: 200, count: 3 } },
  topFailures: [{ stage: 'video', reason: 'renderer crashed', count: 1 }],
};

describe('telegramReportSender (through the Bot API emulator)', () => {
  let emulator: TelegramEmulator;
  let api: Api;
  const adminChat = -1_000_555;

  beforeAll(async () => {
    emulator = await startTelegramEmulator();
    api = new Api(emulator.token, { apiRoot: emulator.apiRoot });
    // The admin chat exists once someone has written in it.
    await emulator
      .user({ id: 77, firstName: 'Admin' })
      .sendInGroup('hello', { chatId: adminChat, title: 'Admins' });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('posts the chart as a photo with the HTML caption', async () => {
    const png = await renderReportPng(figures);
    const sender = telegramReportSender(api);
    const { messageId } = await sender.sendReport({
      chatId: String(adminChat),
      png,
      fileName: 'daily-report-2026-11-24.png',
      caption: renderReportCaption(figures),
    });
    const message = emulator.chatMessages(adminChat).find((m) => m.messageId === messageId);
    expect(message?.media).toMatchObject({ kind: 'photo', width: 1200, height: 800 });
    expect(message?.caption).toContain('Daily report · 2026-11-24');
    // HTML was parsed, so the bold tags became entities rather than literal text.
    expect(message?.caption).not.toContain('<b>');
    expect(message?.entities ?? message?.raw.caption_entities).toBeTruthy();
  });

  it('reports a chat that does not exist as a permanent failure', async () => {
    const png = await renderReportPng(figures);
    const error = await telegramReportSender(api)
      .sendReport({ chatId: '-1000999', png, fileName: 'r.png', caption: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportSendError);
    expect(error).toMatchObject({ code: 'REPORT_SEND_FAILED', retryable: false });
    expect((error as ReportSendError).message).toMatch(/chat not found/);
  });

  it('reports a server error as retryable', async () => {
    emulator.injectFault('sendPhoto', { kind: 'server-error', status: 502 });
    const error = await telegramReportSender(api)
      .sendReport({
        chatId: String(adminChat),
        png: await renderReportPng(figures),
        fileName: 'r.png',
        caption: 'x',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportSendError);
    expect(error).toMatchObject({ code: 'REPORT_SEND_FAILED', retryable: true });
  });
});
