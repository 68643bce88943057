#!/usr/bin/env node
// node verify.js PROOF --genesis GENESIS [--file F] [--against NEWER]
// PROOF is a tx proof (proof.json) or a contract bundle; --file goes with a tx proof (the document it anchors),
// --against with a bundle (a valid proof or bundle of a later certified height makes the bundle stale).
// One JSON line { valid, code, reason, ... }; exit 0 valid, 1 invalid, 2 unreadable input or bad usage.
import fs from 'node:fs';
import { certifiedHeight, loadGenesis, run, verifyBundle, verifyTxProof } from './verifier.js';

const USAGE = 'usage: node verify.js PROOF --genesis GENESIS [--file F] [--against NEWER]';
function out(obj, code) { process.stdout.write(JSON.stringify(obj) + '\n'); process.exit(code); }
function unreadable(reason) { out({ valid: false, code: 'Unreadable', reason }, 2); }

const args = process.argv.slice(2);
let proofPath, genesisPath, filePath, againstPath;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--genesis') genesisPath = args[++i];
  else if (a === '--file') filePath = args[++i];
  else if (a === '--against') againstPath = args[++i];
  else if (a === '-h' || a === '--help') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
  else if (a.startsWith('--') || proofPath !== undefined) unreadable(`unexpected argument '${a}' (${USAGE})`);
  else proofPath = a;
}
if (!proofPath || !genesisPath) unreadable(USAGE);
const read = (p, what) => { try { return fs.readFileSync(p); } catch (e) { unreadable(`cannot read ${what} ${p}: ${e.code ?? e.message}`); } };
const json = (bytes, p, what) => { try { return JSON.parse(bytes.toString('utf8')); } catch (e) { unreadable(`${what} ${p} is not JSON: ${e.message}`); } };
const genesisBytes = read(genesisPath, 'genesis');
let genesis;
try { genesis = loadGenesis(genesisBytes); } catch (e) { unreadable(`genesis ${genesisPath} is not a readable genesis.json: ${e.message}`); }
const proof = json(read(proofPath, 'proof'), proofPath, 'proof');
const isBundle = proof?.format === 'ledger-contract-evidence';
if (isBundle && filePath) unreadable('--file goes with a tx proof: a contract bundle anchors several documents');
if (!isBundle && againstPath) unreadable('--against goes with a contract bundle: a tx proof does not go stale');
const file = filePath ? read(filePath, 'file') : undefined;
let knownHeight;
if (againstPath) {
  const newer = run(() => ({ height: certifiedHeight(json(read(againstPath, 'newer proof'), againstPath, 'newer proof'), genesis) }));
  if (!newer.valid) out({ valid: false, code: newer.code, reason: `the newer proof ${againstPath} is not valid: ${newer.reason}` }, 1);
  knownHeight = newer.height;
}
const result = run(() => (isBundle ? verifyBundle(proof, genesis, knownHeight) : verifyTxProof(proof, genesis, file)));
out(result, result.valid ? 0 : 1);
