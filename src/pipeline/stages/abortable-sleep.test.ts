import { describe, expect, it } from 'vitest';
import { abortAfterGrace, abortableSleep } from './abortable-sleep.js';

describe('abortableSleep', () => {
  it('waits the time, or ends at once with the stop reason', async () => {
    const started = Date.now();
    await abortableSleep(30, new AbortController().signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);

    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    const reason = new Error('stopping');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(abortableSleep(10, controller.signal)).rejects.toBe(reason);
  });
});

describe('abortAfterGrace', () => {
  it('lets work in flight finish for the grace, then cuts it off with the same reason', async () => {
    const controller = new AbortController();
    const upload = abortAfterGrace(controller.signal, 40);
    controller.abort(new Error('stopping'));
    expect(upload.signal.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(upload.signal.aborted).toBe(true);
    expect((upload.signal.reason as Error).message).toBe('stopping');
  });

  it('never fires once disposed', async () => {
    const controller = new AbortController();
    const upload = abortAfterGrace(controller.signal, 20);
    upload.dispose();
    controller.abort(new Error('stopping'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upload.signal.aborted).toBe(false);
  });
});
