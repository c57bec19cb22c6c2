import { ProviderError } from '../../ports/provider-error.js';
import { readFile, stat, writeFile } from 'node:fs/promises';
import type { CaptionBurnRequest, CaptionBurner } from '../../ports/caption-burner.js';
import type { CompositeRequest, Compositor } from '../../ports/compositor.js';
import type { MediaInfo, MediaProbe, UploadCheck } from '../../ports/media-probe.js';
import type {
  SpeechSynthesizer,
  SynthesisRequest,
  SynthesisResult,
  Voice,
} from '../../ports/speech-synthesizer.js';
import type {
  TalkingHeadRenderer,
  TalkingHeadRequest,
  VideoResult,
} from '../../ports/talking-head-renderer.js';
import type { ThumbnailMaker } from '../../pipeline/thumbnail-maker.js';
import type { PipelineProviders } from '../../pipeline/pipeline-options.js';

/**
 * Providers for pipeline tests. Each writes a small text file that names its inputs
 * (`head(audio(<text>))`), so a test can tell which generation a call served and that the right
 * files travelled through storage. `script` decides each call in turn: succeed, throw the given
 * error, or `block` until the run is aborted (a crash or a stop in the middle of the stage).
 */
export type Behaviour = 'ok' | 'block' | Error;

/** A provider's refusal of the input: final, like a cloud 422. */
export class PermanentProviderError extends ProviderError {
  override readonly name: string = 'PermanentProviderError';
  constructor(message: string) {
    super(message, { provider: 'fake', kind: 'invalid_request', namedInMessage: true });
  }
}

async function behave(
  script: Behaviour[],
  delayMs: number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const next = script.shift() ?? 'ok';
  if (next instanceof Error) throw next;
  if (next === 'block') {
    await new Promise<never>((_, reject) => {
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  signal?.throwIfAborted();
}

/** Which generation a fake file belongs to: the speech text inside it. */
export function tagOf(content: string): string {
  const match = /audio\(([^)]*)\)/.exec(content);
  return match?.[1] ?? content;
}

class CallCounter {
  readonly calls: string[] = [];
  count(tag: string): number {
    return this.calls.filter((call) => call === tag).length;
  }
}

export class FakeSpeech extends CallCounter implements SpeechSynthesizer {
  readonly provider = 'fake-tts';
  script: Behaviour[] = [];
  delayMs = 0;
  /** Seconds of speech per text; 3 s unless a test says otherwise. */
  durationFor: (text: string) => number = () => 3;

  async listVoices(): Promise<readonly Voice[]> {
    return [];
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesisResult> {
    this.calls.push(request.text);
    await behave(this.script, this.delayMs, request.signal);
    await writeFile(request.outputPath, `audio(${request.text})`);
    const durationSec = this.durationFor(request.text);
    const words = request.text.split(/\s+/).filter(Boolean);
    const step = durationSec / Math.max(1, words.length);
    return {
      path: request.outputPath,
      durationSec,
      words: words.map((word, i) => ({ word, start: i * step, end: (i + 1) * step })),
      mimeType: 'audio/wav',
      sizeBytes: (await stat(request.outputPath)).size,
      provider: this.provider,
    };
  }
}

/**
 * A cloud-like renderer: it submits a job (paid: counted in `submissions`), reports the request
 * id through `onSubmitted`, then waits; given `resumeRequestId` of a job it knows, it only waits.
 */
export class FakeTalkingHead extends CallCounter implements TalkingHeadRenderer {
  readonly provider = 'fake-omnihuman';
  script: Behaviour[] = [];
  delayMs = 0;
  readonly submissions: string[] = [];
  readonly resumed: string[] = [];
  private readonly jobs = new Map<string, string>();

  async render(request: TalkingHeadRequest): Promise<VideoResult> {
    const audio = await readFile(request.audioPath, 'utf8');
    const tag = tagOf(audio);
    this.calls.push(tag);
    let requestId = request.resumeRequestId;
    if (requestId && this.jobs.has(requestId)) {
      this.resumed.push(requestId);
    } else {
      requestId = `req-${this.submissions.length + 1}-${tag.replace(/\W+/g, '_').slice(0, 20)}`;
      this.submissions.push(tag);
      this.jobs.set(requestId, tag);
      await request.onSubmitted?.(requestId);
    }
    await behave(this.script, this.delayMs, request.signal);
    await writeFile(request.outputPath, `head(${audio})`);
    return {
      path: request.outputPath,
      durationSec: 3,
      width: 1080,
      height: 1920,
      sizeBytes: (await stat(request.outputPath)).size,
      provider: this.provider,
      lipSync: true,
      costUsd: 0.14,
    };
  }
}

export class FakeCompositor extends CallCounter implements Compositor {
  readonly provider = 'fake-compositor';
  script: Behaviour[] = [];
  delayMs = 0;
  readonly requests: Omit<CompositeRequest, 'signal'>[] = [];

  async composite(request: CompositeRequest): Promise<VideoResult> {
    const head = await readFile(request.talkingHeadPath, 'utf8');
    const background = await readFile(request.backgroundPath, 'utf8');
    this.calls.push(tagOf(head));
    const { signal: _signal, ...rest } = request;
    this.requests.push(rest);
    await behave(this.script, this.delayMs, request.signal);
    await writeFile(
      request.outputPath,
      `composite(${head}|${background}|${request.shape}|${request.words.length} words)`,
    );
    return {
      path: request.outputPath,
      durationSec: 3,
      width: 1080,
      height: 1920,
      sizeBytes: (await stat(request.outputPath)).size,
      provider: this.provider,
      lipSync: true,
    };
  }
}

export class FakeCaptions extends CallCounter implements CaptionBurner {
  readonly provider = 'fake-captions';
  script: Behaviour[] = [];
  readonly requests: Omit<CaptionBurnRequest, 'signal'>[] = [];

  async burn(request: CaptionBurnRequest): Promise<VideoResult> {
    const head = await readFile(request.videoPath, 'utf8');
    this.calls.push(tagOf(head));
    const { signal: _signal, ...rest } = request;
    this.requests.push(rest);
    await behave(this.script, 0, request.signal);
    await writeFile(
      request.outputPath,
      `captions(${head}|${request.style}|${request.words.length} words)`,
    );
    return {
      path: request.outputPath,
      durationSec: 3,
      width: 1080,
      height: 1920,
      sizeBytes: (await stat(request.outputPath)).size,
      provider: this.provider,
      lipSync: false,
    };
  }
}

export class FakeProbe implements MediaProbe {
  readonly probed: string[] = [];

  async probe(path: string): Promise<MediaInfo> {
    this.probed.push(await readFile(path, 'utf8'));
    return {
      container: 'mp4',
      durationSec: 3,
      sizeBytes: (await stat(path)).size,
      video: { codec: 'h264', width: 1080, height: 1920, fps: 30 },
      audio: { codec: 'aac', sampleRate: 44100, channels: 1 },
    };
  }

  async checkBackgroundUpload(): Promise<UploadCheck> {
    throw new Error('not used by the pipeline');
  }
}

export class FakeThumbnails implements ThumbnailMaker {
  count = 0;

  async extract(_videoPath: string, outputPath: string): Promise<string> {
    this.count += 1;
    await writeFile(outputPath, 'jpeg');
    return outputPath;
  }
}

export interface FakeProviders extends PipelineProviders {
  readonly speech: FakeSpeech;
  readonly talkingHead: FakeTalkingHead;
  readonly compositor: FakeCompositor;
  readonly probe: FakeProbe;
  readonly captions: FakeCaptions;
}

export function fakeProviders(): FakeProviders {
  return {
    speech: new FakeSpeech(),
    talkingHead: new FakeTalkingHead(),
    compositor: new FakeCompositor(),
    probe: new FakeProbe(),
    captions: new FakeCaptions(),
  };
}
