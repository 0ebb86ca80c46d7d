export * from './config.js';
export * from './model.js';
export { causalMask, encode, forwardLogits, headLogits, initialWeights, positionalEncoding, weightShapes } from './network.js';
export type { DropoutContext, WeightShape, WeightTensors } from './network.js';
export { chunkStarts, drawsForMachine, encodeWindows, PAD_INDEX, VOCAB_SIZE } from './sequences.js';
