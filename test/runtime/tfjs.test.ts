import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { currentTfBackend, initTf } from '../../src/runtime/tfjs.js';

describe('initTf', () => {
  it('selects the wasm backend in Node, where gradients of a matMul embedding work', async () => {
    expect(await initTf()).toBe('wasm');
    expect(currentTfBackend()).toBe('wasm');
    // d/dE Σ (X·E)² = 2·Xᵀ·X·E; with X one-hot rows [1, 1, 3] and E = 1 this is 2 × (times the row is used).
    const x = tf.oneHot(tf.tensor1d([1, 1, 3], 'int32'), 4);
    const grad = tf.grad((e: tf.Tensor) => tf.sum(tf.square(tf.matMul(tf.cast(x, 'float32'), e))))(tf.ones([4, 2]));
    expect(Array.from(grad.dataSync())).toEqual([0, 0, 4, 4, 0, 0, 2, 2]);
  });

  it('switches to the cpu backend when asked, without logging a fallback', async () => {
    const logged: string[] = [];
    expect(await initTf('cpu', (m) => logged.push(m))).toBe('cpu');
    expect(currentTfBackend()).toBe('cpu');
    expect(logged).toEqual([]);
    expect(await initTf('wasm', (m) => logged.push(m))).toBe('wasm');
  });
});
