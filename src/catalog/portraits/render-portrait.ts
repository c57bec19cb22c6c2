import sharp from 'sharp';
import { writeFileAtomically } from '../write-file-atomically.js';
import type { PortraitSpec } from './portrait-spec.js';
import { portraitHeight, portraitSvg, portraitWidth } from './portrait-svg.js';

export interface RenderedPortrait {
  readonly path: string;
  readonly width: number;
  readonly height: number;
  readonly sizeBytes: number;
}

/** Rasterises a portrait to a 1080×1920 PNG (sharp's librsvg), written atomically. */
export async function renderPortraitPng(
  spec: PortraitSpec,
  outputPath: string,
): Promise<RenderedPortrait> {
  const svg = Buffer.from(portraitSvg(spec), 'utf8');
  const info = await writeFileAtomically(outputPath, (temporary) =>
    sharp(svg, { density: 72 })
      .resize(portraitWidth, portraitHeight)
      // The drawing covers the canvas; an alpha channel would only add bytes and doubt.
      .removeAlpha()
      // Flat colours compress well with filtering off; level 6 is most of level 9's gain at a third
      // of the time.
      .png({ compressionLevel: 6, adaptiveFiltering: false })
      .toFile(temporary),
  );
  return { path: outputPath, width: info.width, height: info.height, sizeBytes: info.size };
}
