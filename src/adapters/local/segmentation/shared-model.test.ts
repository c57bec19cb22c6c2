import { afterEach, describe, expect, it, vi } from 'vitest';
import { SharedModel } from './shared-model.js';

function fakeModel() {
  const model = { released: false, release: async () => void (model.released = true) };
  return model;
}

describe('SharedModel', () => {
  afterEach(() => vi.useRealTimers());

  it('loads once for concurrent users and releases after the idle time', async () => {
    vi.useFakeTimers();
    const models: ReturnType<typeof fakeModel>[] = [];
    const shared = new SharedModel(async () => {
      const model = fakeModel();
      models.push(model);
      return model;
    }, 1000);
    const [a, b] = await Promise.all([shared.use(async (m) => m), shared.use(async (m) => m)]);
    expect(a).toBe(b);
    expect(models).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(models[0]!.released).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(models[0]!.released).toBe(true);
    // The next user gets a fresh model.
    await shared.use(async () => undefined);
    expect(models).toHaveLength(2);
  });

  it('does not release a model while it is in use, and retries a failed load', async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const model = fakeModel();
    const shared = new SharedModel(async () => {
      attempts++;
      if (attempts === 1) throw new Error('not installed');
      return model;
    }, 10);
    await expect(shared.use(async () => undefined)).rejects.toThrow('not installed');
    let finish!: () => void;
    const running = shared.use(
      (m) => new Promise<void>((resolve) => (finish = () => resolve(void m))),
    );
    await vi.advanceTimersByTimeAsync(50);
    expect(model.released).toBe(false);
    finish();
    await running;
    await vi.advanceTimersByTimeAsync(10);
    expect(model.released).toBe(true);
    expect(attempts).toBe(2);
  });
});

describe('SharedModel deadline', () => {
  afterEach(() => vi.useRealTimers());

  it('gives up on work past the deadline, and keeps the model until that work has ended', async () => {
    vi.useFakeTimers();
    const model = fakeModel();
    const shared = new SharedModel(async () => model, 1000, 5000);
    let finish!: () => void;
    const stuck = shared
      .use(() => new Promise<void>((resolve) => (finish = resolve)))
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await stuck).toMatchObject({
      code: 'PROVIDER_TIMEOUT',
      kind: 'timeout',
      retryable: true,
    });
    // Still running: no release, however long it takes.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(model.released).toBe(false);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(model.released).toBe(true);
  });

  it('work within the deadline is untouched', async () => {
    const shared = new SharedModel(async () => fakeModel(), 1000, 5000);
    expect(await shared.use(async () => 'mask')).toBe('mask');
  });
});
