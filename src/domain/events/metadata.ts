import { z } from 'zod';

/**
 * Who caused an event and why. Every stored event carries this, so an admin can audit each credit
 * change back to a person and a command, and a process manager can chain its own commands.
 */
export const actorSchema = z.object({
  kind: z.enum(['user', 'admin', 'system']),
  id: z.string().min(1),
});

export type Actor = z.infer<typeof actorSchema>;

export const eventMetadataSchema = z.object({
  commandId: z.string().min(1),
  causationId: z.string().min(1),
  correlationId: z.string().min(1),
  actor: actorSchema,
  timestamp: z.iso.datetime({ offset: true }),
  schemaVersion: z.int().min(1),
});

export type EventMetadata = z.infer<typeof eventMetadataSchema>;
