import type { EventStore, RecordedEvent } from '../../ports/event-store/event-store.js';
import type { Position } from '../../ports/event-store/position.js';

/** What the event log says about the generation behind one delivered Telegram message. */
export interface DeliveredVideoFacts {
  readonly generationId: string;
  readonly format: string;
  /** `AudioSynthesized.durationSec`: the speech the video has to last as long as. */
  readonly speechDurationSec: number;
  /**
   * `TalkingHeadGenerated`: who made the talking head and whether its mouth moves with the speech.
   */
  readonly talkingHead: { readonly provider: string; readonly lipSync: boolean };
  /** `GenerationCompleted`: what the pipeline measured on the file it delivered. */
  readonly completed: {
    readonly durationSec: number;
    readonly width: number;
    readonly height: number;
    readonly providers: Record<string, string>;
  };
}

/**
 * Finds the generation whose `VideoDelivered` names this chat and message, and reads its speech
 * and completion facts from its stream. The user can see the message a moment before the pipeline
 * appends `VideoDelivered`, so this waits for it.
 */
export async function deliveredVideoFacts(
  store: EventStore,
  chatId: number,
  messageId: number,
  timeoutMs = 15_000,
): Promise<DeliveredVideoFacts> {
  const deadline = Date.now() + timeoutMs;
  let after: Position | undefined;
  for (;;) {
    const batch = await store.readAll({
      ...(after ? { after } : {}),
      eventTypes: ['VideoDelivered'],
      maxCount: 500,
    });
    const delivered = batch.events.find(
      (event) => event.data.chatId === chatId && event.data.messageId === messageId,
    );
    if (delivered)
      return factsOf(await store.readStream(delivered.streamName), delivered.streamName);
    after = batch.lastPosition;
    if (batch.isEnd) {
      if (Date.now() > deadline)
        throw new Error(
          `no VideoDelivered for message ${messageId} in chat ${chatId} within ${timeoutMs} ms`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function factsOf(events: readonly RecordedEvent[], streamName: string): DeliveredVideoFacts {
  const data = (type: string) => {
    const found = events.findLast((event) => event.type === type);
    if (!found) throw new Error(`${streamName} has no ${type}`);
    return found.data;
  };
  const started = data('GenerationStarted');
  const audio = data('AudioSynthesized');
  const completed = data('GenerationCompleted');
  const head = data('TalkingHeadGenerated');
  return {
    generationId: String(started.generationId),
    format: String(started.format),
    speechDurationSec: Number(audio.durationSec),
    talkingHead: { provider: String(head.provider), lipSync: head.lipSync === true },
    completed: {
      durationSec: Number(completed.durationSec),
      width: Number(completed.width),
      height: Number(completed.height),
      providers: completed.providers as Record<string, string>,
    },
  };
}
