#!/usr/bin/env node
// Registers a labour contract from scratch with the employer's and the worker's statement signatures, submits it to
// a node, waits for its commit and fetches its proof — using the certificates and key files a devnet provides.
//
//   node clients/js/examples/register-contract.js --node 127.0.0.1:7600 --transport-ca devnet/transport-ca.pem \
//     --employer-cert EMPLOYER.pem --employer-key EMPLOYER.key --worker-key WORKER.key --worker-cert WORKER.pem \
//     --passphrase-env LEDGER_PASSPHRASE --credit-code 91440101MA59ABCD1D --document contract.pdf --proof-out proof.json
//
// Prints one JSON object (txId, height, receipt code, proof file). Exit codes: 0 committed, 1 refused or not
// committed in time, 2 bad usage or input — always with one line on stderr.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { LedgerClient, buildContractTx, certificateFromPem, loadKeyFile, registerContract, sm3, toHex } from '../src/index.js';

// grpc-js sends a node's IP literal as the TLS server name, and Node warns about that (DEP0123) on stderr; this
// program promises one line on stderr, so that one warning is dropped and every other still printed.
const printWarning = process.listeners('warning');
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.code !== 'DEP0123') for (const print of printWarning) print(warning);
});

const usage = 'usage: register-contract.js --node HOST:PORT (--transport-ca PEM | --insecure) --employer-cert PEM --employer-key KEYFILE --worker-key KEYFILE '
  + '--worker-cert PEM (--passphrase-env VAR | --passphrase-file FILE) --credit-code CODE --document FILE '
  + '[--contract-id ID] [--place-of-work CODE12] [--industry CODE] --worker-pseudonym HEX [--proof-out FILE] [--timeout-ms N]';

function fail(exitCode, message) {
  process.stderr.write(`register-contract: ${message}\n`);
  process.exit(exitCode);
}

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      node: { type: 'string' }, 'transport-ca': { type: 'string' }, insecure: { type: 'boolean' }, 'employer-cert': { type: 'string' }, 'employer-key': { type: 'string' },
      'worker-key': { type: 'string' }, 'worker-cert': { type: 'string' }, 'passphrase-env': { type: 'string' },
      'passphrase-file': { type: 'string' }, 'credit-code': { type: 'string' }, document: { type: 'string' },
      'contract-id': { type: 'string' }, 'place-of-work': { type: 'string', default: '440106000000' },
      industry: { type: 'string', default: 'I6510' }, 'worker-pseudonym': { type: 'string' },
      'proof-out': { type: 'string' }, 'timeout-ms': { type: 'string', default: '60000' }, help: { type: 'boolean' },
    },
    strict: true,
  }));
} catch (e) {
  fail(2, `${e.message}\n${usage}`);
}
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
for (const required of ['node', 'employer-cert', 'employer-key', 'worker-key', 'worker-cert', 'worker-pseudonym', 'credit-code', 'document'])
  if (!args[required]) fail(2, `--${required} is required\n${usage}`);

const read = (file, what) => {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    return fail(2, `cannot read ${what} '${file}': ${e.code ?? e.message}`);
  }
};

let passphrase;
if (args['passphrase-env']) passphrase = process.env[args['passphrase-env']] ?? fail(2, `environment variable ${args['passphrase-env']} is not set`);
else if (args['passphrase-file']) passphrase = read(args['passphrase-file'], 'passphrase file').toString('utf8').trim();
else fail(2, 'the key files need a passphrase: --passphrase-env VAR or --passphrase-file FILE');

const loadKey = (file, who) => {
  try {
    return loadKeyFile(read(file, `${who} key file`).toString('utf8'), passphrase);
  } catch (e) {
    return fail(2, `${who} key file '${file}': ${e.message}`);
  }
};
const loadCertificate = (file, who) => {
  try {
    return certificateFromPem(read(file, `${who} certificate`).toString('utf8'));
  } catch (e) {
    return fail(2, `${who} certificate '${file}': ${e.message}`);
  }
};

const employer = { key: loadKey(args['employer-key'], 'employer'), certificate: loadCertificate(args['employer-cert'], 'employer') };
const worker = { key: loadKey(args['worker-key'], 'worker'), certificate: loadCertificate(args['worker-cert'], 'worker') };
const documentHash = sm3(read(args.document, 'document'));
// The worker's pseudonym, as their Worker certificate names it (printed by `ledger ca issue`, returned by the signer).
let workerPseudonym;
if (args['worker-pseudonym']) {
  if (!/^[0-9a-fA-F]{64}$/.test(args['worker-pseudonym'])) fail(2, '--worker-pseudonym must be 64 hex digits (an SM3 hash)');
  workerPseudonym = Uint8Array.from(Buffer.from(args['worker-pseudonym'], 'hex'));
}
const timeoutMs = Number.parseInt(args['timeout-ms'], 10);
if (!(timeoutMs > 0 && timeoutMs <= 300000)) fail(2, '--timeout-ms must be 1..300000');

// TLS pinned to the consortium's transport CA; plaintext only when asked for (a node run with --insecure).
if (!args['transport-ca'] && !args.insecure) fail(2, `give --transport-ca PEM (the consortium's transport CA) or --insecure for a plaintext node\n${usage}`);
if (args['transport-ca'] && args.insecure) fail(2, '--transport-ca and --insecure exclude each other');
let client;
try {
  // The employer signs its calls too: it reads its own tx's commit and proof (README "Who may read what").
  client = new LedgerClient(args.node, args.insecure ? { insecure: true, identity: employer } : { transportCa: read(args['transport-ca'], 'transport CA'), identity: employer });
} catch (e) {
  fail(2, e.message);
}
try {
  const info = await client.chainInfo();
  const contractId = args['contract-id'] ?? `JS-${Date.now()}-${toHex(documentHash).slice(0, 8)}`;
  const payload = registerContract({
    contractId,
    documentHash,
    documentFormat: 'pdf',
    employerCreditCode: args['credit-code'],
    workerPseudonym,
    terms: { type: 'openEnded', start: '2026-01-01', placeOfWork: args['place-of-work'], industry: args.industry },
  });
  const tx = buildContractTx({ chainId: info.chain_id, payload, parties: [employer, worker], submitter: employer });
  const txId = await client.submit(tx.envelope);
  if (toHex(txId) !== toHex(tx.txId)) fail(1, `the node answered tx id ${toHex(txId)}, SM3 of the body is ${toHex(tx.txId)}`);
  const committed = await client.waitForCommit(txId, timeoutMs);
  const result = {
    chainId: info.chain_id, contractId, txId: toHex(txId), height: committed.height.toString(), receiptCode: committed.receipt_code,
    receiptCodeName: committed.receipt_code_name ?? 'Ok', receiptMessage: committed.receipt_message ?? '',
  };
  if (committed.receipt_code !== 0) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    fail(1, `the chain refused the tx: ${result.receiptCodeName} ${result.receiptMessage}`);
  }
  const proofJson = await client.getEvidence(txId);
  const proof = JSON.parse(proofJson);
  if (proof.txId?.toLowerCase() !== toHex(txId)) fail(1, `the proof is for tx ${proof.txId}, not ${toHex(txId)}`);
  if (Buffer.from(proof.envelope, 'base64').compare(Buffer.from(tx.envelope)) !== 0) fail(1, 'the proof carries other envelope bytes than were submitted');
  if (args['proof-out']) fs.writeFileSync(args['proof-out'], proofJson);
  result.proof = args['proof-out'] ?? null;
  // The employer reads back what it registered: its contract, and its document found by hash.
  const contract = await client.getContract(contractId);
  result.contractStatus = contract.contract?.status ?? 'STATUS_UNSPECIFIED';
  const found = await client.findByDocumentHash(documentHash);
  result.foundByDocumentHash = (found.transactions ?? []).map((t) => toHex(new Uint8Array(t.tx_id)));
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (e) {
  // INVALID_ARGUMENT: the tx is malformed (bad input, 2); anything else is the chain's negative answer (1).
  const code = e.code === 3 ? 2 : 1;
  fail(code, `${e.ledgerCode ? `${e.ledgerCode}: ` : ''}${e.details ?? e.message}`);
} finally {
  client.close();
}
