export * from './queries/index.js';
