/** The containers the background format accepts. */
export type AcceptedContainer = 'mp4' | 'mov' | 'avi';

/**
 * Names a container from ffprobe's demuxer name. MP4 and QuickTime share one demuxer
 * ("mov,mp4,m4a,3gp,3g2,mj2"); the file's major brand tells them apart.
 */
export function containerName(formatName: string, majorBrand?: string): string {
  const names = formatName.split(',');
  if (names.includes('mov') || names.includes('mp4')) {
    return majorBrand?.trim() === 'qt' ? 'mov' : 'mp4';
  }
  return formatName;
}

export function isAcceptedContainer(container: string): container is AcceptedContainer {
  return container === 'mp4' || container === 'mov' || container === 'avi';
}

/**
 * Recognises MP4/MOV and AVI by their first bytes, so a file ffprobe cannot open is reported as
 * a damaged video (corrupt) when it starts like one, and as an unsupported format otherwise.
 */
export function sniffContainer(head: Uint8Array): 'mp4-or-mov' | 'avi' | undefined {
  const tag = (start: number) => String.fromCharCode(...head.subarray(start, start + 4));
  if (head.length >= 12 && tag(0) === 'RIFF' && tag(8) === 'AVI ') return 'avi';
  if (head.length >= 8 && ['ftyp', 'moov', 'mdat', 'wide', 'free', 'skip'].includes(tag(4)))
    return 'mp4-or-mov';
  return undefined;
}
