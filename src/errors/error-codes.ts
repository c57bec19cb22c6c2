/**
 * Every stable error code the product raises, grouped by area, each with what it means. Logs,
 * recorded failures (`GenerationFailed.code`), API bodies and scripts rely on these strings, so a
 * code is renamed only together with whatever reads it. `retryable` is not listed here: one code
 * may be final in one situation and transient in another (a provider's `server` failure that a
 * subclass knows to be final), so each error says it for itself.
 */
export const errorCodeGroups = {
  eventStore: {
    WRONG_EXPECTED_VERSION:
      'the stream was not in the state the writer expected: someone else wrote first',
    DUPLICATE_EVENT_ID: 'an event id was stored before, but not as this same append',
    EVENT_STORE_UNAVAILABLE:
      'the event store is unreachable or failed; the cause carries the driver error',
    EVENT_STORE_TRANSACTION_IDS_AHEAD:
      'stored events carry transaction ids this server has not handed out (restored from a dump)',
    DATA_DIR_LOCKED: 'the embedded database directory is open in another process',
  },
  eventData: {
    EVENT_DATA_UNKNOWN_TYPE: 'a stored event has a type this build does not know',
    EVENT_DATA_UNSUPPORTED_VERSION:
      'a stored event has a schema version newer than this build reads',
    EVENT_DATA_MISSING_UPCASTER: 'no upcaster brings an old event version to the current one',
    EVENT_DATA_INVALID: 'event data does not match its schema',
  },
  eventCopy: {
    TARGET_NOT_A_PREFIX:
      "the copy's target holds events that are not the source's first events, in order",
    SAME_STORE: 'the copy names one store as both source and target',
    SOURCE_REVISION_GAP:
      "a source stream's revisions do not run 0, 1, 2, … (a truncated EventStoreDB stream)",
    TARGET_REFUSED_APPEND:
      'the target refused an append the prefix check allowed (someone else writes to it)',
    SOURCE_CHANGED:
      'the source received events after the copy reached its end: the service still writes to it',
    VERIFICATION_FAILED: "after the copy, the target's count or checksum differs from the source's",
    BAD_STORE_ADDRESS: 'a --from/--to value the copy cannot use',
  },
  commands: {
    COMMAND_CONFLICT: 'a command gave up after repeated concurrent writes to its stream',
    STALE_STATE:
      'the stream moved on from the revision a command was chosen at; nothing was appended',
  },
  projections: {
    PROJECTION_TIMEOUT: 'a projection did not reach a position in time',
    MIGRATION_FAILED: 'a read-model migration failed',
  },
  config: {
    CONFIG_INVALID: 'the environment fails validation',
    ENV_FILE_INVALID: 'the .env file is missing (when named), unreadable or malformed',
    PIPELINE_CONFIG_INVALID: "the pipeline's options contradict each other",
  },
  catalog: {
    INVALID_CATALOG_MANIFEST:
      'catalog.json is missing pieces, fails its schema, or names absent files',
    CATALOG_BUILD_FAILED: 'generating a piece of the starter catalog failed',
    CATALOG_IMPORT_FAILED:
      "an operator's import folder is laid out wrongly or holds unusable files",
  },
  provider: {
    PROVIDER_AUTH: 'a bad or missing key: an operator must fix the configuration',
    PROVIDER_QUOTA: "the provider plan's credits are exhausted",
    PROVIDER_RATE_LIMITED: 'the provider asked us to slow down',
    PROVIDER_INVALID_REQUEST: 'the provider refused our input; sending it again cannot help',
    PROVIDER_NOT_FOUND: 'a voice, request id or result that does not exist at the provider',
    PROVIDER_CONTENT_POLICY: 'the provider refused the content',
    PROVIDER_SERVER_ERROR: 'the provider (or the local program) failed on its side',
    PROVIDER_TIMEOUT: 'the provider (or the local program) gave no answer within the deadline',
    PROVIDER_MALFORMED_ANSWER: 'an answer (or a file) that does not have the documented shape',
    PROVIDER_NETWORK: 'connection refused, reset or a DNS failure',
    PROVIDER_UNAVAILABLE: 'the provider cannot be used now: circuit open, program or model missing',
    PROVIDER_CANCELLED: 'our own abort signal stopped the call',
    SHOTSTACK_RENDER_FAILED:
      'Shotstack reported a render as failed; rendering the same edit again is unlikely to help',
    SHOTSTACK_SUBMIT_UNCERTAIN:
      'a Shotstack submission got no answer and may have been queued; not retried',
    NO_STAND_IN_VOICE: 'the cloud could not speak the script and no local voice reads its language',
  },
  localMedia: {
    INVALID_WAV: 'bytes that are not a WAV file we can read',
    UNKNOWN_VOICE: 'an eSpeak NG voice id that does not exist',
    NOTHING_TO_SPEAK: 'a text with nothing to say (empty, or only punctuation)',
    VOICE_CANNOT_READ: "the voice cannot read the script's letters; the user is told so",
    SPEECH_SYNTHESIS_FAILED: 'eSpeak NG failed to speak a text it accepted',
    MEDIA_PROBE_FAILED: 'ffprobe could not read a file or described it in an unknown shape',
    RENDER_FAILED: 'an ffmpeg render step failed',
    BINARY_NOT_FOUND: 'no usable ffmpeg/ffprobe/eSpeak NG program was found',
    INVALID_BINARY_OVERRIDE: 'an explicit program override names no executable file',
    BINARY_RUN_FAILED: 'a program exited non-zero, was killed or could not start',
    FACE_LANDMARKS_UNAVAILABLE: 'the optional face-landmark packages are not installed',
  },
  storage: {
    INVALID_STORAGE_KEY:
      'a storage key that could escape the root or that object stores disagree on',
    STORAGE_OBJECT_NOT_FOUND: 'no stored object under the key',
    STORAGE_IO_FAILED:
      'writing, reading or removing a stored file failed for a reason other than its absence',
    INVALID_DOWNLOAD_TOKEN: 'a download link that is malformed, altered or expired',
  },
  pipeline: {
    STAGE_FAILED: 'a generation stage could not finish',
    STAGE_TIMED_OUT: 'a generation stage ran past its deadline and was stopped',
    COMMAND_REJECTED: 'the domain refused a command the pipeline sent',
    WORK_INTERRUPTED: 'a worker let go of a job before it finished (stopping, lease lost, halted)',
    DELIVERY_UNRECORDED: 'a video was sent but recording the delivery failed',
    LEASE_RENEWAL_TIMED_OUT: 'renewing a job lease got no answer in time',
  },
  notifier: {
    SEND_RATE_LIMITED: 'the messenger refused for now and said how long to wait; nothing was sent',
    SEND_UNAVAILABLE: 'the messenger answered with a server error; nothing was sent',
    SEND_NO_ANSWER: 'a send left but no answer came: it may have been delivered',
    SEND_REFUSED: 'the messenger refused for good (bot blocked, chat not found)',
  },
  bot: {
    DOWNLOAD_TOO_LARGE: 'a Telegram file is larger than the limit for its kind',
    STALE_SCOPE:
      "an update started from this process's copy of the user's stream and the stream had moved on: it starts over",
  },
  reports: {
    REPORT_SEND_FAILED: 'a scheduled report could not be posted to the admin chat',
  },
  api: {
    BAD_REQUEST: 'the request is malformed or names something not allowed',
    UNAUTHORIZED: 'no bearer token, or an unknown one',
    FORBIDDEN: "the token's scope does not cover the endpoint",
    NOT_FOUND: 'the resource does not exist',
    RATE_LIMITED: "the client went over the API's rate limit",
    ALREADY_REFUNDED: 'the payment was refunded already',
    PAYMENTS_UNAVAILABLE: 'this instance runs no bot, so Telegram cannot be asked for a refund',
    TELEGRAM_REFUSED: 'Telegram refused the refund',
  },
} as const satisfies Record<string, Record<string, string>>;

type Groups = typeof errorCodeGroups;

/** Every stable error code; an error class's `code` must be one of these. */
export type ErrorCode = { [G in keyof Groups]: Extract<keyof Groups[G], string> }[keyof Groups];

/** The area each code belongs to, and what it means: one flat view of the groups above. */
export const errorCodes: ReadonlyMap<
  ErrorCode,
  { readonly area: keyof Groups; readonly meaning: string }
> = new Map(
  Object.entries(errorCodeGroups).flatMap(([area, codes]) =>
    Object.entries(codes).map(
      ([code, meaning]) => [code as ErrorCode, { area: area as keyof Groups, meaning }] as const,
    ),
  ),
);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && errorCodes.has(value as ErrorCode);
}
