import { describe, expect, it } from 'vitest';
import type { BotContext } from '../bot-context.js';
import { countUpdates, updateTypeOf } from './metrics.js';

describe('update metrics middleware', () => {
  it('names the update type', () => {
    expect(updateTypeOf({ update_id: 1, message: {} })).toBe('message');
    expect(updateTypeOf({ update_id: 2, callback_query: {} })).toBe('callback_query');
    expect(updateTypeOf({ update_id: 3 })).toBe('unknown');
  });

  it('counts each update once and always passes it on, even when counting throws', async () => {
    const counted: string[] = [];
    let passed = 0;
    const next = async () => {
      passed += 1;
    };
    await countUpdates((type) => counted.push(type))(
      { update: { update_id: 1, edited_message: {} } } as unknown as BotContext,
      next,
    );
    await countUpdates(() => {
      throw new Error('registry gone');
    })({ update: { update_id: 2, message: {} } } as unknown as BotContext, next);
    expect(counted).toEqual(['edited_message']);
    expect(passed).toBe(2);
  });
});
