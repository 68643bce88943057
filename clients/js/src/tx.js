// Building transactions (docs/wire-format.md §2-§3, §7): payload → statement signed by the parties → body signed by
// the submitter → envelope. Field numbers are those of proto/Ledger.Proto/ledger/v1/{tx,contract}.proto.
import nodeCrypto from 'node:crypto';
import { ProtoWriter, concat } from './wire.js';
import { sm3 } from './crypto.js';

export const PayloadField = Object.freeze({ register: 16, sign: 17 });
export const ContractAction = Object.freeze({ register: 1, sign: 2 });
export const DocumentFormat = Object.freeze({ pdf: 1, ofd: 2 });
export const ContractType = Object.freeze({ fixedTerm: 1, openEnded: 2, taskBased: 3 });
export const EndorsementScope = Object.freeze({ body: 0, statement: 1 });

const STATEMENT_PREFIX = new TextEncoder().encode('ledger/contract-statement/v2\n');

/** A date as the wire carries it: yyyymmdd. Accepts "2026-01-31" or a number. */
export function dateNumber(date) {
  if (date === undefined || date === null) return 0;
  if (typeof date === 'number') return date;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`'${date}' is not a yyyy-mm-dd date`);
  return Number(m[1]) * 10000 + Number(m[2]) * 100 + Number(m[3]);
}

function hash32(value, name) {
  if (!(value instanceof Uint8Array) || value.length !== 32) throw new Error(`${name} must be 32 bytes (an SM3 hash)`);
  return value;
}

/** ContractTerms { type = 1, start = 2, end = 3, probation_end = 4, place_of_work = 5, industry = 6, model_text_id = 7 }. */
export function encodeTerms(terms) {
  return new ProtoWriter()
    .uint(1, ContractType[terms.type] ?? terms.type)
    .uint(2, dateNumber(terms.start))
    .uint(3, dateNumber(terms.end))
    .uint(4, dateNumber(terms.probationEnd))
    .string(5, terms.placeOfWork)
    .string(6, terms.industry)
    .string(7, terms.modelTextId)
    .toBytes();
}

/** RegisterContract { contract_id = 1, document_hash = 2, document_format = 3, employer_credit_code = 4, worker_pseudonym = 5, terms = 6 }. */
export function registerContract({ contractId, documentHash, documentFormat = 'pdf', employerCreditCode, workerPseudonym, terms }) {
  const bytes = new ProtoWriter()
    .string(1, contractId)
    .bytes(2, hash32(documentHash, 'documentHash'))
    .uint(3, DocumentFormat[documentFormat] ?? documentFormat)
    .string(4, employerCreditCode)
    .bytes(5, hash32(workerPseudonym, 'workerPseudonym'))
    .message(6, encodeTerms(terms))
    .toBytes();
  return { field: PayloadField.register, bytes, statement: { contractId, version: 1, documentHash, action: ContractAction.register } };
}

/** SignContract { contract_id = 1, version = 2, document_hash = 3 }. */
export function signContract({ contractId, version, documentHash }) {
  const bytes = new ProtoWriter().string(1, contractId).uint(2, version).bytes(3, hash32(documentHash, 'documentHash')).toBytes();
  return { field: PayloadField.sign, bytes, statement: { contractId, version, documentHash, action: ContractAction.sign } };
}

/**
 * The bytes a party signs (statement v2): "ledger/contract-statement/v2\n" ‖ ContractStatement { chain_id, contract_id,
 * version, document_hash, action, payload_hash = SM3 of the payload bytes }, so every term and date is signed.
 */
export function statementSigningMessage(chainId, { contractId, version, documentHash, action }, payloadBytes) {
  if (!(payloadBytes instanceof Uint8Array)) throw new Error('statement v2 binds the payload: pass its encoded bytes');
  const statement = new ProtoWriter().string(1, chainId).string(2, contractId).uint(3, version).bytes(4, documentHash).uint(5, action)
    .bytes(6, sm3(payloadBytes)).toBytes();
  return concat(STATEMENT_PREFIX, statement);
}

/** Endorsement { oneof signer { certificate = 1, public_key = 2 }, signature = 3, scope = 4 }. */
export function encodeEndorsement({ certificate, publicKey, signature, scope }) {
  if (!certificate === !publicKey) throw new Error('an endorsement names its signer by exactly one of certificate and public key');
  return new ProtoWriter().bytes(1, certificate).bytes(2, publicKey).bytes(3, signature).uint(4, scope).toBytes();
}

/** A random 64-bit nonce: with the submitter, it makes the tx unique. */
export const randomNonce = () => nodeCrypto.randomBytes(8).readBigUInt64BE();

/**
 * Builds a signed contract tx. Parties: { key: Sm2Key, certificate: DER } — the employer's certificate, the worker's
 * Worker certificate (bare keys carry no role). The submitter must have a certificate; its Body endorsement comes first.
 */
export function buildContractTx({ chainId, payload, parties, submitter, nonce = randomNonce(), ttlMs = 10 * 60 * 1000, now = Date.now() }) {
  const statementMessage = statementSigningMessage(chainId, payload.statement, payload.bytes);
  for (const p of parties) if (!p.certificate) throw new Error('a party signs with its certificate (a worker with a Worker certificate): bare keys carry no role');
  const statementEndorsements = parties.map((p) => encodeEndorsement({
    certificate: p.certificate, signature: p.key.sign(statementMessage), scope: EndorsementScope.statement,
  }));
  // The body lists every endorsement the envelope carries, in envelope order: TxEndorser { signer = 1, scope = 2 },
  // signer = SM3 of the certificate DER. A copy stripped of one is refused.
  const endorsers = [
    { signer: sm3(submitter.certificate), scope: EndorsementScope.body },
    ...parties.map((p) => ({ signer: sm3(p.certificate), scope: EndorsementScope.statement })),
  ];
  // TxBody { chain_id = 1, nonce = 2, expires_at = 3, submitter = 4, repeated endorsers = 5, payload = 16.. }
  const body = new ProtoWriter()
    .string(1, chainId)
    .uint(2, nonce)
    .uint(3, BigInt(now + ttlMs))
    .bytes(4, sm3(submitter.certificate));
  for (const e of endorsers) body.message(5, new ProtoWriter().bytes(1, e.signer).uint(2, e.scope).toBytes());
  body.message(payload.field, payload.bytes);
  const bodyBytes = body.toBytes();
  const bodyEndorsement = encodeEndorsement({ certificate: submitter.certificate, signature: submitter.key.sign(bodyBytes), scope: EndorsementScope.body });
  // TxEnvelope { body = 1, repeated endorsements = 2 }, in the order the body lists them
  const envelope = new ProtoWriter().bytes(1, bodyBytes);
  for (const e of [bodyEndorsement, ...statementEndorsements]) envelope.message(2, e);
  return { txId: sm3(bodyBytes), body: bodyBytes, envelope: envelope.toBytes(), statementMessage };
}
