// TypeScript looks for declarations of a .mjs module in a .d.mts file: the declarations are
// in stateless-lab.d.ts.
export * from './stateless-lab.js';
