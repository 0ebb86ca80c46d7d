/**
 * Serving the exported ONNX files: a ModelGetter that answers with onnxruntime-node when the
 * export of the requested model is there and sound, and otherwise hands the request to the
 * tfjs getter, saying why (the reason reaches /health as the machine's runtime_note).
 *
 * An export serves a model only when
 *  - the export manifest lists it under the model's store key,
 *  - it was exported from the very training being served (same createdAt),
 *  - its parity check passed at export,
 *  - the file's SHA-256 matches the manifest, and onnxruntime opens it.
 * A session is kept per file while its manifest entry is unchanged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelGetter, ModelRef } from '../combining/snapshot.js';
import { readExportManifest, type ExportManifest, type ExportedModel } from './export.js';
import { OnnxServedModel, type OnnxSessionOptions } from './session.js';
import { fileStamp } from '../fileStamp.js';

export type InferenceRuntime = 'onnx' | 'tfjs';
export const INFERENCE_RUNTIMES: readonly InferenceRuntime[] = ['onnx', 'tfjs'];
/**
 * onnxruntime-node: bench/onnx.ts measured it faster than tfjs-wasm at one window and at a
 * batch of 100, for both Transformer configs (docs/models.md).
 */
export const DEFAULT_RUNTIME: InferenceRuntime = 'onnx';

/** A runtime name from a flag, config or environment; throws naming the accepted values. */
export function parseRuntime(value: string, source = '--runtime'): InferenceRuntime {
  if (value === 'onnx' || value === 'tfjs') return value;
  throw new Error(`${source} must be onnx or tfjs, got "${value}"`);
}


export function onnxModelGetter(onnxDir: string, tfjs: ModelGetter, options: OnnxSessionOptions = {}): ModelGetter {
  let manifest: { stamp: string; value: ExportManifest | null; error: string | null } | null = null;
  const sessions = new Map<string, { exportedAt: string; sha256: string; model: OnnxServedModel }>();

  function readManifest(): { value: ExportManifest | null; error: string | null } {
    const stamp = fileStamp(join(onnxDir, 'manifest.json'));
    if (manifest && manifest.stamp === stamp) return manifest;
    try {
      manifest = { stamp, value: readExportManifest(onnxDir), error: null };
    } catch (e) {
      manifest = { stamp, value: null, error: `the ONNX export manifest cannot be read (${(e as Error).message})` };
    }
    return manifest;
  }

  async function open(ref: ModelRef): Promise<{ model: OnnxServedModel } | { reason: string }> {
    const m = readManifest();
    const hint = `run \`hogi models export --format onnx --out ${onnxDir}\``;
    if (m.error) return { reason: `${m.error}; ${hint}` };
    if (!m.value) return { reason: `no ONNX export in ${onnxDir}; ${hint}` };
    const entry: ExportedModel | undefined = m.value.models.find((x) => x.name === ref.key);
    if (!entry) return { reason: `the ONNX export has no ${ref.key}; ${hint}` };
    if (entry.sourceCreatedAt !== ref.createdAt) {
      return { reason: `the ONNX export of ${ref.key} is of an earlier training (${entry.sourceCreatedAt}, served ${ref.createdAt}); ${hint}` };
    }
    if (!entry.parity.passed) return { reason: `the ONNX export of ${ref.key} failed its parity check against tfjs` };
    const cached = sessions.get(ref.key);
    if (cached && cached.exportedAt === entry.exportedAt && cached.sha256 === entry.sha256) return { model: cached.model };
    if (cached) {
      sessions.delete(ref.key);
      await cached.model.dispose();
    }
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(onnxDir, entry.file));
    } catch (e) {
      return { reason: `the ONNX file ${entry.file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); ${hint}` };
    }
    if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) return { reason: `the ONNX file ${entry.file} does not match its checksum (changed or corrupt); ${hint}` };
    try {
      const model = await OnnxServedModel.open(bytes, entry.input, options);
      sessions.set(ref.key, { exportedAt: entry.exportedAt, sha256: entry.sha256, model });
      return { model };
    } catch (e) {
      return { reason: `onnxruntime cannot load ${entry.file}: ${(e as Error).message.split('\n')[0]}` };
    }
  }

  return async (ref) => {
    const r = await open(ref);
    if ('model' in r) return { model: r.model, createdAt: ref.createdAt, runtime: 'onnx', runtimeNote: null };
    const loaded = await tfjs(ref);
    return { ...loaded, runtime: 'tfjs', runtimeNote: r.reason };
  };
}
