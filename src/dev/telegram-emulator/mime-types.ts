const byExtension: Record<string, string> = {
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/x-wav',
  pdf: 'application/pdf',
  txt: 'text/plain',
  json: 'application/json',
  zip: 'application/zip',
  srt: 'application/x-subrip',
  csv: 'text/csv',
};

/**
 * grammY labels every upload application/octet-stream, so — like Telegram, which sniffs — the
 * emulator derives the MIME type from the file name.
 */
export function mimeTypeFor(fileName: string | undefined, declared?: string): string | undefined {
  if (declared !== undefined && declared !== '' && declared !== 'application/octet-stream')
    return declared;
  const extension = fileName?.split('.').pop()?.toLowerCase();
  return (extension !== undefined && byExtension[extension]) || declared || undefined;
}

export function extensionFor(fileName: string | undefined, fallback: string): string {
  const extension = fileName?.includes('.') ? fileName.split('.').pop()?.toLowerCase() : undefined;
  return extension !== undefined && /^[a-z0-9]{1,8}$/.test(extension) ? extension : fallback;
}
