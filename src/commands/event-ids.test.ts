import fc from 'fast-check';
import { v5 as uuidv5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { eventIdFor } from './event-ids.js';

const namespace = '8f7d0f4e-5a5b-4c55-9a7e-2f1c3b9f6a10';

describe('eventIdFor', () => {
  it('is the version 5 UUID of "<commandId>#<index>", as stored by every earlier release', () => {
    // Fixed values: an id once written must come out the same for a retried command forever.
    expect(eventIdFor('tg:1001:0', 0)).toBe('2f0887c6-1038-5d2e-b965-9343f60655b9');
    expect(eventIdFor('tg:1001:0', 0)).toBe(uuidv5('tg:1001:0#0', namespace));
    expect(eventIdFor('tg:1001:0', 0)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(), (commandId, index) => {
        expect(eventIdFor(commandId, index)).toBe(uuidv5(`${commandId}#${index}`, namespace));
      }),
    );
  });
});
