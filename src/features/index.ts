export * from './numberFeatures.js';
