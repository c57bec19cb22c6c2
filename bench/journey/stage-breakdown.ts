import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The parts of a service log line (pino JSON) the breakdown needs. */
const logLineSchema = z.looseObject({
  time: z.number(),
  msg: z.string().optional(),
  stage: z.string().optional(),
  step: z.string().optional(),
  generationId: z.string().optional(),
  elapsedMs: z.number().optional(),
  synthMs: z.number().optional(),
  totalMs: z.number().optional(),
  tool: z.string().optional(),
  source: z.string().optional(),
  kind: z.string().optional(),
});

export type LogLine = z.infer<typeof logLineSchema>;

export async function readLogLines(path: string): Promise<LogLine[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  const lines: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.startsWith('{')) continue;
    try {
      const parsed = logLineSchema.safeParse(JSON.parse(raw));
      if (parsed.success) lines.push(parsed.data);
    } catch {
      // A line cut off by a crash: nothing to time.
    }
  }
  return lines;
}

export interface StagePart {
  /** `stage · message`, e.g. `video · talking head rendered`. */
  readonly label: string;
  readonly ms: number;
}

export interface GenerationBreakdown {
  /** Generate pressed → the pipeline's intake started the generation. */
  readonly queuedMs: number | undefined;
  /** Each timed log line of the run, in order (the stage's own `elapsedMs`). */
  readonly parts: readonly StagePart[];
}

/**
 * Where one generation's time went, from the service's log: every line with a `stage` and an
 * `elapsedMs` logged between the press and the delivery (generations run one at a time here, so
 * adapter lines without a generation id belong to the run in that window).
 */
export function breakdownOf(
  lines: readonly LogLine[],
  window: { pressedAt: number; deliveredAt: number },
): GenerationBreakdown {
  const inWindow = lines.filter(
    (line) => line.time >= window.pressedAt && line.time <= window.deliveredAt + 1000,
  );
  const started = inWindow.find((line) => line.msg === 'generation started');
  const parts: StagePart[] = [];
  for (const line of inWindow) {
    if (line.stage === undefined || line.elapsedMs === undefined) continue;
    parts.push({ label: `${line.stage} · ${line.msg ?? '?'}`, ms: line.elapsedMs });
  }
  return { queuedMs: started ? started.time - window.pressedAt : undefined, parts };
}

/**
 * Which build of each media tool the service resolved (`espeak-ng: npm wasm`, `ffmpeg: system
 * executable`).
 */
export function toolsUsed(lines: readonly LogLine[]): string[] {
  const seen = new Map<string, string>();
  for (const line of lines) {
    if (line.tool !== undefined && line.source !== undefined && !seen.has(line.tool))
      seen.set(line.tool, `${line.tool}: ${line.source} ${line.kind ?? ''}`.trim());
  }
  return [...seen.values()];
}

/** Median of each label over several runs, in the order labels first appear. */
export function medianParts(breakdowns: readonly GenerationBreakdown[]): StagePart[] {
  const byLabel = new Map<string, number[]>();
  for (const breakdown of breakdowns) {
    const sums = new Map<string, number>();
    for (const part of breakdown.parts) sums.set(part.label, (sums.get(part.label) ?? 0) + part.ms);
    for (const [label, ms] of sums) byLabel.set(label, [...(byLabel.get(label) ?? []), ms]);
  }
  return [...byLabel].map(([label, values]) => ({ label, ms: median(values) }));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
