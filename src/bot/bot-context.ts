import { AppError } from '../errors/app-error.js';
import type { Context } from 'grammy';
import { StaleStateError } from '../commands/command-handler.js';
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
 * Thrown into an update's handlers once its scope turned out stale: nothing of it may be shown or
 * recorded.
 */
export class StaleScopeError extends AppError {
  override readonly name = 'StaleScopeError';
  readonly code = 'STALE_SCOPE';
  readonly retryable = true;
  constructor(readonly userId: number) {
    super(
      `the state update handling started from is behind user ${userId}'s stream; the update starts over`,
    );
  }
}

/**
 * The sender's state as an update starts from it: read from the stream, or as this process last saw
 * it.
 */
export interface ScopeState {
  readonly state: UserState;
  /** The stream revision `state` is at (-1 for no stream). */
  readonly revision: bigint;
  /** True when read from the stream for this update; false for this process's unread copy. */
  readonly verified: boolean;
}

/**
 * What one update carries through the middleware: who sent it, their state as of now (folded from
 * their event stream), their language, and the one way to change anything — a command whose id
 * is derived from the update, so a redelivered update (even after a restart) changes nothing.
 *
 * The state may start as this process's unread copy of the stream. It is proven current before
 * anything leaves the process: by the update's first command (appended at that very revision, or
 * refused as stale) or, before a first Bot API call with no command yet, by reading the stream.
 * A copy found stale marks the scope `stale`: from then on every command and API call of the
 * update throws, and the update starts over from the stream (`loadScope`).
 */
export class Scope {
  lang: Language;
  t: Messages;
  state: UserState;
  /** The decoded button payload; null for an undecodable one, undefined outside callbacks. */
  action: CallbackAction | null | undefined = undefined;
  justRegistered = false;
  /**
   * The answer to the pressed button, chosen by the first handler that gives one; sent once, when
   * the update is done (see `sendAnswer`).
   */
  callbackAnswer: CallbackAnswer | undefined;
  /** Whether the button's answer went out (Telegram takes one answer per press). */
  callbackAnswered = false;
  /** The newest position this update wrote, for read-your-writes on the read models. */
  lastPosition: Position | undefined;
  /** Set when the state this update started from proved behind the stream. */
  stale = false;
  private commandCount = 0;
  private verified: boolean;
  private verifying: Promise<void> | undefined;
  private readonly startRevision: bigint;

  constructor(
    readonly deps: BotDeps,
    readonly updateId: number,
    readonly userId: number,
    readonly languageCode: string | undefined,
    start: ScopeState,
    readonly screens: ScreenRegistry,
  ) {
    this.state = start.state;
    this.startRevision = start.revision;
    this.verified = start.verified || userId <= 0;
    this.lang = this.state.registered ? this.state.language : languageFromCode(languageCode);
    this.t = t(this.lang);
  }

  /**
   * Before anything is shown: proves the starting state current, reading the stream once when no
   * command has done so. Throws StaleScopeError when it is not (and for good once it was not).
   */
  async verify(): Promise<void> {
    if (this.stale) throw new StaleScopeError(this.userId);
    if (this.verified) return;
    // Concurrent calls of one update share the read.
    this.verifying ??= this.deps.users.load(this.userId).then(({ revision }) => {
      if (revision !== this.startRevision) this.stale = true;
      else this.verified = true;
    });
    try {
      await this.verifying;
    } finally {
      this.verifying = undefined;
    }
    if (this.stale) throw new StaleScopeError(this.userId);
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

  /**
   * An id for things this update creates (a generation, an edit, an upload): stable across
   * redeliveries.
   */
  derivedId(prefix: string): string {
    return `${prefix}-${this.userId}-${this.updateId}`;
  }

  /** A command on the sender's own stream, as the sender. */
  async exec(command: UserCommand): Promise<UserCommandOutcome> {
    if (this.stale) throw new StaleScopeError(this.userId);
    let outcome: UserCommandOutcome;
    try {
      outcome = await this.deps.users.execute(
        this.userId,
        command,
        { commandId: this.nextCommandId(), actor: { kind: 'user', id: String(this.userId) } },
        // The command was chosen on the starting state: it holds only at that revision.
        this.verified ? {} : { basedOn: this.startRevision },
      );
    } catch (error) {
      if (error instanceof StaleStateError) return this.markStale();
      throw error;
    }
    // An append at the starting revision, or a decision on a fresh read, proves it; a repeat
    // answered from memory does not.
    if (!(outcome.ok && outcome.duplicate)) this.verified = true;
    this.adopt(outcome.state);
    if (outcome.ok && outcome.position) this.lastPosition = outcome.position;
    return outcome;
  }

  /** A command on another user's stream (admins, feedback answers), naming the admin as actor. */
  async execFor(
    telegramId: number,
    command: UserCommand,
    actor: Actor,
  ): Promise<UserCommandOutcome> {
    if (telegramId === this.userId) await this.verify();
    else if (this.stale) throw new StaleScopeError(this.userId);
    const outcome = await this.deps.users.execute(telegramId, command, {
      commandId: this.nextCommandId(),
      actor,
    });
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

  private markStale(): never {
    this.stale = true;
    throw new StaleScopeError(this.userId);
  }

  private adopt(state: UserState): void {
    this.state = state;
    if (state.registered && state.language !== this.lang) this.setLanguage(state.language);
  }
}

/** A button press's answer: silent, a toast, or an alert. */
export interface CallbackAnswer {
  readonly text?: string;
  readonly alert?: boolean;
}

export type BotContext = Context & { scope: Scope };
