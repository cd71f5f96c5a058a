import { describe, expect, it } from 'vitest';
import { webProcessEnv } from './web-process-env.ts';

describe('webProcessEnv', () => {
  it('adds the allocator settings to the environment and keeps everything else', () => {
    const env = webProcessEnv({ PORT: '3000', DATABASE_URL: 'postgresql://x' });
    expect(env).toEqual({ PORT: '3000', DATABASE_URL: 'postgresql://x', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
  });

  it('leaves a setting the operator made alone (an empty value counts as unset)', () => {
    const env = webProcessEnv({ MALLOC_ARENA_MAX: '8', MALLOC_MMAP_THRESHOLD_: '' });
    expect(env.MALLOC_ARENA_MAX).toBe('8');
    expect(env.MALLOC_MMAP_THRESHOLD_).toBe('131072');
  });
});
