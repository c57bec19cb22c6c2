import type { Context } from 'grammy';
import type { UserCommandOutcome } from '../commands/user-commands.js';
import type { Actor } from '../domain/events/metadata.js';
import type { AwaitedInputKind, Language } from '../domain/events/values.js';
import type { UserCommand } from '../domain/user/commands.js';
import type { UserState } from '../domain/user/state.js';
import type { Position } from '../ports/event-store/position.js';
import type { BotDeps } from './bot-deps.js';
import type { CallbackAction } from './callback-data.js';
import { languageFromCode, t, type Messages } from './i18n/index.js';
import type { ScreenRegistry } from './screens.js';

/**
 * What one update carries through the middleware: who sent it, their state as of now (folded from
 * their event stream), their language, and the one way to change anything — a command whose id
 * is derived from the update, so a redelivered update (even after a restart) changes nothing.
 */
export class Scope {
  lang: Language;
  t: Messages;
  state: UserState;
  /** The decoded button payload; null for an undecodable one, undefined outside callbacks. */
  action: CallbackAction | null | undefined = undefined;
  justRegistered = false;
  callbackAnswered = false;
  /** The newest position this update wrote, for read-your-writes on the read models. */
  lastPosition: Position | undefined;
  private commandCount = 0;

  constructor(
    readonly deps: BotDeps,
    readonly updateId: number,
    readonly userId: number,
    readonly languageCode: string | undefined,
    state: UserState,
    readonly screens: ScreenRegistry,
  ) {
    this.state = state;
    this.lang = state.registered ? state.language : languageFromCode(languageCode);
    this.t = t(this.lang);
  }

  get isAdmin(): boolean {
    return this.userId > 0 && this.deps.config.ADMIN_IDS.includes(this.userId);
  }

  /** `tg:<update_id>:<n>`: the n-th command of this update. */
  nextCommandId(): string {
    const id = `tg:${this.updateId}:${this.commandCount}`;
    this.commandCount += 1;
    return id;
  }

  /** An id for things this update creates (a generation, an edit, an upload): stable across redeliveries. */
  derivedId(prefix: string): string {
    return `${prefix}-${this.userId}-${this.updateId}`;
  }

  /** A command on the sender's own stream, as the sender. */
  async exec(command: UserCommand): Promise<UserCommandOutcome> {
    const outcome = await this.deps.users.execute(this.userId, command, {
      commandId: this.nextCommandId(),
      actor: { kind: 'user', id: String(this.userId) },
    });
    this.adopt(outcome.state);
    if (outcome.ok && outcome.position) this.lastPosition = outcome.position;
    return outcome;
  }

  /** A command on another user's stream (admins, feedback answers), naming the admin as actor. */
  async execFor(telegramId: number, command: UserCommand, actor: Actor): Promise<UserCommandOutcome> {
    const outcome = await this.deps.users.execute(telegramId, command, { commandId: this.nextCommandId(), actor });
    if (telegramId === this.userId) this.adopt(outcome.state);
    if (outcome.ok && outcome.position) this.lastPosition = outcome.position;
    return outcome;
  }

  /** Records which input the next plain message answers; a no-op when it already is. */
  async awaitInput(input: AwaitedInputKind | null): Promise<void> {
    if (!this.state.registered || this.state.awaitedInput === input) return;
    await this.exec({ type: 'AwaitInput', input });
  }

  setLanguage(language: Language): void {
    this.lang = language;
    this.t = t(language);
  }

  private adopt(state: UserState): void {
    this.state = state;
    if (state.registered && state.language !== this.lang) this.setLanguage(state.language);
  }
}

export type BotContext = Context & { scope: Scope };
