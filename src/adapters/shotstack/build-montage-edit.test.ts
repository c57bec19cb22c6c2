import { describe, expect, it } from 'vitest';
import { placeOverlay } from '../local/montage/overlay-placement.js';
import { buildMontageEdit, overlayGeometry, shotstackCaptionStyle } from './build-montage-edit.js';

const urls = {
  background: 'https://files.example/bg.mp4',
  overlay: 'https://files.example/overlay.mp4',
  fill: 'https://files.example/head.mp4',
  speech: 'https://files.example/speech.mp3',
  captions: 'https://files.example/captions.srt',
};

/**
 * Where Shotstack draws the frame, by its documented rules: contain, times scale, centred, offset
 * (y up).
 */
function shotstackFrameRect(
  geometry: ReturnType<typeof overlayGeometry>,
  frame: { width: number; height: number },
) {
  const k = Math.min(1080 / frame.width, 1920 / frame.height) * geometry.scale!;
  const width = frame.width * k;
  const height = frame.height * k;
  return {
    x: (1080 - width) / 2 + geometry.offset!.x * 1080,
    y: (1920 - height) / 2 - geometry.offset!.y * 1920,
    k,
  };
}

describe('overlayGeometry', () => {
  it.each([
    ['circle', { width: 1080, height: 1920 }, { x: 100, y: 300, width: 800, height: 800 }],
    ['rounded_rect', { width: 540, height: 960 }, undefined],
    ['cutout', { width: 720, height: 1280 }, undefined],
    ['circle', { width: 1024, height: 1024 }, { x: 212, y: 100, width: 600, height: 600 }],
  ] as const)('puts the %s shape of a %o frame on the planned box', (shape, frame, visible) => {
    const placement = placeOverlay(shape, frame, visible);
    const rect = shotstackFrameRect(overlayGeometry(placement), frame);
    // The shape's source box, mapped through Shotstack's transform, lands on the target (±1 px).
    expect(rect.k).toBeCloseTo(placement.scale, 4);
    expect(Math.abs(rect.x + placement.source.x * rect.k - placement.target.x)).toBeLessThan(1);
    expect(Math.abs(rect.y + placement.source.y * rect.k - placement.target.y)).toBeLessThan(1);
  });
});

describe('buildMontageEdit', () => {
  const placement = placeOverlay('circle', { width: 540, height: 960 });

  it('green screen: captions, keyed overlay, speech, looped muted background; 1080×1920 at 30 fps, as long as the speech', () => {
    const edit = buildMontageEdit({
      urls,
      mode: 'greenscreen',
      placement,
      speechSec: 5.2,
      backgroundSec: 2,
    });
    expect(edit.output).toEqual({ format: 'mp4', size: { width: 1080, height: 1920 }, fps: 30 });
    expect(edit.timeline.tracks.map((track) => track.clips.map((clip) => clip.asset.type))).toEqual(
      [['caption'], ['video'], ['audio'], ['video', 'video', 'video']],
    );
    expect(edit.timeline.tracks[0]!.clips[0]).toMatchInlineSnapshot(`
      {
        "asset": {
          "background": {
            "color": "#000000",
            "opacity": 0,
            "padding": 0,
          },
          "font": {
            "color": "#ffffff",
            "family": "Open Sans",
            "lineHeight": 1.2,
            "size": 76,
            "stroke": "#000000",
            "strokeWidth": 3,
          },
          "margin": {
            "left": 0.06,
            "right": 0.06,
            "top": 0.5215,
          },
          "src": "https://files.example/captions.srt",
          "type": "caption",
        },
        "length": 5.2,
        "start": 0,
      }
    `);
    expect(edit.timeline.tracks[1]!.clips[0]).toMatchInlineSnapshot(`
      {
        "asset": {
          "chromaKey": {
            "color": "#00ff00",
            "halo": 60,
            "threshold": 120,
          },
          "src": "https://files.example/overlay.mp4",
          "type": "video",
          "volume": 0,
        },
        "fit": "contain",
        "length": 5.2,
        "offset": {
          "x": 0,
          "y": -0.306462,
        },
        "position": "center",
        "scale": 0.574074,
        "start": 0,
      }
    `);
    expect(
      edit.timeline.tracks[3]!.clips.map((clip) => [
        clip.start,
        clip.length,
        clip.fit,
        clip.asset.type === 'video' && clip.asset.volume,
      ]),
    ).toEqual([
      [0, 2, 'crop', 0],
      [2, 2, 'crop', 0],
      [4, 1.2, 'crop', 0],
    ]);
    const ends = edit.timeline.tracks.flatMap((track) =>
      track.clips.map((clip) => clip.start + clip.length),
    );
    expect(Math.max(...ends)).toBeCloseTo(5.2, 6);
  });

  it('matte: the fill video and a luma clip of the matte share the overlay track and its geometry', () => {
    const edit = buildMontageEdit({
      urls,
      mode: 'matte',
      placement,
      speechSec: 3,
      backgroundSec: 10,
    });
    const [fill, luma] = edit.timeline.tracks[1]!.clips;
    expect(fill!.asset).toEqual({ type: 'video', src: urls.fill, volume: 0 });
    expect(luma!.asset).toEqual({ type: 'luma', src: urls.overlay });
    const { asset: _fillAsset, ...fillGeometry } = fill!;
    const { asset: _lumaAsset, ...lumaGeometry } = luma!;
    expect(lumaGeometry).toEqual(fillGeometry);
    expect(edit.timeline.tracks[3]!.clips).toHaveLength(1);
    expect(edit.timeline.tracks[3]!.clips[0]!.length).toBe(3);
    expect(() =>
      buildMontageEdit({
        urls: { ...urls, fill: undefined },
        mode: 'matte',
        placement,
        speechSec: 3,
        backgroundSec: 10,
      }),
    ).toThrow(RangeError);
  });

  it('leaves the caption track out when there are no words', () => {
    const edit = buildMontageEdit({
      urls: { ...urls, captions: undefined },
      mode: 'greenscreen',
      placement,
      speechSec: 3,
      backgroundSec: 10,
    });
    expect(
      edit.timeline.tracks.some((track) =>
        track.clips.some((clip) => clip.asset.type === 'caption'),
      ),
    ).toBe(false);
  });

  it('dresses the captions in the chosen style: bold is larger, boxed sits on an opaque dark box, classic is the default', () => {
    const captionAsset = (style: 'classic' | 'bold' | 'boxed') =>
      buildMontageEdit({
        urls,
        mode: 'greenscreen',
        placement,
        speechSec: 3,
        backgroundSec: 10,
        caption: shotstackCaptionStyle(style),
      }).timeline.tracks[0]!.clips[0]!.asset as unknown as {
        font: { size: number };
        background: { color: string; opacity: number; padding: number };
      };
    expect(captionAsset('classic')).toEqual(
      buildMontageEdit({ urls, mode: 'greenscreen', placement, speechSec: 3, backgroundSec: 10 })
        .timeline.tracks[0]!.clips[0]!.asset,
    );
    expect(captionAsset('classic').background.opacity).toBe(0);
    expect(captionAsset('bold').font.size).toBeGreaterThan(captionAsset('classic').font.size);
    expect(captionAsset('boxed').background).toEqual({ color: '#141414', opacity: 1, padding: 16 });
  });
});
