export { ensembleSource, transformerSource } from './adapters.js';
export { ensembleGraph, ensembleOnnxInputs, ENSEMBLE_ONNX_OUTPUTS, type EnsembleGraphSource, type EnsembleMember } from './ensemble.js';
export { decodeTensor, describeModel, encodeTensor, ONNX_IR_VERSION, ONNX_ML_OPSET, ONNX_OPSET } from './proto.js';
export { ensembleRows, onnxBatches, transformerWindow, type OnnxBatch, type OnnxInputSpec } from './inputs.js';
export { transformerGraph, TRANSFORMER_ONNX_INPUTS, TRANSFORMER_ONNX_OUTPUTS, type TransformerGraphSource } from './transformer.js';
