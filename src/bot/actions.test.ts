import { describe, expect, it } from 'vitest';
import { ActionRegistry } from './actions.js';
import type { BotContext } from './bot-context.js';
import type { CallbackAction } from './callback-data.js';

const press = (action: CallbackAction | null, data = 'v1|x') =>
  ({ callbackQuery: { data }, scope: { action } }) as unknown as BotContext;

describe('ActionRegistry', () => {
  it('runs the handler of the pressed kind and nothing after it', async () => {
    const actions = new ActionRegistry();
    const seen: string[] = [];
    actions.define('voices', async (_ctx, action) => {
      seen.push(`voices ${action.page}`);
    });
    actions.define('format', async (_ctx, action) => {
      seen.push(`format ${action.format}`);
    });
    await actions.middleware()(press({ kind: 'voices', page: 2 }), async () => {
      seen.push('next');
    });
    expect(seen).toEqual(['voices 2']);
  });

  it('passes on a kind nobody handles, a button without data, and every other update', async () => {
    const actions = new ActionRegistry();
    actions.define('format', async () => {
      throw new Error('not this one');
    });
    let passed = 0;
    const next = async () => {
      passed += 1;
    };
    await actions.middleware()(press({ kind: 'voices', page: 0 }), next);
    await actions.middleware()(press(null), next);
    await actions.middleware()({ message: { text: 'hi' } } as unknown as BotContext, next);
    expect(passed).toBe(3);
  });

  it('refuses a kind defined twice', () => {
    const actions = new ActionRegistry();
    actions.define('format', async () => undefined);
    expect(() => actions.define('format', async () => undefined)).toThrow(/handled twice/);
  });
});
