/** Plain-text tables for the console. */
export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned?: readonly boolean[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        (rightAligned?.[column] ?? column > 0)
          ? cell.padStart(widths[column]!)
          : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [
    line(headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}

export const integer = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : 'n/a';

export const milliseconds = (value: number): string =>
  Number.isFinite(value) ? value.toFixed(2) : 'n/a';

export const ratio = (ours: number, theirs: number): string =>
  Number.isFinite(ours) && Number.isFinite(theirs) && theirs > 0
    ? `${(ours / theirs).toFixed(2)}x`
    : 'n/a';

export const mebibytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
