/**
 * The orchestrator and a subject process talk over IPC. A subject is one bot behind its own
 * fastify webhook: the real service, or the grammY-sessions baseline. Each runs in its own
 * process, so the bot's event loop never shares a thread with the emulator and the simulated
 * users that drive it (on a 2-core machine that would measure the driver, not the bot).
 */
export type SubjectArgs =
  | {
      readonly kind: 'service';
      readonly databaseUrl: string;
      readonly dataDir: string;
      readonly token: string;
      readonly apiRoot: string;
      readonly httpPort: number;
      readonly webhookSecret: string;
      /** pino JSON lines of the service go here: the stage timings are read back from it. */
      readonly logFile: string;
      readonly defaultCredits: number;
    }
  | {
      readonly kind: 'sessions-baseline';
      readonly databaseUrl: string;
      /**
       * The service's starter catalog (manifest + files): the baseline shows the same galleries.
       */
      readonly catalogDir: string;
      readonly token: string;
      readonly apiRoot: string;
      readonly httpPort: number;
      readonly webhookSecret: string;
      readonly defaultCredits: number;
    };

export type SubjectKind = SubjectArgs['kind'];

export type SubjectReady =
  | { readonly ready: true; readonly webhookUrl: string }
  | { readonly ready: false; readonly error: string };

export type SubjectRequest = { readonly op: 'stop' } | { readonly op: 'queries' };

export type SubjectStopped = { readonly stopped: true; readonly error?: string };

/**
 * Statements the subject has sent to PostgreSQL so far (every `pg` client query: one round trip
 * each).
 */
export type SubjectQueries = {
  readonly queries: number;
  readonly byStatement: Readonly<Record<string, number>>;
};
