import { FAMILIES, type ModelFamily } from '../models/families.js';
import type { ModelArtifacts, ServableModel } from '../models/types.js';
import { ModelArtifactError, modelKey, type ModelStore, type StoredManifest } from './modelStore.js';

// Its home is models/families.ts; kept importable from here for the edges that still look here.
export type { ModelFamily };
export type ModelStatus = 'absent' | 'training' | 'ready' | 'failed';

/** Turns stored artefacts back into a model; one per className. */
export type ModelLoader = (artifacts: ModelArtifacts) => ServableModel | Promise<ServableModel>;

export interface ModelSlotStatus {
  key: string;
  family: ModelFamily;
  machine: number | 'all';
  config: string;
  status: ModelStatus;
  loaded: boolean;
  memoryMb: number;
  trainedRounds: StoredManifest['trainedRounds'] | null;
  lastTraining: string | null;
  error: string | null;
}

interface Slot {
  key: string;
  family: ModelFamily;
  machine: number | 'all';
  config: string;
  status: ModelStatus;
  model: ServableModel | null;
  manifest: StoredManifest | null;
  bytes: number;
  lastUse: number;
  error: string | null;
}

export interface ModelManagerOptions {
  store: ModelStore;
  loaders: Record<string, ModelLoader>;
  /** The design's HybridModelManager budget. */
  maxMemoryMb?: number;
}

/**
 * Keeps trained models in memory within a budget: loads the small ensemble before the
 * Transformer (or both at once), evicts the least recently used model under pressure,
 * and reports a status per model for the health endpoint.
 */
export class ModelManager {
  readonly maxMemoryBytes: number;
  private readonly store: ModelStore;
  private readonly loaders: Record<string, ModelLoader>;
  private readonly slots = new Map<string, Slot>();
  private useCounter = 0;

  constructor(options: ModelManagerOptions) {
    this.store = options.store;
    this.loaders = options.loaders;
    this.maxMemoryBytes = (options.maxMemoryMb ?? 2048) * 1024 * 1024;
  }

  private slot(family: ModelFamily, machine: number | 'all', config: string): Slot {
    const key = modelKey(family, machine, config);
    let s = this.slots.get(key);
    if (!s) {
      s = { key, family, machine, config, status: this.store.has(key) ? 'ready' : 'absent', model: null, manifest: null, bytes: 0, lastUse: 0, error: null };
      this.slots.set(key, s);
    }
    return s;
  }

  memoryUsedBytes(): number {
    let total = 0;
    for (const s of this.slots.values()) total += s.bytes;
    return total;
  }

  /** Drop least recently used models until `needed` more bytes fit (never the one being loaded). */
  private makeRoom(needed: number, keep: string): void {
    const loaded = [...this.slots.values()].filter((s) => s.model && s.key !== keep).sort((a, b) => a.lastUse - b.lastUse);
    while (this.memoryUsedBytes() + needed > this.maxMemoryBytes && loaded.length) this.unload(loaded.shift()!.key);
  }

  unload(key: string): void {
    const s = this.slots.get(key);
    if (!s || !s.model) return;
    s.model.dispose?.();
    s.model = null;
    s.bytes = 0;
  }

  /** The model, loading it from the store if needed; throws ModelArtifactError when absent or corrupt. */
  async get(family: ModelFamily, machine: number | 'all', config: string): Promise<ServableModel> {
    const s = this.slot(family, machine, config);
    s.lastUse = ++this.useCounter;
    if (s.model) return s.model;
    try {
      const { manifest, artifacts } = this.store.load(s.key);
      const loader = this.loaders[artifacts.manifest.className];
      if (!loader) throw new ModelArtifactError(s.key, `unknown model class "${artifacts.manifest.className}"`);
      const estimate = manifest.sizeBytes;
      this.makeRoom(estimate, s.key);
      const model = await loader(artifacts);
      s.model = model;
      s.manifest = manifest;
      s.bytes = model.memoryBytes();
      s.status = 'ready';
      s.error = null;
      this.makeRoom(0, s.key);
      return model;
    } catch (e) {
      s.status = this.store.has(s.key) ? 'failed' : 'absent';
      s.error = (e as Error).message;
      throw e;
    }
  }

  /** Load both families for the given machines: ensembles first (small), then Transformers, or all at once. */
  async loadAll(machines: Array<number | 'all'>, config: string, options: { parallel?: boolean } = {}): Promise<ModelSlotStatus[]> {
    const attempt = (family: ModelFamily, m: number | 'all') => this.get(family, m, config).then(() => undefined, () => undefined);
    if (options.parallel) {
      await Promise.all(machines.flatMap((m) => FAMILIES.map((family) => attempt(family, m))));
    } else {
      for (const family of FAMILIES) for (const m of machines) await attempt(family, m);
    }
    return this.status();
  }

  markTraining(family: ModelFamily, machine: number | 'all', config: string): void {
    const s = this.slot(family, machine, config);
    s.status = 'training';
    s.error = null;
  }

  markFailed(family: ModelFamily, machine: number | 'all', config: string, error: string): void {
    const s = this.slot(family, machine, config);
    // A failed retrain keeps serving the previous model when there is one.
    s.status = s.model || this.store.has(s.key) ? 'ready' : 'failed';
    s.error = error;
  }

  /** Put a freshly trained (already saved) model in place in one step. */
  swap(family: ModelFamily, machine: number | 'all', config: string, model: ServableModel, manifest: StoredManifest): void {
    const s = this.slot(family, machine, config);
    const old = s.model;
    s.model = model;
    s.manifest = manifest;
    s.bytes = model.memoryBytes();
    s.status = 'ready';
    s.error = null;
    s.lastUse = ++this.useCounter;
    if (old && old !== model) old.dispose?.();
    this.makeRoom(0, s.key);
  }

  /** Status of every model slot seen so far plus every model on disk. */
  status(): ModelSlotStatus[] {
    for (const entry of this.store.list()) {
      if (!entry.manifest || this.slots.has(entry.key)) continue;
      const m = entry.manifest;
      this.slot(m.family, m.machine, m.config).manifest = m;
    }
    return [...this.slots.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((s) => {
        const manifest = s.manifest;
        return {
          key: s.key,
          family: s.family,
          machine: s.machine,
          config: s.config,
          status: s.status,
          loaded: s.model !== null,
          memoryMb: Math.round((s.bytes / 1024 / 1024) * 100) / 100,
          trainedRounds: manifest?.trainedRounds ?? null,
          lastTraining: manifest?.createdAt ?? null,
          error: s.error,
        };
      });
  }
}
