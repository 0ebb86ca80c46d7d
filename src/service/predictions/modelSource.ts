/**
 * Which stored model serves each machine, read from the store without loading weights.
 *
 * Per machine M and family, the scopes are tried in order (default: M's own model, then the
 * pooled 'all' model). Manifests are parsed only when their file changed (an ensemble's
 * manifest holds its trees and can be megabytes); a cheap stat of every candidate file is
 * the change signal the vector cache polls.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Machine } from '../../domain/machine.js';
import type { ModelFamily } from '../../models/families.js';
import { ModelManager, type ModelLoader } from '../modelManager.js';
import { modelKey, type ModelStore, type StoredManifest } from '../modelStore.js';
import type { ModelGetter, ModelRef } from './inference.js';

export type ModelScope = 'machine' | 'pooled';

/** The inputs a stored model reads, from its own manifest. */
function featuresOf(family: ModelFamily, manifest: StoredManifest['model']): string[] {
  if (family === 'ensemble' && Array.isArray(manifest.featureNames)) return manifest.featureNames.map(String);
  // Transformer params sit in `params` (format 2) or `config` (format 1, still loadable).
  const params = manifest.params ?? manifest.config;
  const seqLen = typeof params === 'object' && params !== null && !Array.isArray(params) ? params.seqLen : undefined;
  if (family === 'transformer' && typeof seqLen === 'number') return [`draw_sequence_${seqLen}`];
  return [];
}

export interface Resolution {
  ref: ModelRef | null;
  /** Why there is no model (absent or unreadable), naming what to run. */
  missing: string | null;
}

function stamp(path: string): string {
  try {
    const s = statSync(path);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return '-';
  }
}

export function modelResolver(store: ModelStore, config: string, scopes: readonly ModelScope[] = ['machine', 'pooled']) {
  const parsed = new Map<string, { stamp: string; ref: ModelRef | null; error: string | null }>();
  const candidates = (family: ModelFamily, machine: Machine) => scopes.map((s) => modelKey(family, s === 'pooled' ? 'all' : machine, config));

  function read(key: string): { ref: ModelRef | null; error: string | null } {
    const st = stamp(join(store.root, key, 'manifest.json'));
    const hit = parsed.get(key);
    if (hit && hit.stamp === st) return hit;
    let entry: { stamp: string; ref: ModelRef | null; error: string | null };
    if (st === '-') entry = { stamp: st, ref: null, error: null };
    else {
      try {
        const m = store.readManifest(key);
        entry = {
          stamp: st,
          ref: {
            key,
            family: m.family,
            machine: m.machine,
            config: m.config,
            createdAt: m.createdAt,
            dataHash: m.trainedRounds.dataHash,
            trainedThroughRound: m.trainedRounds.to,
            features: featuresOf(m.family, m.model),
          },
          error: null,
        };
      } catch (e) {
        entry = { stamp: st, ref: null, error: (e as Error).message };
      }
    }
    parsed.set(key, entry);
    return entry;
  }

  return {
    config,
    scopes,
    /** Cheap change signal: mtime and size of every candidate manifest. */
    stamp(families: readonly ModelFamily[], machines: readonly Machine[]): string {
      const keys = new Set(families.flatMap((f) => machines.flatMap((m) => candidates(f, m))));
      return [...keys].map((k) => `${k}=${stamp(join(store.root, k, 'manifest.json'))}`).join(';');
    },
    resolve(family: ModelFamily, machine: Machine): Resolution {
      const errors: string[] = [];
      for (const key of candidates(family, machine)) {
        const r = read(key);
        if (r.ref) return { ref: r.ref, missing: null };
        if (r.error) errors.push(r.error);
      }
      const tried = candidates(family, machine).join(' or ');
      if (errors.length) return { ref: null, missing: `${errors.join('; ')}` };
      const hint = scopes.includes('machine')
        ? `run \`hogi train --machine ${machine} --family ${family} --config ${config}\``
        : `run \`hogi train --pooled --family ${family} --config ${config}\``;
      return { ref: null, missing: `no trained ${family} model (${tried}) in ${store.root}: ${hint}` };
    },
  };
}

export type ModelResolver = ReturnType<typeof modelResolver>;

/**
 * A ModelGetter over a ModelManager (memory budget, LRU): a model whose manifest changed
 * since it was loaded is unloaded first, so a retrained model replaces the old one.
 */
export function managedModels(store: ModelStore, loaders: Record<string, ModelLoader>, maxMemoryMb?: number): { get: ModelGetter; manager: ModelManager } {
  const manager = new ModelManager({ store, loaders, maxMemoryMb });
  const loadedAt = new Map<string, string>();
  const get: ModelGetter = async (ref) => {
    if (loadedAt.has(ref.key) && loadedAt.get(ref.key) !== ref.createdAt) manager.unload(ref.key);
    const model = await manager.get(ref.family, ref.machine, ref.config);
    loadedAt.set(ref.key, ref.createdAt);
    return { model, createdAt: ref.createdAt };
  };
  return { get, manager };
}
