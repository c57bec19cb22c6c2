import { stat } from 'node:fs/promises';
import { readManifest } from '../../../catalog/catalog-manifest.js';
import type { PhotoFace } from '../../../catalog/photo-face.js';

/** Where the face of a picture is, by the picture's SHA-256, when one was found at import. */
export interface PhotoFaceSource {
  find(imageSha256: string): Promise<PhotoFace | undefined>;
}

/**
 * The faces the catalog manifest records for its imported photos. The manifest is read again
 * whenever the file changes, so a `catalog:import` run while the service is up is seen at the
 * next video without a restart.
 */
export class CatalogPhotoFaces implements PhotoFaceSource {
  private cached:
    { readonly mtimeMs: number; readonly faces: ReadonlyMap<string, PhotoFace> } | undefined;

  constructor(private readonly manifestPath: string) {}

  async find(imageSha256: string): Promise<PhotoFace | undefined> {
    const info = await stat(this.manifestPath).catch(() => undefined);
    if (!info) return undefined;
    if (this.cached?.mtimeMs !== info.mtimeMs) {
      const manifest = await readManifest(this.manifestPath);
      const faces = new Map<string, PhotoFace>();
      for (const character of manifest?.characters ?? [])
        if (character.face) faces.set(character.face.imageSha256, character.face);
      this.cached = { mtimeMs: info.mtimeMs, faces };
    }
    return this.cached.faces.get(imageSha256);
  }
}
