import { Composer, InlineKeyboard } from 'grammy';
import {
  generationDownloadOf,
  generationHistoryPageOf,
  generationTotalsOf,
} from '../../queries/generation-history-queries.js';
import type { BotContext } from '../bot-context.js';
import { cb } from '../callback-data.js';
import { clip, formatDateTime } from '../html.js';
import { answer, send, show, withNav } from '../ui.js';
import { onAction, readYourWrites, type ModuleEnv } from './module-env.js';

export const HISTORY_PAGE_SIZE = 5;

/**
 * "My videos": this user's generations from the `generation_history` read model, paged, with
 * per-user stats and expiring download links. A video Telegram would not take (its delivery was
 * abandoned) is still `completed` here and says so: this is where the user gets it. Every query
 * filters by the sender's id, so a
 * forged button naming someone else's generation finds nothing and reveals nothing.
 */
export function myGenerationsModule(env: ModuleEnv): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  const { deps } = env;

  const showPage = async (ctx: BotContext, requested: number): Promise<void> => {
    const { t, userId } = ctx.scope;
    await readYourWrites(env);
    const db = deps.readModels;
    const stats = await generationTotalsOf(db, userId);
    const { total } = stats;
    if (total === 0) {
      await show(
        ctx,
        t.historyEmpty,
        withNav(
          new InlineKeyboard().text(t.btnCreate, cb({ kind: 'screen', screen: 'create' })),
          t,
        ),
      );
      return;
    }
    const pages = Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE));
    const page = Math.min(Math.max(0, requested), pages - 1);
    const rows = await generationHistoryPageOf(db, userId, {
      offset: page * HISTORY_PAGE_SIZE,
      limit: HISTORY_PAGE_SIZE,
    });
    const lines = [
      t.historyHeader(
        {
          total,
          completed: stats.completed,
          failed: stats.failed,
          creditsSpent: stats.creditsSpent,
        },
        page + 1,
        pages,
      ),
    ];
    const keyboard = new InlineKeyboard();
    rows.forEach((row, i) => {
      const n = page * HISTORY_PAGE_SIZE + i + 1;
      lines.push(
        t.historyItem(n, {
          date: formatDateTime(new Date(row.created_at)),
          format: row.generation_type,
          status: row.status,
          script: clip(row.text_prompt, 80),
          refunded: row.credits_refunded > 0,
          undelivered: row.delivery_status === 'abandoned',
        }),
      );
      if (row.status === 'completed' && row.video_key)
        keyboard.text(t.btnDownload(n), cb({ kind: 'download', generationId: row.generation_id }));
    });
    keyboard.row();
    if (page > 0) keyboard.text(t.btnPrev, cb({ kind: 'history', page: page - 1 }));
    if (page < pages - 1) keyboard.text(t.btnNext, cb({ kind: 'history', page: page + 1 }));
    await show(ctx, lines.join('\n\n'), withNav(keyboard, t));
  };

  env.screens.define('history', (ctx) => showPage(ctx, 0));

  onAction(env, 'history', async (ctx, action) => {
    answer(ctx);
    await showPage(ctx, action.page);
  });

  onAction(env, 'download', async (ctx, action) => {
    const { t, userId } = ctx.scope;
    const find = () => generationDownloadOf(deps.readModels, userId, action.generationId);
    let row = await find();
    if (!row || row.status !== 'completed') {
      // Perhaps just written and not yet projected: read our writes, then look once more.
      await readYourWrites(env);
      row = await find();
    }
    if (!row) {
      deps.log.info(
        { userId, generationId: action.generationId },
        'download refused: not the owner or no such generation',
      );
      answer(ctx, t.notYourGeneration, { alert: true });
      return;
    }
    if (row.status !== 'completed' || !row.video_key) {
      answer(ctx, t.downloadNotReady, { alert: true });
      return;
    }
    answer(ctx);
    const hours = deps.config.DOWNLOAD_LINK_TTL_HOURS;
    const url = await deps.storage.signedUrl(row.video_key, hours * 3600, {
      downloadName: `ugc-${action.generationId}.mp4`,
    });
    await send(ctx, t.downloadLink(url, hours));
  });

  return composer;
}
