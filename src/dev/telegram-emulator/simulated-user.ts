import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type {
  CallbackQuery,
  Chat,
  InlineKeyboardButton,
  Message,
  Update,
  User,
} from 'grammy/types';
import { detectEntities } from './auto-entities.js';
import type { CallbackAnswer } from './callback-queries.js';
import { mediaOf, toChatMessage, type ChatMessage } from './chat-message.js';
import type { ChatActionRecord, ChatRecord } from './chat-store.js';
import { chatTranscript, describeMessage } from './chat-transcript.js';
import { unixSeconds, type EmulatorState } from './emulator-state.js';
import { mediaFields, type SendableMedia } from './methods/media-fields.js';
import { mimeTypeFor } from './mime-types.js';
import { payInvoice, type PaymentOutcome, type PayOptions } from './payment-flow.js';
import type { UpdateContent } from './update-queue.js';

export interface UserProfile {
  readonly id: number;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly username?: string;
  readonly languageCode?: string;
  readonly isPremium?: boolean;
}

/** What a user action put into the bot's update queue. */
export interface SentUpdate {
  readonly update: Update;
  readonly message?: Message;
}

export interface MediaOptions {
  readonly fileName?: string;
  readonly mimeType?: string;
  readonly caption?: string;
  readonly duration?: number;
  readonly width?: number;
  readonly height?: number;
}

export interface PressedButton {
  readonly queryId: string;
  readonly data: string;
  readonly messageId: number | undefined;
  readonly update: Update;
  /** The bot's answerCallbackQuery for this press; rejects if none comes in time. */
  answer(timeoutMs?: number): Promise<CallbackAnswer>;
}

export type MessageMatcher = string | RegExp | ((message: ChatMessage) => boolean);
export type ButtonMatcher =
  string | RegExp | ((button: InlineKeyboardButton, message: ChatMessage) => boolean);

export interface WaitOptions {
  readonly timeoutMs?: number;
  /**
   * Which changes count: 'last-action' (default) — bot messages sent or edited since this user's
   * last action, so a reply that beat the waitFor call is still seen but stale ones are not;
   * 'now' — only future changes; 'any' — the whole history; or a revision number.
   */
  readonly since?: 'last-action' | 'now' | 'any' | number;
  /** Another chat of this user, e.g. a group from sendInGroup. */
  readonly chatId?: number;
}

const DEFAULT_WAIT_MS = 5000;

/**
 * A Telegram user talking to the bot. Actions enqueue updates exactly as Telegram would deliver
 * them; inspection reads the chat as the user's app would render it.
 */
export class SimulatedUser {
  readonly user: User;
  private lastActionRevision = 0;
  private readonly queryIds = new Set<string>();

  constructor(
    private readonly state: EmulatorState,
    profile: UserProfile,
  ) {
    this.user = {
      id: profile.id,
      is_bot: false,
      first_name: profile.firstName ?? `User${profile.id}`,
      ...(profile.lastName === undefined ? {} : { last_name: profile.lastName }),
      ...(profile.username === undefined ? {} : { username: profile.username }),
      ...(profile.languageCode === undefined ? {} : { language_code: profile.languageCode }),
      ...(profile.isPremium ? { is_premium: true as const } : {}),
    };
    state.users.set(profile.id, this.user);
  }

  /** Private chats share the user's id. */
  get chatId(): number {
    return this.user.id;
  }

  // ---- actions ----

  async sendText(text: string, options: { replyToMessageId?: number } = {}): Promise<SentUpdate> {
    return this.sendMessage(this.privateChat(), textContent(text), options.replyToMessageId);
  }

  /** `/start`, `/start payload` or `sendCommand('start', 'payload')`. */
  async sendCommand(command: string, payload?: string): Promise<SentUpdate> {
    const name = command.startsWith('/') ? command : `/${command}`;
    return this.sendText(payload === undefined ? name : `${name} ${payload}`);
  }

  async sendVideo(source: string | Uint8Array, options: MediaOptions = {}): Promise<SentUpdate> {
    return this.sendMedia('video', source, options);
  }

  async sendDocument(source: string | Uint8Array, options: MediaOptions = {}): Promise<SentUpdate> {
    return this.sendMedia('document', source, options);
  }

  async sendPhoto(
    source: string | Uint8Array,
    options: Pick<MediaOptions, 'caption' | 'fileName'> = {},
  ): Promise<SentUpdate> {
    return this.sendMedia('photo', source, options);
  }

  async sendVoice(
    source: string | Uint8Array,
    options: Pick<MediaOptions, 'duration' | 'mimeType'> = {},
  ): Promise<SentUpdate> {
    return this.sendMedia('voice', source, { ...options, fileName: 'voice.oga' });
  }

  /** A sticker (a small WebP, stored for getFile). */
  async sendSticker(emoji = '👍'): Promise<SentUpdate> {
    const file = await this.state.files.save(Buffer.from('RIFF\u0000\u0000\u0000\u0000WEBPVP8 '), {
      kind: 'sticker',
      mimeType: 'image/webp',
    });
    const sticker = {
      file_id: file.fileId,
      file_unique_id: file.fileUniqueId,
      file_size: file.size,
      type: 'regular' as const,
      width: 512,
      height: 512,
      is_animated: false,
      is_video: false,
      emoji,
    };
    return this.sendContent({ sticker });
  }

  async sendLocation(latitude: number, longitude: number): Promise<SentUpdate> {
    return this.sendContent({ location: { latitude, longitude } });
  }

  async sendContact(phoneNumber: string, firstName: string): Promise<SentUpdate> {
    return this.sendContent({ contact: { phone_number: phoneNumber, first_name: firstName } });
  }

  async sendPoll(question: string, options: readonly string[]): Promise<SentUpdate> {
    const poll = {
      id: `poll-${this.user.id}-${Date.now()}`,
      question,
      options: options.map((text, i) => ({ persistent_id: String(i), text, voter_count: 0 })),
      total_voter_count: 0,
      is_closed: false,
      is_anonymous: true,
      type: 'regular' as const,
      allows_multiple_answers: false,
      allows_revoting: false,
      members_only: false,
    };
    return this.sendContent({ poll });
  }

  /** A text the user forwards from another chat (forward_origin says where it came from). */
  async forwardText(
    text: string,
    origin: { senderName: string; date?: number } = { senderName: 'Someone' },
  ): Promise<SentUpdate> {
    return this.sendContent({
      ...textContent(text),
      forward_origin: {
        type: 'hidden_user',
        sender_user_name: origin.senderName,
        date: origin.date ?? unixSeconds(this.state),
      },
    });
  }

  /** Any other kind of message content (dice, venue, video note…), as Telegram would deliver it. */
  async sendContent(content: Partial<Message>): Promise<SentUpdate> {
    return this.sendMessage(this.privateChat(), content);
  }

  /** A message in a group chat the bot is in (created on first use). */
  async sendInGroup(
    text: string,
    options: { chatId?: number; title?: string } = {},
  ): Promise<SentUpdate> {
    const id = options.chatId ?? -(1_000_000_000 + (this.user.id % 1_000_000_000));
    const chat: Chat = { id, type: 'group', title: options.title ?? `Group ${-id}` };
    return this.sendMessage(this.state.chats.ensure(chat), textContent(text));
  }

  /** The user edits one of their own text messages. */
  async editText(messageId: number, text: string): Promise<SentUpdate> {
    const stored = this.state.chats.find(this.chatId, messageId);
    if (stored === undefined || stored.sender !== 'user')
      throw new Error(`user message #${messageId} not found in chat ${this.chatId}`);
    this.markAction();
    const edited = {
      ...stored.message,
      ...textContent(text),
      edit_date: unixSeconds(this.state),
    } as Message;
    this.state.chats.edit(stored, edited, undefined);
    return {
      update: this.state.updates.push({ edited_message: edited } as UpdateContent),
      message: edited,
    };
  }

  /** The user edits the caption of one of their own media messages. */
  async editCaption(messageId: number, caption: string): Promise<SentUpdate> {
    const stored = this.state.chats.find(this.chatId, messageId);
    if (stored === undefined || stored.sender !== 'user')
      throw new Error(`user message #${messageId} not found in chat ${this.chatId}`);
    this.markAction();
    const { caption_entities: _old, ...rest } = stored.message;
    const edited = {
      ...rest,
      ...captionContent(caption),
      edit_date: unixSeconds(this.state),
    } as Message;
    this.state.chats.edit(stored, edited, undefined);
    return {
      update: this.state.updates.push({ edited_message: edited } as UpdateContent),
      message: edited,
    };
  }

  /**
   * Presses an inline button with callback_data. Searches the given message, or the chat's bot
   * messages from the newest back, for a button whose text equals / matches `matcher`.
   */
  async pressButton(
    matcher: ButtonMatcher,
    options: { messageId?: number } = {},
  ): Promise<PressedButton> {
    const candidates = this.messages()
      .filter(
        (message) =>
          message.sender === 'bot' &&
          (options.messageId === undefined || message.messageId === options.messageId),
      )
      .reverse();
    for (const message of candidates) {
      for (const button of (message.inlineKeyboard ?? []).flat()) {
        if (!buttonMatches(matcher, button, message)) continue;
        if ('pay' in button && button.pay === true) {
          throw new Error(
            `button "${button.text}" in message #${message.messageId} is a Pay button: use payInvoice(message)`,
          );
        }
        if (!('callback_data' in button) || button.callback_data === undefined) {
          throw new Error(
            `button "${button.text}" in message #${message.messageId} has no callback_data: ${JSON.stringify(button)}`,
          );
        }
        return this.pressCallbackData(button.callback_data, message.messageId);
      }
    }
    throw new Error(
      `no inline button matches ${String(matcher)}${options.messageId === undefined ? '' : ` in message #${options.messageId}`}\n${this.transcript()}`,
    );
  }

  /** Sends callback data that need not belong to any button — for forged-payload tests. */
  async pressCallbackData(data: string, messageId?: number): Promise<PressedButton> {
    this.markAction();
    const chat = this.privateChat();
    const stored =
      messageId === undefined ? undefined : this.state.chats.find(chat.chat.id, messageId);
    const message: CallbackQuery['message'] | undefined =
      stored !== undefined
        ? stored.message
        : messageId === undefined
          ? undefined
          : { chat: chat.chat, message_id: messageId, date: 0 };
    const query: CallbackQuery = {
      id: this.state.callbacks.nextId(this.user.id),
      from: this.user,
      chat_instance: chat.chatInstance,
      data,
      ...(message === undefined ? {} : { message }),
    };
    this.state.callbacks.register(query);
    this.queryIds.add(query.id);
    const update = this.state.updates.push({ callback_query: query });
    return {
      queryId: query.id,
      data,
      messageId,
      update,
      answer: (timeoutMs = DEFAULT_WAIT_MS) =>
        this.state.callbacks.waitForAnswer(query.id, timeoutMs),
    };
  }

  /**
   * Pays an invoice message (or its id in the private chat) with Stars: the bot gets a
   * pre_checkout_query and must answer within the emulator's preCheckoutTimeoutMs. Resolves
   * 'paid' (charged, successful_payment sent), 'declined' (ok:false, the user saw the error
   * message) or 'expired' (no answer in time, purchase cancelled). An invoice can be paid once:
   * after that its Pay button is a receipt.
   */
  async payInvoice(
    invoice: ChatMessage | number,
    options: PayOptions = {},
  ): Promise<PaymentOutcome> {
    const chatId = typeof invoice === 'number' ? this.chatId : invoice.chatId;
    const messageId = typeof invoice === 'number' ? invoice : invoice.messageId;
    const record = this.state.stars.invoiceOfMessage(chatId, messageId);
    if (record === undefined || this.state.chats.find(chatId, messageId) === undefined) {
      throw new Error(
        `message #${messageId} in chat ${chatId} is not an invoice the bot sent\n${this.transcript({ chatId })}`,
      );
    }
    const paid = this.state.stars.chargeOfMessage(chatId, messageId);
    if (paid !== undefined)
      throw new Error(
        `invoice #${messageId} in chat ${chatId} is already paid (charge ${paid.chargeId})`,
      );
    this.markAction();
    return payInvoice(this.state, this.user, record, options);
  }

  /**
   * Pays an invoice link from createInvoiceLink (a t.me/$… link); links can be paid again and
   * again.
   */
  async payInvoiceLink(link: string, options: PayOptions = {}): Promise<PaymentOutcome> {
    const record = this.state.stars.invoiceOfLink(link);
    if (record === undefined) throw new Error(`${link} is not an invoice link the bot created`);
    this.markAction();
    return payInvoice(this.state, this.user, record, options);
  }

  /** Any update, verbatim. With an update_id already used it is a duplicate delivery. */
  async sendRaw(update: Update | UpdateContent): Promise<SentUpdate> {
    this.markAction();
    if ('update_id' in update && typeof update.update_id === 'number') {
      this.state.updates.pushRaw(update);
      return { update };
    }
    return { update: this.state.updates.push(update) };
  }

  /** The user blocks the bot: sends answer 403 and the bot gets a my_chat_member update. */
  async blockBot(): Promise<void> {
    this.setBlocked(true);
  }

  async unblockBot(): Promise<void> {
    this.setBlocked(false);
  }

  // ---- inspection ----

  /** The private chat (or `chatId`) in message order; deleted messages only when asked. */
  messages(options: { chatId?: number; includeDeleted?: boolean } = {}): ChatMessage[] {
    const chat = this.state.chats.get(options.chatId ?? this.chatId);
    if (chat === undefined) return [];
    return [...chat.messages.values()]
      .filter((stored) => options.includeDeleted === true || !stored.deleted)
      .sort((a, b) => a.messageId - b.messageId)
      .map(toChatMessage);
  }

  botMessages(options: { chatId?: number } = {}): ChatMessage[] {
    return this.messages(options).filter((message) => message.sender === 'bot');
  }

  lastBotMessage(options: { chatId?: number } = {}): ChatMessage | undefined {
    return this.botMessages(options).at(-1);
  }

  /** Resolves with the first bot message — new or edited — that matches; see WaitOptions.since. */
  waitFor(matcher: MessageMatcher, options: WaitOptions = {}): Promise<ChatMessage> {
    const chatId = options.chatId ?? this.chatId;
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const since =
      options.since === undefined || options.since === 'last-action'
        ? this.lastActionRevision
        : options.since === 'now'
          ? this.state.chats.currentRevision()
          : options.since === 'any'
            ? 0
            : options.since;
    const matches = (message: ChatMessage): boolean =>
      message.sender === 'bot' &&
      !message.deleted &&
      message.revision > since &&
      messageMatches(matcher, message);

    const existing = this.botMessages({ chatId })
      .filter(matches)
      .sort((a, b) => a.revision - b.revision)[0];
    if (existing !== undefined) return Promise.resolve(existing);

    return new Promise((resolve, reject) => {
      const unsubscribe = this.state.chats.onChange((change) => {
        if (change.stored.chatId !== chatId || change.kind === 'deleted') return;
        const message = toChatMessage(change.stored);
        if (!matches(message)) return;
        clearTimeout(timer);
        unsubscribe();
        resolve(message);
      });
      const timer = setTimeout(() => {
        unsubscribe();
        reject(
          new Error(
            `waitFor(${String(matcher)}) timed out after ${timeoutMs} ms\n${this.transcript({ chatId })}`,
          ),
        );
      }, timeoutMs);
    });
  }

  /** Bytes of the media (the video, the largest photo, the document…) of a message. */
  async downloadMedia(
    message: ChatMessage | number,
    options: { chatId?: number } = {},
  ): Promise<Buffer> {
    const messageId = typeof message === 'number' ? message : message.messageId;
    const chatId = typeof message === 'number' ? (options.chatId ?? this.chatId) : message.chatId;
    const stored = this.state.chats.get(chatId)?.messages.get(messageId);
    if (stored === undefined) throw new Error(`message #${messageId} not found in chat ${chatId}`);
    const media = mediaOf(stored.message);
    if (media === undefined)
      throw new Error(
        `message #${messageId} has no media: ${describeMessage(toChatMessage(stored))}`,
      );
    const file = this.state.files.get(media.fileId);
    if (file === undefined)
      throw new Error(`file ${media.fileId} of message #${messageId} is not stored`);
    return this.state.files.read(file);
  }

  /** The bot's answers to this user's button presses, in answer order. */
  callbackAnswers(): CallbackAnswer[] {
    return this.state.callbacks.answers().filter((answer) => this.queryIds.has(answer.queryId));
  }

  /** sendChatAction calls for the private chat ("typing", "upload_video"…). */
  chatActions(): ChatActionRecord[] {
    return [...(this.state.chats.get(this.chatId)?.actions ?? [])];
  }

  transcript(options: { chatId?: number } = {}): string {
    const chatId = options.chatId ?? this.chatId;
    return chatTranscript(
      `Chat ${chatId} (${this.user.first_name})`,
      this.messages({ chatId, includeDeleted: true }),
      this.state.calls.failures().slice(-5),
      this.state.preCheckout.ofUser(this.user.id),
    );
  }

  // ---- internals ----

  private privateChat(): ChatRecord {
    const chat: Chat = {
      id: this.user.id,
      type: 'private',
      first_name: this.user.first_name,
      ...(this.user.last_name === undefined ? {} : { last_name: this.user.last_name }),
      ...(this.user.username === undefined ? {} : { username: this.user.username }),
    };
    return this.state.chats.ensure(chat, this.user);
  }

  private markAction(): void {
    this.lastActionRevision = this.state.chats.currentRevision();
  }

  private sendMessage(
    chat: ChatRecord,
    content: Partial<Message>,
    replyToMessageId?: number,
  ): SentUpdate {
    this.markAction();
    const replyTo =
      replyToMessageId === undefined
        ? undefined
        : this.state.chats.find(chat.chat.id, replyToMessageId)?.message;
    const stored = this.state.chats.append(chat, 'user', (messageId) => ({
      message_id: messageId,
      from: this.user,
      chat: chat.chat,
      date: unixSeconds(this.state),
      ...(replyTo === undefined
        ? {}
        : { reply_to_message: replyTo as Message & { reply_to_message: undefined } }),
      ...content,
    }));
    return {
      update: this.state.updates.push({ message: stored.message } as UpdateContent),
      message: stored.message,
    };
  }

  private async sendMedia(
    kind: SendableMedia,
    source: string | Uint8Array,
    options: MediaOptions,
  ): Promise<SentUpdate> {
    const bytes = typeof source === 'string' ? await readFile(source) : Buffer.from(source);
    const fileName =
      options.fileName ?? (typeof source === 'string' ? basename(source) : undefined);
    const mimeType = mimeTypeFor(fileName, options.mimeType);
    const file = await this.state.files.save(bytes, {
      kind,
      ...(fileName === undefined ? {} : { fileName }),
      ...(mimeType === undefined ? {} : { mimeType }),
    });
    const content: Partial<Message> = {
      ...mediaFields(kind, file, {
        width: options.width,
        height: options.height,
        duration: options.duration,
      }),
      ...(options.caption === undefined ? {} : captionContent(options.caption)),
    };
    return this.sendMessage(this.privateChat(), content);
  }

  private setBlocked(blocked: boolean): void {
    this.markAction();
    const chat = this.privateChat();
    chat.blocked = blocked;
    const date = unixSeconds(this.state);
    this.state.updates.push({
      my_chat_member: {
        chat: chat.chat,
        from: this.user,
        date,
        old_chat_member: blocked
          ? { status: 'member', user: this.state.bot }
          : { status: 'kicked', user: this.state.bot, until_date: 0 },
        new_chat_member: blocked
          ? { status: 'kicked', user: this.state.bot, until_date: 0 }
          : { status: 'member', user: this.state.bot },
      },
    });
  }
}

function textContent(text: string): Partial<Message> {
  const entities = detectEntities(text);
  return { text, ...(entities.length === 0 ? {} : { entities }) };
}

function captionContent(caption: string): Partial<Message> {
  const entities = detectEntities(caption);
  return { caption, ...(entities.length === 0 ? {} : { caption_entities: entities }) };
}

function messageMatches(matcher: MessageMatcher, message: ChatMessage): boolean {
  if (typeof matcher === 'function') return matcher(message);
  // An invoice has no text; its title and description are what the user reads.
  const body =
    message.text ??
    message.caption ??
    (message.invoice === undefined
      ? ''
      : `${message.invoice.title}\n${message.invoice.description}`);
  return typeof matcher === 'string' ? body.includes(matcher) : matcher.test(body);
}

function buttonMatches(
  matcher: ButtonMatcher,
  button: InlineKeyboardButton,
  message: ChatMessage,
): boolean {
  if (typeof matcher === 'function') return matcher(button, message);
  return typeof matcher === 'string' ? button.text === matcher : matcher.test(button.text);
}
