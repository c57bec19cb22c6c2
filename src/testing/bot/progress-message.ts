import type {
  DeliveryTarget,
  ProgressMessage,
  ProgressMessageRef,
} from '../../ports/user-notifier.js';

/**
 * A generation's progress message as a run hands it to the notifier, with the generation's events
 * stood in for by a list: `recorded` is what the run would have appended as ProgressMessagePosted.
 */
export class ListedProgressMessage implements ProgressMessage {
  readonly recorded: ProgressMessageRef[] = [];

  constructor(private ref: ProgressMessageRef | null = null) {}

  current(): ProgressMessageRef | null {
    return this.ref;
  }

  async record(ref: ProgressMessageRef): Promise<void> {
    this.ref = ref;
    this.recorded.push(ref);
  }
}

/**
 * A notifier call's target: one generation of one user, its progress message as given (none by
 * default).
 */
export function targetOf(
  userId: number,
  generationId: string,
  language: 'ru' | 'en',
  progressMessage: ProgressMessage = new ListedProgressMessage(),
): DeliveryTarget {
  return { userId, generationId, language, progressMessage };
}
