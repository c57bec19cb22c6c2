import type { UserCommands } from '../../commands/user-commands.js';
import type { EventStore } from '../../ports/event-store/event-store.js';
import { START, type Position } from '../../ports/event-store/position.js';
import type { Logger } from '../../logging/logger.js';

export interface AbandonedEditsResult {
  /** Edits still pending longer than the limit when the job looked. */
  readonly found: number;
  /** Of those, the ones this run marked as failed. */
  readonly released: number;
}

const editEventTypes = ['CharacterEditRequested', 'CharacterEdited', 'CharacterEditFailed'];

/**
 * Finds character edits that were requested but never got a result (the image editor's answer was
 * lost, e.g. the process died mid-call) and records them as failed through the user aggregate's own
 * `RecordCharacterEditFailure` command. Until then the draft is stuck: the domain refuses a new
 * edit while one is pending. A failed edit costs the user no iteration, and a late result for it is
 * refused as stale by the decider, so this is safe even if the editor answers after all.
 *
 * Candidates come from the edit events in `$all` (the store filters by type, so the scan reads
 * only edit events); each is confirmed against the user's current state before anything is written.
 * The command id is derived from the edit id, so instances racing on the same edit write it once.
 */
export async function releaseAbandonedEdits(input: {
  readonly store: EventStore;
  readonly users: UserCommands;
  readonly now: Date;
  readonly olderThanMs: number;
  readonly instanceId: string;
  readonly log: Logger;
}): Promise<AbandonedEditsResult> {
  const pending = new Map<string, { userId: number; at: number }>();
  let after: Position = START;
  for (;;) {
    const batch = await input.store.readAll({
      after,
      maxCount: 1000,
      eventTypes: editEventTypes,
      streamPrefixes: ['user-'],
    });
    for (const recorded of batch.events) {
      const editId = typeof recorded.data.editId === 'string' ? recorded.data.editId : undefined;
      if (!editId) continue;
      if (recorded.type === 'CharacterEditRequested') {
        const timestamp =
          typeof recorded.metadata.timestamp === 'string'
            ? Date.parse(recorded.metadata.timestamp)
            : Number.NaN;
        const userId = Number(recorded.streamName.slice('user-'.length));
        pending.set(editId, {
          userId,
          at: Number.isNaN(timestamp) ? recorded.createdAt.getTime() : timestamp,
        });
      } else {
        pending.delete(editId);
      }
    }
    after = batch.lastPosition;
    if (batch.isEnd) break;
  }

  let found = 0;
  let released = 0;
  const cutoff = input.now.getTime() - input.olderThanMs;
  for (const [editId, { userId, at }] of pending) {
    if (at > cutoff || !Number.isSafeInteger(userId)) continue;
    // A reverted edit or a newly chosen character also ends an edit: the state is the judge.
    const state = await input.users.state(userId);
    const character = state.draft.character;
    if (character?.pendingEdit?.editId !== editId) continue;
    found += 1;
    const outcome = await input.users.execute(
      userId,
      {
        type: 'RecordCharacterEditFailure',
        editId,
        reason: `abandoned: no result after ${Math.round(input.olderThanMs / 60_000)} min`,
      },
      {
        commandId: `cleanup-abandoned-edit-${editId}`,
        actor: { kind: 'system', id: `scheduler:${input.instanceId}` },
      },
    );
    if (outcome.ok && !outcome.duplicate && outcome.events.length > 0) {
      released += 1;
      input.log.info(
        { stage: 'edit', userId, editId, ageMs: input.now.getTime() - at },
        'released an abandoned character edit',
      );
    }
  }
  return { found, released };
}
