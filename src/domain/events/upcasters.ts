/**
 * Turns the stored data of an older schema version into the next version's shape. Stored events are
 * never rewritten; readers upcast on the way in, one version step at a time, and the current schema
 * validates the result.
 */
export type Upcaster = (data: unknown) => unknown;

/** Keyed by event type, then by the version an upcaster reads (it produces version + 1). */
export type UpcasterTable = Readonly<Record<string, Readonly<Record<number, Upcaster>>>>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const upcasters: UpcasterTable = {
  LanguageChanged: {
    // The prototype bot stored `{ lang }` before the catalog was versioned. Kept as the worked
    // example of the mechanism; new upcasters follow the same shape.
    0: (data) => {
      if (!isRecord(data) || !('lang' in data)) return data;
      const { lang, ...rest } = data;
      return { ...rest, language: lang };
    },
  },
};
