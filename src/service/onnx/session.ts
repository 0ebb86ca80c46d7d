/**
 * An exported ONNX model served through onnxruntime-node: feeds it the same input the tfjs
 * model computes (src/models/onnx/inputs.ts) and returns the 45 probabilities per history.
 * onnxruntime-node is imported on first use, so only a process that runs ONNX loads it.
 */
import type { Draw } from '../../domain/draw.js';
import { onnxBatches, type OnnxInputSpec } from '../../models/onnx/inputs.js';
import type { NumberProbabilities } from '../../models/types.js';

type Ort = typeof import('onnxruntime-node');
type Session = import('onnxruntime-node').InferenceSession;

let ortModule: Promise<Ort> | null = null;
/** onnxruntime-node, loaded once per process (or worker). */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-node');
  return ortModule;
}

export interface OnnxSessionOptions {
  /** Threads inside one operator (default 1: the server runs both families side by side on few cores). */
  intraOpThreads?: number;
}

export const DEFAULT_ONNX_THREADS = 1;

export class OnnxServedModel {
  readonly className = 'OnnxServedModel';
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    readonly input: OnnxInputSpec,
    readonly sizeBytes: number,
  ) {}

  /** Opens a model file (path) or bytes; throws with onnxruntime's message when it cannot be loaded. */
  static async open(model: string | Uint8Array, input: OnnxInputSpec, options: OnnxSessionOptions = {}): Promise<OnnxServedModel> {
    const ort = await loadOrt();
    const threads = options.intraOpThreads ?? DEFAULT_ONNX_THREADS;
    const sessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' as const, graphOptimizationLevel: 'all' as const };
    const session = typeof model === 'string' ? await ort.InferenceSession.create(model, sessionOptions) : await ort.InferenceSession.create(model, sessionOptions);
    const inputName = input.kind === 'draw_window' ? 'tokens' : 'features';
    if (session.inputNames.length !== 1 || session.inputNames[0] !== inputName || !session.outputNames.includes('probabilities')) {
      await session.release();
      throw new Error(`the ONNX file has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; expected input ${inputName} and output probabilities`);
    }
    return new OnnxServedModel(ort, session, input, typeof model === 'string' ? 0 : model.byteLength);
  }

  /** Runs the graph on one prepared input tensor; returns the named output's values. */
  async runTensor(data: Float32Array, dims: readonly number[], output = 'probabilities'): Promise<Float32Array> {
    const name = this.input.kind === 'draw_window' ? 'tokens' : 'features';
    const result = await this.session.run({ [name]: new this.ort.Tensor('float32', data, [...dims]) }, [output]);
    const t = result[output];
    const values = t.data as Float32Array;
    t.dispose();
    return values;
  }

  /** The 45 probabilities (sum 6) for the draw after each history, batched per graph call. */
  async predictBatch(histories: readonly (readonly Draw[])[]): Promise<NumberProbabilities[]> {
    const out: NumberProbabilities[] = new Array(histories.length);
    for (const batch of onnxBatches(this.input, histories)) {
      const probs = await this.runTensor(batch.data, batch.dims);
      batch.indices.forEach((h, i) => {
        out[h] = Float64Array.from(probs.subarray(i * 45, (i + 1) * 45));
      });
    }
    return out;
  }

  async predict(history: readonly Draw[]): Promise<NumberProbabilities> {
    return (await this.predictBatch([history]))[0];
  }

  memoryBytes(): number {
    return this.sizeBytes;
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
