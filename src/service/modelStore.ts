import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Json, ModelArtifacts } from '../models/types.js';

export const DEFAULT_MODELS_DIR = './data/models';
/** Bump when the on-disk layout changes; older artefacts are then refused, not misread. */
export const STORE_FORMAT_VERSION = 1;

/** Facts about a training run that the store records next to the model's own manifest. */
export interface TrainingRecord {
  family: 'transformer' | 'ensemble';
  machine: number | 'all';
  config: string;
  seed: number;
  trainedRounds: { from: number; to: number; count: number; dataHash: string };
  validation: { [key: string]: Json };
  trainingMs: number;
  createdAt: string;
}

export interface StoredManifest extends TrainingRecord {
  storeFormatVersion: number;
  key: string;
  model: ModelArtifacts['manifest'];
  weights: Array<{ name: string; offset: number; length: number }>;
  weightsSha256: string;
  sizeBytes: number;
}

export class ModelArtifactError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(`model "${key}": ${message}`);
    this.name = 'ModelArtifactError';
    this.key = key;
  }
}

/** Stable name of a model slot: e.g. "ensemble-m1-small", "transformer-all-reference". */
export function modelKey(family: string, machine: number | 'all', config: string): string {
  return `${family}-${machine === 'all' ? 'all' : `m${machine}`}-${config}`;
}

const KEY_RE = /^[a-z]+-(all|m\d+)-[a-z0-9_]+$/;

/**
 * Saves artefacts as <dir>/<key>/{manifest.json, weights.bin}. A save writes a fresh
 * temporary folder and renames it into place, so a crash leaves either the old model or
 * the new one, never a mix.
 */
export function modelStore(dir: string = DEFAULT_MODELS_DIR) {
  const root = resolve(dir);

  function save(key: string, artifacts: ModelArtifacts, record: TrainingRecord): StoredManifest {
    if (!KEY_RE.test(key)) throw new ModelArtifactError(key, 'invalid model key');
    mkdirSync(root, { recursive: true });
    const names = Object.keys(artifacts.weights).sort();
    const layout: StoredManifest['weights'] = [];
    let total = 0;
    for (const name of names) {
      layout.push({ name, offset: total, length: artifacts.weights[name].length });
      total += artifacts.weights[name].length;
    }
    const buf = new Float32Array(total);
    for (const l of layout) buf.set(artifacts.weights[l.name], l.offset);
    const bytes = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
    const manifest: StoredManifest = {
      ...record,
      storeFormatVersion: STORE_FORMAT_VERSION,
      key,
      model: artifacts.manifest,
      weights: layout,
      weightsSha256: createHash('sha256').update(bytes).digest('hex'),
      sizeBytes: 0,
    };
    const manifestText = () => JSON.stringify(manifest, null, 2);
    manifest.sizeBytes = bytes.byteLength + Buffer.byteLength(manifestText());
    const tmp = join(root, `.${key}.tmp-${process.pid}-${Date.now()}`);
    mkdirSync(tmp);
    writeFileSync(join(tmp, 'weights.bin'), bytes);
    writeFileSync(join(tmp, 'manifest.json'), manifestText());
    const final = join(root, key);
    const old = join(root, `.${key}.old-${process.pid}-${Date.now()}`);
    if (existsSync(final)) renameSync(final, old);
    renameSync(tmp, final);
    rmSync(old, { recursive: true, force: true });
    return manifest;
  }

  function readManifest(key: string): StoredManifest {
    const path = join(root, key, 'manifest.json');
    if (!existsSync(path)) throw new ModelArtifactError(key, `not found in ${root}; train it with \`hogi train\``);
    let m: StoredManifest;
    try {
      m = JSON.parse(readFileSync(path, 'utf8')) as StoredManifest;
    } catch (e) {
      throw new ModelArtifactError(key, `manifest.json is not valid JSON (${(e as Error).message}); retrain with \`hogi train\``);
    }
    if (m.storeFormatVersion !== STORE_FORMAT_VERSION) {
      throw new ModelArtifactError(key, `store format ${String(m.storeFormatVersion)} is not ${STORE_FORMAT_VERSION}; retrain with \`hogi train\``);
    }
    if (m.key !== key || !m.model || typeof m.model.className !== 'string' || !Array.isArray(m.weights)) {
      throw new ModelArtifactError(key, 'manifest is incomplete or belongs to another model; retrain with `hogi train`');
    }
    return m;
  }

  /** Load and verify: checksum, sizes and layout must all match, or ModelArtifactError. */
  function load(key: string): { manifest: StoredManifest; artifacts: ModelArtifacts } {
    const manifest = readManifest(key);
    const path = join(root, key, 'weights.bin');
    if (!existsSync(path)) throw new ModelArtifactError(key, 'weights.bin is missing; retrain with `hogi train`');
    const bytes = readFileSync(path);
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== manifest.weightsSha256) throw new ModelArtifactError(key, 'weights.bin does not match its checksum (corrupt or changed); retrain with `hogi train`');
    if (bytes.byteLength % 4 !== 0) throw new ModelArtifactError(key, 'weights.bin has a partial value');
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const weights: Record<string, Float32Array> = {};
    for (const l of manifest.weights) {
      if (l.offset < 0 || l.offset + l.length > all.length) throw new ModelArtifactError(key, `weight "${l.name}" lies outside weights.bin`);
      weights[l.name] = all.slice(l.offset, l.offset + l.length);
    }
    return { manifest, artifacts: { manifest: manifest.model, weights } };
  }

  /** Manifests of every stored model; unreadable ones are reported, not hidden. */
  function list(): Array<{ key: string; manifest: StoredManifest | null; error: string | null }> {
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((n) => !n.startsWith('.') && statSync(join(root, n)).isDirectory())
      .sort()
      .map((key) => {
        try {
          return { key, manifest: readManifest(key), error: null };
        } catch (e) {
          return { key, manifest: null, error: (e as Error).message };
        }
      });
  }

  return { root, save, load, readManifest, list, has: (key: string) => existsSync(join(root, key, 'manifest.json')) };
}

export type ModelStore = ReturnType<typeof modelStore>;
