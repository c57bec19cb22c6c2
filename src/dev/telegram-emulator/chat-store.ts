import { randomBytes } from 'node:crypto';
import type { Chat, Message, User } from 'grammy/types';
import type { ReplyMarkup } from './reply-markup.js';

export type Sender = 'bot' | 'user';

/** An earlier state of an edited message. */
export interface MessageRevision {
  readonly at: number;
  readonly message: Message;
  readonly replyMarkup: ReplyMarkup | undefined;
}

export interface StoredMessage {
  readonly chatId: number;
  readonly messageId: number;
  readonly sender: Sender;
  /** Current state, shaped exactly as the Bot API returns it. */
  message: Message;
  /** Any markup, including reply keyboards, which Telegram never echoes back in a Message. */
  replyMarkup: ReplyMarkup | undefined;
  /** Send parameters that have no place in a Message (supports_streaming, protect_content…). */
  sendOptions: Record<string, unknown>;
  readonly history: MessageRevision[];
  deleted: boolean;
  /** Global change counter at the last change; lets waiters ask "anything new since X?". */
  revision: number;
}

export interface ChatActionRecord {
  readonly action: string;
  readonly at: number;
}

export interface ChatRecord {
  readonly chat: Chat;
  /** The other party of a private chat. */
  readonly user?: User;
  nextMessageId: number;
  readonly messages: Map<number, StoredMessage>;
  readonly actions: ChatActionRecord[];
  /** The user blocked the bot: sends answer 403. */
  blocked: boolean;
  readonly chatInstance: string;
}

export interface ChatChange {
  readonly kind: 'created' | 'edited' | 'deleted';
  readonly stored: StoredMessage;
}

/** Chats and their message histories; message ids count per chat, as on Telegram. */
export class ChatStore {
  private readonly chats = new Map<number, ChatRecord>();
  private readonly listeners = new Set<(change: ChatChange) => void>();
  private revisionCounter = 0;

  constructor(private readonly now: () => number) {}

  get(chatId: number | string): ChatRecord | undefined {
    if (typeof chatId === 'number') return this.chats.get(chatId);
    const username = chatId.replace(/^@/, '').toLowerCase();
    return [...this.chats.values()].find(
      (record) => record.chat.username?.toLowerCase() === username,
    );
  }

  all(): ChatRecord[] {
    return [...this.chats.values()];
  }

  ensure(chat: Chat, user?: User): ChatRecord {
    const existing = this.chats.get(chat.id);
    if (existing !== undefined) return existing;
    const record: ChatRecord = {
      chat,
      ...(user === undefined ? {} : { user }),
      nextMessageId: 1,
      messages: new Map(),
      actions: [],
      blocked: false,
      chatInstance: BigInt(`0x${randomBytes(8).toString('hex')}`)
        .toString()
        .slice(0, 19),
    };
    this.chats.set(chat.id, record);
    return record;
  }

  append(
    chat: ChatRecord,
    sender: Sender,
    build: (messageId: number) => Message,
    extras: { replyMarkup?: ReplyMarkup | undefined; sendOptions?: Record<string, unknown> } = {},
  ): StoredMessage {
    const messageId = chat.nextMessageId++;
    const stored: StoredMessage = {
      chatId: chat.chat.id,
      messageId,
      sender,
      message: build(messageId),
      replyMarkup: extras.replyMarkup,
      sendOptions: extras.sendOptions ?? {},
      history: [],
      deleted: false,
      revision: ++this.revisionCounter,
    };
    chat.messages.set(messageId, stored);
    this.emit({ kind: 'created', stored });
    return stored;
  }

  edit(stored: StoredMessage, message: Message, replyMarkup: ReplyMarkup | undefined): void {
    stored.history.push({
      at: this.now(),
      message: stored.message,
      replyMarkup: stored.replyMarkup,
    });
    stored.message = message;
    stored.replyMarkup = replyMarkup;
    stored.revision = ++this.revisionCounter;
    this.emit({ kind: 'edited', stored });
  }

  delete(stored: StoredMessage): void {
    stored.deleted = true;
    stored.revision = ++this.revisionCounter;
    this.emit({ kind: 'deleted', stored });
  }

  /** A live (not deleted) message. */
  find(chatId: number, messageId: number): StoredMessage | undefined {
    const stored = this.chats.get(chatId)?.messages.get(messageId);
    return stored === undefined || stored.deleted ? undefined : stored;
  }

  currentRevision(): number {
    return this.revisionCounter;
  }

  onChange(listener: (change: ChatChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: ChatChange): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
