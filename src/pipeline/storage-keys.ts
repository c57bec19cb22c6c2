/** Where a generation's files live in object storage: everything under `generations/<id>/`. */
export const generationKeys = (generationId: string) => {
  const base = `generations/${generationId}`;
  return {
    speech: (mimeType: string) => `${base}/speech.${audioExtension(mimeType)}`,
    talkingHead: `${base}/talking-head.mp4`,
    composite: `${base}/final.mp4`,
  };
};

export function audioExtension(mimeType: string): string {
  const type = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  switch (type) {
    case 'audio/wav':
    case 'audio/wave':
    case 'audio/x-wav':
      return 'wav';
    case 'audio/mpeg':
    case 'audio/mp3':
      return 'mp3';
    case 'audio/ogg':
      return 'ogg';
    case 'audio/aac':
      return 'aac';
    case 'audio/mp4':
      return 'm4a';
    default:
      return 'audio';
  }
}
