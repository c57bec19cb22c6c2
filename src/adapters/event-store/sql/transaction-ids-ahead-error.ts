import { EventStoreError } from '../../../ports/event-store/errors.js';

/**
 * The stored events carry transaction ids this server has not handed out yet. That is what a
 * logical dump restored on another server (or from the embedded PGlite) looks like: the ids are
 * plain column values and travel with the rows. Readers stop at the oldest running transaction,
 * so such events stay invisible to subscribers and rebuilds, and new events would sort before
 * them. Starting anyway would lose events silently, so the store refuses; retrying cannot help.
 */
export class TransactionIdsAheadError extends EventStoreError {
  override readonly name = 'TransactionIdsAheadError';
  readonly code = 'EVENT_STORE_TRANSACTION_IDS_AHEAD';
  readonly retryable = false;

  constructor(
    readonly storedMax: bigint,
    readonly serverNext: bigint,
  ) {
    super(
      `The event store's events carry transaction ids up to ${storedMax}, but this server's next transaction id is ` +
        `${serverNext}: they were restored from a dump of another server or of the embedded store, and with ` +
        'foreign transaction ids subscribers and rebuilds would not see them and new events would sort before them. ' +
        'Do not restore the event tables from a dump: move the events from the store they came from into an empty ' +
        'database with `npm run events:copy -- --from <old> --to <new>`.',
    );
  }
}
