/**
 * Input options for a raw video fed through a pipe whose size and rate are given on the command
 * line. ffmpeg opens its inputs one after another and, by default, reads up to 5 MB of each to
 * "find stream info" before opening the next — 60 masks, or several head frames. While it reads
 * ahead on the mask pipe it reads nothing from the head pipe, yet the next mask can only be made
 * once the decoder has finished writing a head frame into that unread pipe: a deadlock that a
 * loaded machine hit in about one composite in three. A raw stream needs no probing at all, so
 * each pipe is opened on its first packet.
 */
export const rawPipeProbe: readonly string[] = ['-probesize', '32', '-analyzeduration', '0'];
