/**
 * The one place that chooses the tfjs backend. Only entry points (CLI, server,
 * benches) and tests import this; model modules use whatever backend is active.
 *
 * Preference: WebAssembly (SIMD kernels, ~several× faster than the pure-JS cpu
 * backend for the matMul-heavy Transformer), falling back to 'cpu' with a logged
 * reason when the .wasm binaries cannot be loaded.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
// Side effect: registers the 'wasm' backend with the shared tfjs-core engine.
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type TfBackendName = 'wasm' | 'cpu';

let wasmPathsSet = false;

/** Directory (with trailing slash) holding tfjs-backend-wasm's .wasm files. */
export function wasmBinaryDir(): string {
  const require = createRequire(import.meta.url);
  // The package's Node entry lives in dist/, next to the .wasm binaries.
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`;
}

async function trySetBackend(name: TfBackendName): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return `tf.setBackend('${name}') returned false`;
    await tf.ready();
    return tf.getBackend() === name ? null : `backend is '${tf.getBackend()}' after selecting '${name}'`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Select the tfjs backend and wait until it is ready. Returns the backend in use.
 * `log` receives the reason when the preferred backend cannot be used.
 */
export async function initTf(
  preferred: TfBackendName = 'wasm',
  log: (message: string) => void = (m) => console.warn(m),
): Promise<string> {
  if (preferred === 'wasm') {
    if (!wasmPathsSet) {
      // File paths work in Node: the wasm loader reads them with fs.
      setWasmPaths(wasmBinaryDir());
      wasmPathsSet = true;
    }
    const failure = await trySetBackend('wasm');
    if (failure === null) return 'wasm';
    log(`tfjs: wasm backend unavailable (${failure}); falling back to cpu`);
  }
  const failure = await trySetBackend('cpu');
  if (failure !== null) throw new Error(`tfjs: cannot initialise the cpu backend: ${failure}`);
  return 'cpu';
}

/** The backend currently active (after initTf). */
export function currentTfBackend(): string {
  return tf.getBackend();
}
