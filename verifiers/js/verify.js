#!/usr/bin/env node
// node verify.js PROOF --genesis GENESIS [--file F]
// One JSON line { valid, code, reason, ... }; exit 0 valid, 1 invalid, 2 unreadable input or bad usage.
import fs from 'node:fs';
import { loadGenesis, run, verifyBundle, verifyTxProof } from './verifier.js';

function out(obj, code) { process.stdout.write(JSON.stringify(obj) + '\n'); process.exit(code); }
function unreadable(reason) { out({ valid: false, code: 'Unreadable', reason }, 2); }

const args = process.argv.slice(2);
let proofPath, genesisPath, filePath;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--genesis') genesisPath = args[++i];
  else if (a === '--file') filePath = args[++i];
  else if (a === '-h' || a === '--help') { process.stdout.write('usage: node verify.js PROOF --genesis GENESIS [--file F]\n'); process.exit(0); }
  else if (a.startsWith('--') || proofPath !== undefined) unreadable(`unexpected argument '${a}' (usage: verify.js PROOF --genesis GENESIS [--file F])`);
  else proofPath = a;
}
if (!proofPath || !genesisPath) unreadable('usage: verify.js PROOF --genesis GENESIS [--file F]');
const read = (p, what) => { try { return fs.readFileSync(p); } catch (e) { unreadable(`cannot read ${what} ${p}: ${e.code ?? e.message}`); } };
const proofBytes = read(proofPath, 'proof');
const genesisBytes = read(genesisPath, 'genesis');
const file = filePath ? read(filePath, 'file') : undefined;
let genesis, proof;
try { genesis = loadGenesis(genesisBytes); } catch (e) { unreadable(`genesis ${genesisPath} is not a readable genesis.json: ${e.message}`); }
try { proof = JSON.parse(proofBytes.toString('utf8')); } catch (e) { unreadable(`proof ${proofPath} is not JSON: ${e.message}`); }
const result = run(() => (proof?.format === 'ledger-contract-evidence' ? verifyBundle(proof, genesis) : verifyTxProof(proof, genesis, file)));
out(result, result.valid ? 0 : 1);
