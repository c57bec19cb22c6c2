import { setTimeout as sleep } from 'node:timers/promises';
import { Bot, InputFile } from 'grammy';
import type { Message, Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from './index.js';
import { fakePng } from './sample-bot.js';

type Envelope<T = unknown> =
  | { ok: true; result: T; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: Record<string, unknown> };

describe('Bot API wire protocol', () => {
  let emulator: TelegramEmulator;
  let base: string;

  const call = async <T = unknown>(
    method: string,
    body?: unknown,
    init: RequestInit = {},
  ): Promise<{ status: number; json: Envelope<T> }> => {
    const response = await fetch(`${base}/${method}`, {
      method: 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      ...init,
    });
    return { status: response.status, json: (await response.json()) as Envelope<T> };
  };
  const result = async <T>(method: string, body?: unknown): Promise<T> => {
    const { json } = await call<T>(method, body);
    if (!json.ok) throw new Error(`${method}: ${json.description}`);
    return json.result;
  };

  beforeAll(async () => {
    emulator = await startTelegramEmulator({
      limits: { getFileBytes: 64 * 1024 },
      callbackAnswerDeadlineMs: 200,
    });
    base = `${emulator.apiRoot}/bot${emulator.token}`;
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('answers getMe over GET, POST and any method-name case', async () => {
    const viaGet = (await (await fetch(`${base}/getMe`)).json()) as Envelope<{
      id: number;
      is_bot: boolean;
    }>;
    expect(viaGet).toMatchObject({ ok: true, result: { id: 123456789, is_bot: true } });
    expect((await call('GETME')).json.ok).toBe(true);
  });

  it('uses Telegram envelopes for a wrong token, unknown methods and unknown paths', async () => {
    const wrongToken = await fetch(`${emulator.apiRoot}/bot1:nope/getMe`);
    expect(wrongToken.status).toBe(401);
    expect(await wrongToken.json()).toEqual({
      ok: false,
      error_code: 401,
      description: 'Unauthorized',
    });
    expect(await call('sendTelepathy', {})).toEqual({
      status: 404,
      json: { ok: false, error_code: 404, description: 'Not Found' },
    });
    const elsewhere = await fetch(`${emulator.apiRoot}/nothing/here`);
    expect(await elsewhere.json()).toEqual({
      ok: false,
      error_code: 404,
      description: 'Not Found',
    });
  });

  it('reads parameters from the query string, url-encoded bodies and JSON-encoded fields', async () => {
    const user = emulator.user({ id: 3001, firstName: 'Wire' });
    await user.sendText('hello');
    const viaQuery = await fetch(
      `${base}/sendMessage?chat_id=${user.chatId}&text=${encodeURIComponent('from the query')}`,
    );
    expect((await viaQuery.json()) as Envelope<Message>).toMatchObject({
      ok: true,
      result: { text: 'from the query' },
    });

    const form = new URLSearchParams({
      chat_id: String(user.chatId),
      text: 'from a form',
      reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] }),
    });
    const viaForm = await fetch(`${base}/sendMessage`, { method: 'POST', body: form });
    expect(await viaForm.json()).toMatchObject({
      ok: true,
      result: {
        text: 'from a form',
        reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] },
      },
    });
  });

  it('accepts standard multipart uploads and serves them through getFile', async () => {
    const user = emulator.user({ id: 3002, firstName: 'Files' });
    await user.sendText('hi');
    const bytes = Buffer.from('name,price\nlamp,10\n');
    const form = new FormData();
    form.set('chat_id', String(user.chatId));
    form.set('caption', 'the "list"');
    form.set('document', new Blob([bytes]), 'price list.csv');
    const sent = (await (
      await fetch(`${base}/sendDocument`, { method: 'POST', body: form })
    ).json()) as Envelope<Message>;
    if (!sent.ok) throw new Error(sent.description);
    expect(sent.result.document).toMatchObject({
      file_name: 'price list.csv',
      mime_type: 'text/csv',
      file_size: bytes.length,
    });

    const file = await result<{ file_path: string }>('getFile', {
      file_id: sent.result.document?.file_id,
    });
    const download = await fetch(emulator.fileUrl(file.file_path));
    expect(download.headers.get('content-type')).toBe('text/csv');
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await fetch(emulator.fileUrl('documents/missing.csv'))).status).toBe(404);
    expect(await call('getFile', { file_id: 'BQACAgIAAxk-forged' })).toMatchObject({
      status: 400,
      json: { description: 'Bad Request: invalid file_id' },
    });
  });

  it('resends media by file_id and rejects a file of the wrong kind', async () => {
    const user = emulator.user({ id: 3003, firstName: 'Media' });
    const photo = await user.sendPhoto(fakePng(800, 600));
    const photoId = photo.message?.photo?.[0]?.file_id;
    expect(photo.message?.photo?.[0]).toMatchObject({ width: 800, height: 600 });
    const resent = await result<Message>('sendPhoto', { chat_id: user.chatId, photo: photoId });
    expect(resent.photo?.[0]?.file_id).toBe(photoId);
    expect(await call('sendVideo', { chat_id: user.chatId, video: photoId })).toMatchObject({
      status: 400,
      json: { description: "Bad Request: can't use file of type Photo as Video" },
    });
    const album = await result<Message[]>('sendMediaGroup', {
      chat_id: user.chatId,
      media: [
        { type: 'photo', media: photoId, caption: 'one' },
        { type: 'photo', media: photoId },
      ],
    });
    expect(album.map((message) => message.media_group_id)).toEqual([
      album[0]?.media_group_id,
      album[0]?.media_group_id,
    ]);
  });

  it('edits like Telegram: not found, not modified, no text, keyboard removal', async () => {
    const user = emulator.user({ id: 3004, firstName: 'Edits' });
    await user.sendText('hi');
    const sent = await result<Message>('sendMessage', {
      chat_id: user.chatId,
      text: 'v1',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    expect(
      await call('editMessageText', { chat_id: user.chatId, message_id: 999, text: 'x' }),
    ).toMatchObject({
      status: 400,
      json: { description: 'Bad Request: message to edit not found' },
    });
    const same = await call('editMessageText', {
      chat_id: user.chatId,
      message_id: sent.message_id,
      text: 'v1',
      reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'a' }]] },
    });
    expect(same.json).toMatchObject({ ok: false, error_code: 400 });
    expect(same.json.ok ? '' : same.json.description).toMatch(
      /^Bad Request: message is not modified/,
    );

    const edited = await result<Message>('editMessageText', {
      chat_id: user.chatId,
      message_id: sent.message_id,
      text: 'v2',
    });
    expect(edited).toMatchObject({ text: 'v2', edit_date: expect.any(Number) });
    expect(edited.reply_markup).toBeUndefined();
    expect(
      await call('editMessageCaption', {
        chat_id: user.chatId,
        message_id: sent.message_id,
        caption: 'c',
      }),
    ).toMatchObject({
      json: { description: 'Bad Request: there is no caption in the message to edit' },
    });
    expect(
      await call('editMessageText', { chat_id: user.chatId, message_id: 1, text: 'mine now' }),
    ).toMatchObject({
      json: { description: "Bad Request: message can't be edited" },
    });
    await result('deleteMessage', { chat_id: user.chatId, message_id: sent.message_id });
    expect(user.botMessages()).toHaveLength(0);
    expect(
      await call('deleteMessage', { chat_id: user.chatId, message_id: sent.message_id }),
    ).toMatchObject({
      json: { description: 'Bad Request: message to delete not found' },
    });
  });

  it('validates keyboards, chats and blocked users', async () => {
    const user = emulator.user({ id: 3005, firstName: 'Checks' });
    expect(await call('sendMessage', { chat_id: user.chatId, text: 'x' })).toMatchObject({
      status: 400,
      json: { description: 'Bad Request: chat not found' },
    });
    await user.sendText('hi');
    expect(
      await call('sendMessage', {
        chat_id: user.chatId,
        text: 'x',
        reply_markup: { inline_keyboard: [[{ text: 'A', callback_data: 'x'.repeat(65) }]] },
      }),
    ).toMatchObject({ json: { description: 'Bad Request: BUTTON_DATA_INVALID' } });
    expect(await call('sendMessage', { chat_id: user.chatId, text: '   ' })).toMatchObject({
      json: { description: 'Bad Request: message text is empty' },
    });
    await user.blockBot();
    expect(await call('sendMessage', { chat_id: user.chatId, text: 'x' })).toMatchObject({
      status: 403,
      json: { description: 'Forbidden: bot was blocked by the user' },
    });
    await user.unblockBot();
    expect((await call('sendMessage', { chat_id: user.chatId, text: 'x' })).json.ok).toBe(true);
  });

  it('answers a callback query once and only before the deadline', async () => {
    const user = emulator.user({ id: 3006, firstName: 'Buttons' });
    await user.sendText('hi');
    const sent = await result<Message>('sendMessage', {
      chat_id: user.chatId,
      text: 'menu',
      reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] },
    });
    const press = await user.pressButton('Go', { messageId: sent.message_id });
    expect(
      (
        await call('answerCallbackQuery', {
          callback_query_id: press.queryId,
          text: 'ok',
          show_alert: true,
        })
      ).json.ok,
    ).toBe(true);
    expect(await press.answer()).toMatchObject({
      text: 'ok',
      showAlert: true,
      data: 'go',
      messageId: sent.message_id,
    });
    const tooOld =
      'Bad Request: query is too old and response timeout expired or query ID is invalid';
    expect(await call('answerCallbackQuery', { callback_query_id: press.queryId })).toMatchObject({
      json: { description: tooOld },
    });
    const late = await user.pressCallbackData('forged:payload', sent.message_id);
    await sleep(250);
    expect(await call('answerCallbackQuery', { callback_query_id: late.queryId })).toMatchObject({
      json: { description: tooOld },
    });
  });

  it('long-polls: waits for timeout, wakes on an update, confirms by offset, filters allowed_updates', async () => {
    // Drain whatever earlier tests queued.
    const drained = await result<Update[]>('getUpdates', { timeout: 0 });
    await result('getUpdates', { offset: (drained.at(-1)?.update_id ?? 0) + 1, timeout: 0 });

    let started = Date.now();
    expect(await result<Update[]>('getUpdates', { timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    const user = emulator.user({ id: 3007, firstName: 'Poll' });
    started = Date.now();
    setTimeout(() => void user.sendText('wake up'), 150);
    const woke = await result<Update[]>('getUpdates', { timeout: 5 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(woke.map((update) => update.message?.text)).toEqual(['wake up']);

    // Unconfirmed updates come again; a higher offset confirms them.
    const first = woke[0]?.update_id ?? 0;
    expect(
      (await result<Update[]>('getUpdates', { timeout: 0 })).map((update) => update.update_id),
    ).toEqual([first]);
    expect(await result<Update[]>('getUpdates', { offset: first + 1, timeout: 0 })).toEqual([]);

    await user.sendText('ignored');
    const press = await user.pressCallbackData('only-this');
    const filtered = await result<Update[]>('getUpdates', {
      allowed_updates: ['callback_query'],
      timeout: 0,
    });
    expect(filtered.map((update) => update.callback_query?.id)).toEqual([press.queryId]);
    expect(filtered[0]?.update_id).toBeGreaterThan(first + 1);
    await result('getUpdates', {
      offset: press.update.update_id + 1,
      allowed_updates: [],
      timeout: 0,
    });
  });

  it('terminates an older long poll with 409 when a newer one starts', async () => {
    const older = call('getUpdates', { timeout: 5 });
    await sleep(100);
    const newer = call('getUpdates', { timeout: 0 });
    expect(await older).toEqual({
      status: 409,
      json: {
        ok: false,
        error_code: 409,
        description:
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
      },
    });
    expect((await newer).json.ok).toBe(true);
  });

  it('injects 429, 5xx and dropped connections', async () => {
    emulator.injectFault('getMe', { kind: 'flood', retryAfter: 7 });
    emulator.injectFault('getMe', { kind: 'server-error', status: 502 });
    emulator.injectFault('getMe', { kind: 'drop-connection' });
    expect(await call('getMe')).toEqual({
      status: 429,
      json: {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 7',
        parameters: { retry_after: 7 },
      },
    });
    expect(await call('getMe')).toEqual({
      status: 502,
      json: { ok: false, error_code: 502, description: 'Bad Gateway' },
    });
    await expect(call('getMe')).rejects.toThrow();
    expect((await call('getMe')).json.ok).toBe(true);
  });

  it('loses the answer of a call it performed: the message is in the chat, the caller gets no reply', async () => {
    const user = emulator.user({ id: 3090 });
    await user.sendText('hi');
    emulator.injectFault('sendMessage', { kind: 'lose-answer' });
    await expect(
      call('sendMessage', { chat_id: 3090, text: 'stored, answer lost' }),
    ).rejects.toThrow();
    expect(user.botMessages().map((message) => message.text)).toEqual(['stored, answer lost']);
    expect(emulator.calls('sendMessage').at(-1)).toMatchObject({
      ok: false,
      description: expect.stringContaining('answer was lost'),
    });
  });

  it('stores commands per scope and language', async () => {
    await result('setMyCommands', { commands: [{ command: 'start', description: 'Start' }] });
    await result('setMyCommands', {
      commands: [{ command: 'start', description: 'Начать' }],
      language_code: 'ru',
    });
    expect(await result('getMyCommands', {})).toEqual([{ command: 'start', description: 'Start' }]);
    expect(emulator.commands(undefined, 'ru')).toEqual([
      { command: 'start', description: 'Начать' },
    ]);
    expect(
      await call('setMyCommands', { commands: [{ command: 'Bad-Name', description: 'x' }] }),
    ).toMatchObject({
      json: { description: 'Bad Request: BOT_COMMAND_INVALID' },
    });
    await result('deleteMyCommands', {});
    expect(await result('getMyCommands', {})).toEqual([]);
  });

  it('answers 413 to uploads above the limit, as grammY sees it', async () => {
    const small = await startTelegramEmulator({ limits: { uploadBytes: 64 * 1024 } });
    try {
      await small.user({ id: 3100 }).sendText('hi');
      const bot = new Bot(small.token, { client: { apiRoot: small.apiRoot } });
      await expect(
        bot.api.sendDocument(3100, new InputFile(Buffer.alloc(100 * 1024), 'big.bin')),
      ).rejects.toMatchObject({
        error_code: 413,
        description: 'Request Entity Too Large',
      });
    } finally {
      await small.close();
    }
  });
});
