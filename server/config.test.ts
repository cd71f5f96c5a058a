import { describe, expect, it } from 'vitest';
import { parseEnv } from './config.ts';

describe('parseEnv', () => {
  it('returns the embedded defaults when nothing is set, and treats an empty value as unset', () => {
    const env = parseEnv({ PIXELDRIVE_PG_PORT: '', PIXELDRIVE_BACKEND: '' });
    expect(env).toMatchObject({
      PORT: 3000,
      PIXELDRIVE_PG_PORT: 54329,
      PIXELDRIVE_BACKEND: 'auto',
      PIXELDRIVE_AUTO_EVAL: true,
      PIXELDRIVE_ONNX_THREAD: true,
      PIXELDRIVE_WORKER_CONCURRENCY: 1,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PIXELDRIVE_TF_BACKEND).toBeUndefined();
  });

  it('counts CUDA_VISIBLE_DEVICES as set only when it has a value (an empty one hides every GPU)', () => {
    expect(parseEnv({ CUDA_VISIBLE_DEVICES: '' }).CUDA_VISIBLE_DEVICES).toBeUndefined();
    expect(parseEnv({ CUDA_VISIBLE_DEVICES: '0' }).CUDA_VISIBLE_DEVICES).toBe('0');
  });

  it('reads numbers and switches', () => {
    expect(parseEnv({ PIXELDRIVE_PG_PORT: '6000', PIXELDRIVE_AUTO_EVAL: '0', PIXELDRIVE_ONNX_THREAD: '0', PIXELDRIVE_TF_BACKEND: 'wasm' })).toMatchObject({
      PIXELDRIVE_PG_PORT: 6000,
      PIXELDRIVE_AUTO_EVAL: false,
      PIXELDRIVE_ONNX_THREAD: false,
      PIXELDRIVE_TF_BACKEND: 'wasm',
    });
  });

  it.each([
    ['PIXELDRIVE_PG_PORT', 'abc'],
    ['PORT', '70000'],
    ['PIXELDRIVE_BACKEND', 'cuda'],
    ['PIXELDRIVE_TF_BACKEND', 'webgl'],
    ['PIXELDRIVE_AUTO_EVAL', 'no'],
    ['PIXELDRIVE_WORKER_CONCURRENCY', '0'],
  ])('refuses %s=%s with a message naming the variable and its value', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(`invalid environment: ${name}="${value}"`));
  });
});
