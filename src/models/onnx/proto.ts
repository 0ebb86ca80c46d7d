/**
 * A small builder over the ONNX protobuf definition (onnx-proto): initialisers, nodes with
 * typed attributes, value infos and the model envelope. Pure: it returns bytes and does no I/O.
 *
 * Every graph hogi exports uses the standard domain at opset 17 (LayerNormalization is
 * standard from 17) and, for the trees, ai.onnx.ml at opset 3, under IR version 8.
 */
import protoPkg from 'onnx-proto';

const { onnx } = protoPkg;
type AttributeProto = protoPkg.onnx.IAttributeProto;
type NodeProto = protoPkg.onnx.INodeProto;
type TensorProto = protoPkg.onnx.ITensorProto;
type ValueInfoProto = protoPkg.onnx.IValueInfoProto;

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;
export const ONNX_ML_OPSET = 3;
export const ML_DOMAIN = 'ai.onnx.ml';

export const DataType = {
  FLOAT: onnx.TensorProto.DataType.FLOAT,
  INT64: onnx.TensorProto.DataType.INT64,
  BOOL: onnx.TensorProto.DataType.BOOL,
} as const;

/** A dimension: a fixed size, or a symbolic name such as "batch". */
export type Dim = number | string;

export interface TensorSpec {
  name: string;
  /** FLOAT unless said otherwise. */
  elemType?: number;
  dims: readonly Dim[];
  doc?: string;
}

export type AttrValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: ArrayLike<number> }
  | { kind: 'strings'; value: readonly string[] }
  | { kind: 'tensor'; value: TensorProto };

export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  ints: (value: readonly number[]): AttrValue => ({ kind: 'ints', value }),
  floats: (value: ArrayLike<number>): AttrValue => ({ kind: 'floats', value }),
  strings: (value: readonly string[]): AttrValue => ({ kind: 'strings', value }),
};

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function toAttribute(name: string, v: AttrValue): AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (v.kind) {
    case 'int':
      return { name, type: T.INT, i: v.value };
    case 'float':
      return { name, type: T.FLOAT, f: v.value };
    case 'string':
      return { name, type: T.STRING, s: utf8(v.value) };
    case 'ints':
      return { name, type: T.INTS, ints: [...v.value] };
    case 'floats':
      return { name, type: T.FLOATS, floats: Array.from(v.value) };
    case 'strings':
      return { name, type: T.STRINGS, strings: v.value.map(utf8) };
    case 'tensor':
      return { name, type: T.TENSOR, t: v.value };
  }
}

function littleEndianBytes(a: Float32Array | BigInt64Array | Uint8Array): Uint8Array {
  // ONNX raw_data is little-endian; so is every platform Node runs on in practice.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('ONNX export needs a little-endian platform');
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}

/** A float32 tensor (raw_data). */
export function floatTensor(name: string, data: ArrayLike<number>, dims: readonly number[]): TensorProto {
  const size = dims.reduce((a, b) => a * b, 1);
  if (data.length !== size) throw new Error(`tensor ${name}: ${data.length} values for shape [${dims.join(', ')}]`);
  return { name, dataType: DataType.FLOAT, dims: [...dims], rawData: littleEndianBytes(Float32Array.from(data)) };
}

/** An int64 tensor (raw_data). */
export function int64Tensor(name: string, data: readonly number[], dims: readonly number[]): TensorProto {
  return { name, dataType: DataType.INT64, dims: [...dims], rawData: littleEndianBytes(BigInt64Array.from(data.map((v) => BigInt(v)))) };
}

function valueInfo(spec: TensorSpec): ValueInfoProto {
  return {
    name: spec.name,
    docString: spec.doc ?? '',
    type: {
      tensorType: {
        elemType: spec.elemType ?? DataType.FLOAT,
        shape: { dim: spec.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ModelEnvelope {
  graphName: string;
  doc: string;
  inputs: readonly TensorSpec[];
  outputs: readonly TensorSpec[];
  /** Producer recorded in the file (name and version). */
  producer: { name: string; version: string };
  /** Free-form key/value metadata (source model key, data hash …). */
  metadata?: Readonly<Record<string, string>>;
  /** Whether the graph uses ai.onnx.ml operators. */
  usesMl?: boolean;
}

/** Accumulates initialisers and nodes; names are unique within one builder. */
export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  /** A fresh, unused name with a readable prefix. */
  fresh(prefix: string): string {
    let name = prefix;
    while (this.used.has(name)) name = `${prefix}_${++this.counter}`;
    this.used.add(name);
    return name;
  }

  /** A float32 constant held as an initialiser; returns its name. */
  floats(prefix: string, data: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.fresh(prefix);
    this.initializers.push(floatTensor(name, data, dims));
    return name;
  }

  /** A float32 scalar constant. */
  scalar(prefix: string, value: number): string {
    return this.floats(prefix, [value], []);
  }

  /** An int64 constant (shapes, axes, indices). */
  int64s(prefix: string, data: readonly number[], dims: readonly number[] = [data.length]): string {
    const name = this.fresh(prefix);
    this.initializers.push(int64Tensor(name, data, dims));
    return name;
  }

  /** Adds a node with one output; returns the output's name. */
  op(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, options: { name?: string; domain?: string } = {}): string {
    return this.opN(opType, inputs, 1, attrs, options)[0];
  }

  /** Adds a node with `outputs` outputs; returns their names. */
  opN(
    opType: string,
    inputs: readonly string[],
    outputs: number,
    attrs: Readonly<Record<string, AttrValue>> = {},
    options: { name?: string; domain?: string } = {},
  ): string[] {
    const base = options.name ?? opType.toLowerCase();
    const outs = Array.from({ length: outputs }, (_, i) => this.fresh(outputs === 1 ? base : `${base}_${i}`));
    this.nodes.push({
      opType,
      domain: options.domain ?? '',
      name: this.fresh(`${base}_node`),
      input: [...inputs],
      output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => toAttribute(k, v)),
    });
    return outs;
  }

  /** Makes `from` available under the graph output name `to` (an Identity node). */
  output(from: string, to: string): void {
    if (this.used.has(to)) throw new Error(`graph output name ${to} is already used`);
    this.used.add(to);
    this.nodes.push({ opType: 'Identity', domain: '', name: this.fresh(`${to}_node`), input: [from], output: [to], attribute: [] });
  }

  /** Reserves a graph input's name so no node output takes it. */
  input(name: string): string {
    if (this.used.has(name)) throw new Error(`graph input name ${name} is already used`);
    this.used.add(name);
    return name;
  }

  /** Serialised ModelProto. */
  build(env: ModelEnvelope): Uint8Array {
    const opsetImport = [{ domain: '', version: ONNX_OPSET }];
    if (env.usesMl) opsetImport.push({ domain: ML_DOMAIN, version: ONNX_ML_OPSET });
    const model = onnx.ModelProto.create({
      irVersion: ONNX_IR_VERSION,
      opsetImport,
      producerName: env.producer.name,
      producerVersion: env.producer.version,
      domain: 'org.hogi',
      modelVersion: 1,
      docString: env.doc,
      metadataProps: Object.entries(env.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: env.graphName,
        docString: env.doc,
        node: this.nodes,
        initializer: this.initializers,
        input: env.inputs.map(valueInfo),
        output: env.outputs.map(valueInfo),
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

/** Serialised TensorProto (ONNX test data: test_data_set_N/input_K.pb, output_K.pb). */
export function encodeTensor(name: string, data: Float32Array, dims: readonly number[]): Uint8Array {
  return onnx.TensorProto.encode(onnx.TensorProto.create(floatTensor(name, data, dims))).finish();
}

/** Reads a float32 TensorProto written by encodeTensor (or any float tensor in raw_data or float_data). */
export function decodeTensor(bytes: Uint8Array): { name: string; dims: number[]; data: Float32Array } {
  const t = onnx.TensorProto.decode(bytes);
  if (t.dataType !== DataType.FLOAT) throw new Error(`tensor ${t.name}: data type ${t.dataType} is not FLOAT`);
  const dims = t.dims.map((d) => Number(d));
  let data: Float32Array;
  if (t.rawData && t.rawData.length > 0) {
    const copy = new Uint8Array(t.rawData);
    data = new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  } else data = Float32Array.from(t.floatData);
  return { name: t.name, dims, data };
}

/** Opsets and IR version of a serialised model (for manifests and checks). */
export function describeModel(bytes: Uint8Array): { irVersion: number; opsets: Record<string, number>; producer: string; inputs: string[]; outputs: string[] } {
  const m = onnx.ModelProto.decode(bytes);
  const opsets: Record<string, number> = {};
  for (const o of m.opsetImport) opsets[o.domain || 'ai.onnx'] = Number(o.version);
  return {
    irVersion: Number(m.irVersion),
    opsets,
    producer: `${m.producerName} ${m.producerVersion}`,
    inputs: (m.graph?.input ?? []).map((i) => i.name ?? ''),
    outputs: (m.graph?.output ?? []).map((o) => o.name ?? ''),
  };
}
