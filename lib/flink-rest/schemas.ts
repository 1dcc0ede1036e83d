// Kept for the imports that still name this file; the hand-written zod schemas gave way to the client
// generated from Flink's OpenAPI files (flink-client.ts). New code imports from './snapshot-types'.
export type { FlinkRestSnapshot } from './snapshot-types';
