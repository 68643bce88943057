// LedgerService over gRPC (proto/Ledger.Proto/ledger/v1/ledger_service.proto), loaded from the repository's .proto
// files at run time. Errors are gRPC statuses; the node's google.rpc.Status details name the Ledger ErrorCode
// (reason) — surfaced here as `err.ledgerCode`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodeCrypto from 'node:crypto';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { sm3 } from './crypto.js';
import { readFields } from './wire.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PROTO_ROOT = process.env.LEDGER_PROTO_ROOT ?? path.resolve(here, '../../../proto/Ledger.Proto');

function loadService() {
  const definition = protoLoader.loadSync('ledger/v1/ledger_service.proto', {
    includeDirs: [PROTO_ROOT], keepCase: true, longs: String, enums: String, defaults: false, oneofs: true,
  });
  return grpc.loadPackageDefinition(definition).ledger.v1.LedgerService;
}

export class LedgerClient {
  /**
   * @param {string} address host:port (or https://host:port) of a node's gRPC listener. Nodes serve TLS with
   *   certificates from their consortium's transport CA (ECDSA P-256, `transport-ca.pem` from `ledger network init`).
   * @param {object} [settings]
   * @param {string|Buffer} [settings.transportCa] PEM of the transport CA to pin: the node's certificate must chain to
   *   it, and the system's roots are not consulted. Without it, the system's roots decide.
   * @param {boolean} [settings.insecure] plaintext HTTP/2, for a node run with `--insecure` (debugging only); an
   *   `http://` address asks for the same.
   * @param {grpc.ChannelCredentials} [settings.credentials] credentials of your own, overriding both.
   * @param {{certificate: Uint8Array, key: object}} [settings.identity] the caller's certificate (DER) and SM2 key: every
   *   call is signed (README "Who may read what"); without it the client calls anonymously.
   * One client is one HTTP/2 connection: a node allows 1,000 concurrent calls on it (Kestrel's default is 100), so
   * keep fewer WaitForCommit calls than that in flight per client, or open more clients.
   */
  constructor(address, { transportCa, insecure = false, credentials, options = {}, identity = null } = {}) {
    const Service = loadService();
    const plaintext = insecure || /^http:\/\//.test(address);
    if (plaintext && transportCa) throw new Error('a transport CA pins TLS; it makes no sense with a plaintext (insecure) node');
    credentials ??= plaintext
      ? grpc.credentials.createInsecure()
      : grpc.credentials.createSsl(transportCa === undefined ? null : Buffer.from(transportCa));
    this.address = address.replace(/^https?:\/\//, '');
    this.stub = new Service(this.address, credentials, { 'grpc.max_receive_message_length': 64 * 1024 * 1024, ...options });
    this.service = Service.service;
    // { certificate: DER bytes, key: Sm2Key }: every call is signed as README "Who may read what" says; null = anonymous.
    this.identity = identity;
  }

  /**
   * The call's credentials: certificate, time, nonce and the SM2 signature over "ledger/v1/call\n" ‖ u32be(len(method)) ‖
   * method ‖ SM3(request bytes) ‖ i64be(time) ‖ nonce ‖ SM3(access record, none here).
   */
  #metadata(method, request) {
    const metadata = new grpc.Metadata();
    if (!this.identity) return metadata;
    const definition = this.service[method];
    const methodBytes = Buffer.from(definition.path, 'utf8');
    const time = BigInt(Date.now());
    const nonce = nodeCrypto.randomBytes(16);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(methodBytes.length);
    const timeBytes = Buffer.alloc(8);
    timeBytes.writeBigInt64BE(time);
    const message = Buffer.concat([Buffer.from('ledger/v1/call\n', 'ascii'), length, methodBytes, Buffer.from(sm3(definition.requestSerialize(request))),
      timeBytes, nonce, Buffer.from(sm3(new Uint8Array()))]);
    metadata.set('x-ledger-certificate-bin', Buffer.from(this.identity.certificate));
    metadata.set('x-ledger-time', time.toString());
    metadata.set('x-ledger-nonce-bin', nonce);
    metadata.set('x-ledger-signature-bin', Buffer.from(this.identity.key.sign(new Uint8Array(message))));
    return metadata;
  }

  #call(method, request, deadlineMs = 30000) {
    return new Promise((resolve, reject) => {
      this.stub[method](request, this.#metadata(method, request), { deadline: new Date(Date.now() + deadlineMs) }, (err, response) => {
        if (err) reject(withLedgerCode(err));
        else resolve(response);
      });
    });
  }

  chainInfo() {
    return this.#call('GetChainInfo', {});
  }

  /** Submits an encoded TxEnvelope; answers the tx id (32 bytes) the node computed. */
  async submit(envelope) {
    const response = await this.#call('Submit', { envelope: Buffer.from(envelope) });
    return new Uint8Array(response.tx_id);
  }

  /** Waits for the tx's block; answers the committed tx with its receipt code (0 = committed). */
  async waitForCommit(txId, timeoutMs = 60000) {
    const committed = await this.#call('WaitForCommit', { tx_id: Buffer.from(txId), timeout_ms: timeoutMs }, timeoutMs + 5000);
    return { ...committed, height: BigInt(committed.height ?? 0), receipt_code: committed.receipt_code ?? 0, receiptFields: readFields(committed.receipt ?? new Uint8Array()) };
  }

  /** proof.json for a committed tx (docs/proof-format.md), as a string exactly as the node wrote it. */
  async getEvidence(txId) {
    const response = await this.#call('GetEvidence', { tx_id: Buffer.from(txId) });
    return response.proof_json;
  }

  /** A committed tx with its receipt, as the caller's read scope shows it (the public view outside it). */
  getTransaction(txId) {
    return this.#call('GetTransaction', { tx_id: Buffer.from(txId) });
  }

  /** A contract's record and its committed txs; PERMISSION_DENIED outside the caller's read scope. */
  getContract(contractId) {
    return this.#call('GetContract', { contract_id: contractId });
  }

  /** The committed txs (and sealed paper batches) that anchored this SM3 document hash. */
  findByDocumentHash(documentHash) {
    return this.#call('FindByDocumentHash', { document_hash: Buffer.from(documentHash) });
  }

  /** The contract's bundle JSON (docs/proof-format.md §3) at a height (0: the latest), exactly as the node wrote it. */
  async getContractEvidence(contractId, height = 0) {
    const response = await this.#call('GetContractEvidence', { contract_id: contractId, height: String(height) });
    return response.bundle_json;
  }

  /** A block's header and commit certificate (anyone may read headers). */
  getBlockHeader(height) {
    return this.#call('GetBlock', { height: String(height), header_only: true });
  }

  /** The validator set deciding a height and how it derives from genesis (JSON, check it with verifiers/js). */
  async getValidatorSet(height) {
    const response = await this.#call('GetValidatorSet', { height: String(height) });
    return JSON.parse(response.validator_set_json);
  }

  /** The recorded external anchor covering a height; NOT_FOUND (CheckpointNotAnchored) while none is recorded. */
  getExternalAnchor(height) {
    return this.#call('GetExternalAnchor', { height: String(height) });
  }

  /**
   * The city CAs the chain names, each { certificate (DER), from_height, until_height (0 while it counts) }, as of
   * `height`. What a node says: check each CA against the genesis root before trusting a certificate under it.
   */
  async getAuthorities() {
    const response = await this.#call('GetAuthorities', {});
    return {
      height: BigInt(response.height ?? 0),
      authorities: (response.authorities ?? []).map((a) => ({
        certificate: new Uint8Array(a.certificate), fromHeight: BigInt(a.from_height ?? 0), untilHeight: BigInt(a.until_height ?? 0),
      })),
    };
  }

  close() {
    this.stub.close();
  }
}

/** The Ledger ErrorCode name from the status details (google.rpc.Status → ErrorInfo.reason), when the node sent one. */
function withLedgerCode(err) {
  try {
    const details = err.metadata?.get('grpc-status-details-bin')?.[0];
    if (details) {
      for (const f of readFields(new Uint8Array(details))) {
        if (f.field !== 3) continue; // Status.details: google.protobuf.Any
        const any = readFields(f.value);
        const typeUrl = new TextDecoder().decode(any.find((a) => a.field === 1)?.value ?? new Uint8Array());
        if (!typeUrl.endsWith('google.rpc.ErrorInfo')) continue;
        const info = readFields(any.find((a) => a.field === 2).value);
        err.ledgerCode = new TextDecoder().decode(info.find((i) => i.field === 1)?.value ?? new Uint8Array());
      }
    }
  } catch {
    // details are a courtesy; the status code and message stand on their own
  }
  return err;
}
