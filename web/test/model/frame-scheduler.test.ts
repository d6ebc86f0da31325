import { describe, expect, test } from 'vitest';
import { FrameScheduler } from '../../src/model/index.ts';

describe('FrameScheduler', () => {
  test('a burst of requests renders once per frame', () => {
    const frames: (() => void)[] = [];
    let renders = 0;
    const s = new FrameScheduler(
      (cb) => frames.push(cb),
      () => renders++,
    );
    for (let i = 0; i < 1000; i++) s.request();
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect(renders).toBe(1);
    s.request();
    s.request();
    expect(frames).toHaveLength(1);
    frames.shift()?.();
    expect([renders, s.frames]).toEqual([2, 2]);
  });
});
