// Computes the fair-draw distributions off the main thread (the AC enumeration visits 8.1M combinations).
import { acValueDistribution, oddCountDistribution, sumDistribution } from '../../src/domain/fairDraw.js';

self.onmessage = () => {
  self.postMessage({ sum: sumDistribution(), odd: oddCountDistribution(), ac: acValueDistribution() });
};
