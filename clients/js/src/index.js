export * from './wire.js';
export * from './crypto.js';
export * from './tx.js';
export { LedgerClient, PROTO_ROOT } from './client.js';
