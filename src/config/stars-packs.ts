import { z } from 'zod';
import type { StarsPack } from '../domain/user/stars-payments.js';

/** Telegram's bounds for one Stars price (whole Stars). */
export const MAX_STARS_PER_INVOICE = 100_000;

export const DEFAULT_STARS_PACKS = '10:50,50:200,120:400';

/**
 * `STARS_PACKS=10:50,50:200` (credits:stars, comma-separated): the credit packs users buy with
 * Telegram Stars. `off` turns payments off. Credits identify a pack, so two
 * packs of the same credits are refused. Blank means unset, as everywhere in the configuration.
 */
export const starsPacksSetting = z
  .string()
  .trim()
  .default(DEFAULT_STARS_PACKS)
  .transform((value, ctx): StarsPack[] => {
    if (value.toLowerCase() === 'off') return [];
    const packs: StarsPack[] = [];
    for (const part of (value === '' ? DEFAULT_STARS_PACKS : value)
      .split(',')
      .map((item) => item.trim())) {
      const match = /^([1-9]\d{0,5}):([1-9]\d{0,5})$/.exec(part);
      const credits = Number(match?.[1]);
      const stars = Number(match?.[2]);
      if (!match || stars > MAX_STARS_PER_INVOICE) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part}" is not <credits>:<stars> (whole numbers, at most ${MAX_STARS_PER_INVOICE} Stars)`,
        });
        continue;
      }
      if (packs.some((pack) => pack.credits === credits)) {
        ctx.addIssue({
          code: 'custom',
          message: `two packs of ${credits} credits: credits name a pack, so each may appear once`,
        });
        continue;
      }
      packs.push({ credits, stars });
    }
    return packs.sort((a, b) => a.credits - b.credits);
  });
