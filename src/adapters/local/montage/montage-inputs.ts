import type { MontageRequest } from '../../../ports/montage-renderer.js';
import type { FfprobeMediaProbe } from '../probe/ffprobe-probe.js';
import type { FfprobeStream } from '../probe/ffprobe-output.js';
import { RenderError } from '../ffmpeg/media-errors.js';
import { shapeBox } from '../matte/overlay-shape-geometry.js';
import { placeOverlay, type Box, type OverlayPlacement } from './overlay-placement.js';
import { measureVisibleBox } from './visible-box.js';

export interface MontageInputs {
  /** The speech's own length: the output's length. */
  readonly speechSec: number;
  /** Index of the speech (audio) stream in the talking-head file. */
  readonly speechStreamIndex: number;
  readonly backgroundSec: number;
  readonly overlaySec: number;
  readonly placement: OverlayPlacement;
  /**
   * Where the shape's box came from: the shared geometry, the overlay itself, or none (cut-out).
   */
  readonly shapeFrom: 'geometry' | 'measured' | 'none';
}

/**
 * What both montage renderers need to know before composing: the speech length, the background's
 * length (to loop it), and where the overlay's visible shape is and where it goes.
 */
export async function inspectMontageInputs(
  request: Pick<
    MontageRequest,
    'backgroundPath' | 'talkingHeadPath' | 'overlayPath' | 'overlayMode' | 'shape'
  >,
  tools: { ffmpegPath: string; probe: FfprobeMediaProbe; signal?: AbortSignal },
): Promise<MontageInputs> {
  const { probe, signal } = tools;
  const [background, head, overlay] = await Promise.all([
    probe.probeRaw(request.backgroundPath, signal),
    probe.probeRaw(request.talkingHeadPath, signal),
    probe.probeRaw(request.overlayPath, signal),
  ]);
  const video = (streams: readonly FfprobeStream[], what: string) => {
    const found = streams.find(
      (s) => s.codec_type === 'video' && s.disposition?.attached_pic !== 1,
    );
    if (!found?.width || !found.height)
      throw new RenderError('montage', `the ${what} has no video stream`, {
        kind: 'invalid_request',
      });
    return found as FfprobeStream & { width: number; height: number };
  };
  video(background.streams, 'background');
  const overlayVideo = video(overlay.streams, 'overlay');
  video(head.streams, 'talking head');
  const speech = head.streams.find((s) => s.codec_type === 'audio');
  if (!speech)
    throw new RenderError('montage', 'the talking head has no audio (the speech)', {
      kind: 'invalid_request',
    });
  // The audio stream's own duration, not the container's, which may include a longer video track.
  const speechSec = speech.duration ?? head.format.duration ?? 0;
  if (!(speechSec > 0))
    throw new RenderError('montage', 'the talking head has no measurable speech duration', {
      kind: 'invalid_request',
    });
  const backgroundSec = background.format.duration ?? 0;
  if (!(backgroundSec > 0))
    throw new RenderError('montage', 'the background has no measurable duration', {
      kind: 'invalid_request',
    });

  const frame = { width: overlayVideo.width, height: overlayVideo.height };
  let shapeFrom: MontageInputs['shapeFrom'] = 'none';
  let visible: Box | undefined;
  if (request.shape !== 'cutout') {
    const expected = shapeBox(request.shape, frame.width, frame.height);
    const measured = await measureVisibleBox(
      tools.ffmpegPath,
      request.overlayPath,
      request.overlayMode,
      frame,
      signal,
    );
    // The shared geometry is exact; the measurement only wins when the overlay shows something
    // outside it (a maker with other numbers). Inside it, a keyed-out green shirt at the edge of a
    // circle would only make the measured box smaller than the shape really is.
    if (measured && reachesBeyond(measured, expected, 0.02 * Math.max(frame.width, frame.height))) {
      visible = measured;
      shapeFrom = 'measured';
    } else {
      visible = expected;
      shapeFrom = 'geometry';
    }
  }
  return {
    speechSec,
    speechStreamIndex: head.streams.indexOf(speech),
    backgroundSec,
    overlaySec: overlay.format.duration ?? speechSec,
    placement: placeOverlay(request.shape, frame, visible),
    shapeFrom,
  };
}

function reachesBeyond(box: Box, bounds: Box, tolerance: number): boolean {
  return (
    box.x < bounds.x - tolerance ||
    box.y < bounds.y - tolerance ||
    box.x + box.width > bounds.x + bounds.width + tolerance ||
    box.y + box.height > bounds.y + bounds.height + tolerance
  );
}
