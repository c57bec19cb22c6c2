import { z } from 'zod';
import { listGenerations } from '../../../queries/generation-history-queries.js';
import type { ApiDeps } from '../api-deps.js';
import { defineRoute } from '../api-route.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { isoOrNull, nextDay } from '../dates.js';
import { isoDay, limitParam, telegramIdParam, withAtPosition } from '../input.js';

export const generationStatuses = [
  'requested',
  'audio_ready',
  'audio_rejected',
  'video_pending',
  'video_ready',
  'overlay_ready',
  'subtitled',
  'completed',
  'failed',
] as const;

const generationsQuery = withAtPosition({
  userId: telegramIdParam.optional(),
  format: z.enum(['talking_head', 'background']).optional(),
  status: z.enum(generationStatuses).optional(),
  from: isoDay.optional().describe('First UTC day of `createdAt`, inclusive.'),
  to: isoDay.optional().describe('Last UTC day of `createdAt`, inclusive.'),
  limit: limitParam(50, 500),
  cursor: z.string().max(512).optional().describe('`nextCursor` of the previous page; opaque.'),
}).refine((q) => !q.from || !q.to || q.from <= q.to, {
  message: '`from` must not be after `to`',
  path: ['from'],
});

export const generationRoutes = (deps: ApiDeps) => [
  defineRoute({
    url: '/generations',
    scope: 'analyst',
    tag: 'generations',
    summary: 'Generations, newest first, with filters and cursor pagination',
    description:
      'Rows of the `generation_history` projection ordered by `createdAt` descending, then `generationId`. Pass `nextCursor` back as `cursor` for the next page; `nextCursor` is null on the last page. A page walk sees every row once even while new generations arrive (they sort before the cursor). Analysts get every column except the script text (`textPrompt`), which only admin tokens see.',
    query: generationsQuery,
    async handle({ query, principal }) {
      const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
      const { rows: page, more } = await listGenerations(deps.db, {
        userId: query.userId,
        format: query.format,
        status: query.status,
        createdFrom: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
        createdBefore: query.to ? new Date(`${nextDay(query.to)}T00:00:00Z`) : undefined,
        after: cursor ? { createdAt: cursor.t, generationId: cursor.id } : undefined,
        limit: query.limit,
      });
      const last = page.at(-1);
      const admin = principal.scope === 'admin';
      return {
        items: page.map((row) => ({
          generationId: row.generation_id,
          userId: String(row.user_id),
          format: row.generation_type,
          status: row.status,
          characterId: row.character_id,
          characterGender: row.character_gender,
          characterAge: row.character_age,
          voiceId: row.voice_id,
          overlayShape: row.overlay_shape,
          ...(admin ? { textPrompt: row.text_prompt } : {}),
          creditsSpent: row.credits_spent,
          creditsRefunded: row.credits_refunded,
          audioDurationSec: row.audio_duration_sec,
          videoDurationSec: row.video_duration_sec,
          width: row.width,
          height: row.height,
          providers: row.providers,
          timingsMs: row.timings_ms,
          costUsd: row.cost_usd,
          failureStage: row.failure_stage,
          failureReason: row.failure_reason,
          createdAt: isoOrNull(row.created_at),
          completedAt: isoOrNull(row.completed_at),
          deliveredAt: isoOrNull(row.delivered_at),
        })),
        nextCursor:
          more && last ? encodeCursor({ t: last.created_at_text, id: last.generation_id }) : null,
      };
    },
  }),
];
