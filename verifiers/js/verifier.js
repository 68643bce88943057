// Independent verifier of Ledger evidence, written from docs/proof-format.md and docs/wire-format.md alone.
// Uses only sm-crypto (SM2 verification) and Node's own SM3 (OpenSSL) with sm-crypto's as a fallback.
import nodeCrypto from 'node:crypto';
import smCrypto from 'sm-crypto';

const { sm2, sm3: sm3Hex } = smCrypto;
const SIGNER_ID = '1234567812345678';
const nativeSm3 = nodeCrypto.getHashes().includes('sm3');
const enc = new TextEncoder();

export class Failure extends Error {
  constructor(code, reason) { super(reason); this.code = code; }
}
const fail = (code, reason) => { throw new Failure(code, reason); };

// ---- bytes and hashes ----
export function sm3(bytes) {
  if (nativeSm3) return new Uint8Array(nodeCrypto.createHash('sm3').update(bytes).digest());
  return Buffer.from(sm3Hex(Array.from(bytes)), 'hex');
}
const cat = (...parts) => Buffer.concat(parts.map((p) => Buffer.from(p)));
const hex = (b) => Buffer.from(b).toString('hex');
const eq = (a, b) => a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
function cmpBytes(a, b) { return Buffer.compare(Buffer.from(a), Buffer.from(b)); }

function sm2Verify(publicKey, message, der) {
  // wire §3: DER SEQUENCE { INTEGER r, INTEGER s } with minimal integers; raw r‖s is refused.
  if (!strictDerSignature(der)) return false;
  if (publicKey.length !== 65 || publicKey[0] !== 4) return false;
  try {
    return sm2.doVerifySignature(Array.from(message), hex(der), hex(publicKey), { der: true, hash: true, userId: SIGNER_ID });
  } catch { return false; }
}
function strictDerSignature(der) {
  try {
    const seq = derRead(der, 0);
    if (seq.tag !== 0x30 || seq.end !== der.length) return false;
    let p = seq.start;
    for (let i = 0; i < 2; i++) {
      const n = derRead(der, p);
      if (n.tag !== 0x02 || n.len === 0 || n.len > 33) return false;
      const v = der.subarray(n.start, n.end);
      if (v[0] & 0x80) return false;
      if (v.length > 1 && v[0] === 0 && !(v[1] & 0x80)) return false;
      p = n.end;
    }
    return p === seq.end;
  } catch { return false; }
}

// ---- protobuf (wire §1: canonical, ascending, no defaults, minimal varints) ----
function readVarint(buf, pos) {
  let v = 0n, shift = 0n, i = pos;
  for (;;) {
    if (i >= buf.length) throw new Error('truncated varint');
    const b = buf[i++];
    v |= BigInt(b & 0x7f) << shift;
    if (!(b & 0x80)) break;
    shift += 7n;
    if (shift > 63n) throw new Error('varint too long');
  }
  if (i - pos > 1 && buf[i - 1] === 0) throw new Error('non-minimal varint');
  return [v, i];
}
/** Decodes a message under a schema { num: [name, kind, repeated?] }; kinds: u (varint), b (bytes), s (string). */
function decode(buf, schema, what) {
  const out = {};
  let pos = 0, last = 0;
  while (pos < buf.length) {
    let key; [key, pos] = readVarint(buf, pos);
    const num = Number(key >> 3n), wt = Number(key & 7n);
    const f = schema[num];
    if (!f) throw new Error(`${what}: unknown field ${num}`);
    const [name, kind, repeated] = f;
    if (num < last || (num === last && !repeated)) throw new Error(`${what}: field ${num} out of order or repeated`);
    last = num;
    let value;
    if (kind === 'u') {
      if (wt !== 0) throw new Error(`${what}: field ${num} has wire type ${wt}`);
      [value, pos] = readVarint(buf, pos);
      if (value === 0n) throw new Error(`${what}: default value written for field ${num}`);
    } else if (kind === 'packed') {
      if (wt !== 2) throw new Error(`${what}: field ${num} has wire type ${wt}`);
      let len; [len, pos] = readVarint(buf, pos);
      const end = pos + Number(len);
      if (end > buf.length || len === 0n) throw new Error(`${what}: bad packed field ${num}`);
      value = [];
      while (pos < end) { let v; [v, pos] = readVarint(buf, pos); value.push(v); }
      if (pos !== end) throw new Error(`${what}: bad packed field ${num}`);
    } else {
      if (wt !== 2) throw new Error(`${what}: field ${num} has wire type ${wt}`);
      let len; [len, pos] = readVarint(buf, pos);
      const end = pos + Number(len);
      if (end > buf.length) throw new Error(`${what}: truncated field ${num}`);
      value = buf.subarray(pos, end);
      pos = end;
      if (kind === 's') {
        if (value.length === 0) throw new Error(`${what}: default value written for field ${num}`);
        value = new TextDecoder('utf-8', { fatal: true }).decode(value);
      } else if (kind === 'b' && !repeated && value.length === 0 && !f[3]) {
        throw new Error(`${what}: default value written for field ${num}`);
      }
    }
    if (repeated) (out[name] ??= []).push(value); else out[name] = value;
  }
  return out;
}
const S = {
  envelope: { 1: ['body', 'b'], 2: ['endorsements', 'b', true] },
  endorsement: { 1: ['certificate', 'b'], 2: ['publicKey', 'b'], 3: ['signature', 'b'], 4: ['scope', 'u'] },
  body: {
    1: ['chainId', 's'], 2: ['nonce', 'u'], 3: ['expiresAt', 'u'], 4: ['submitter', 'b'], 5: ['endorsers', 'b', true],
    16: ['register', 'b', false, true], 17: ['sign', 'b', false, true], 18: ['change', 'b', false, true],
    19: ['renew', 'b', false, true], 20: ['dissolve', 'b', false, true], 21: ['terminate', 'b', false, true],
    22: ['uploadPaper', 'b', false, true], 23: ['auditAnchor', 'b', false, true], 24: ['uploadPaperBatch', 'b', false, true],
    25: ['confirmPaper', 'b', false, true],
    48: ['externalAnchor', 'b', false, true],
  },
  receipt: { 1: ['txId', 'b'], 2: ['code', 'u'], 3: ['message', 's'], 4: ['warnings', 'packed'] },
  header: {
    1: ['height', 'u'], 2: ['prevHash', 'b'], 3: ['txRoot', 'b'], 4: ['receiptsRoot', 'b'], 5: ['stateRoot', 'b'],
    6: ['timestamp', 'u'], 7: ['proposer', 'b'], 8: ['round', 'u'], 9: ['validatorSetHash', 'b'], 10: ['txCount', 'u'],
  },
  commit: { 1: ['height', 'u'], 2: ['round', 'u'], 3: ['blockHash', 'b'], 4: ['seals', 'b', true] },
  seal: { 1: ['validator', 'b'], 2: ['signature', 'b'] },
  endorser: { 1: ['signer', 'b'], 2: ['scope', 'u'] },
  uploadPaperBatch: { 1: ['part', 'b', false, true], 2: ['seal', 'b', false, true] },
  paperBatchSeal: { 1: ['root', 'b'], 2: ['documentCount', 'u'], 3: ['manifestDigest', 'b'] },
  externalAnchor: {
    1: ['height', 'u'], 2: ['blockHash', 'b'], 3: ['evmChainId', 'u'], 4: ['contract', 'b'], 5: ['txHash', 'b'],
    6: ['externalBlock', 'u'], 7: ['externalBlockHash', 'b'], 8: ['externalTime', 'u'],
  },
};
function hash32(v, what) {
  if (!v || v.length !== 32) throw new Error(`${what} is not 32 bytes`);
  return v;
}
function decodeEnvelope(bytes) {
  const env = decode(bytes, S.envelope, 'TxEnvelope');
  if (!env.body) throw new Error('TxEnvelope: no body');
  const body = decode(env.body, S.body, 'TxBody');
  const payloads = ['register', 'sign', 'change', 'renew', 'dissolve', 'terminate', 'uploadPaper', 'auditAnchor', 'uploadPaperBatch', 'confirmPaper', 'externalAnchor'].filter((k) => body[k] !== undefined);
  if (payloads.length !== 1) throw new Error('TxBody: not exactly one payload');
  if (!body.chainId) throw new Error('TxBody: no chain_id');
  hash32(body.submitter, 'TxBody.submitter');
  const endorsements = (env.endorsements ?? []).map((e, i) => {
    const d = decode(e, S.endorsement, `endorsements[${i}]`);
    if ((d.certificate ? 1 : 0) + (d.publicKey ? 1 : 0) !== 1) throw new Error(`endorsements[${i}]: not exactly one of certificate/public_key`);
    if (!d.signature) throw new Error(`endorsements[${i}]: no signature`);
    const scope = Number(d.scope ?? 0n);
    if (scope > 1) throw new Error(`endorsements[${i}]: unknown scope ${scope}`);
    return { ...d, scope };
  });
  return { bodyBytes: env.body, body, payloadKind: payloads[0], endorsements };
}
/**
 * wire §3 "The statement" (v2): derived from the payload alone, and binding SM3 of the payload's bytes exactly as the
 * body carries them (field 6), so every term, basis and date is under each party's signature; null for a payload
 * without one.
 */
function statementOf(body, kind, chainId) {
  if (kind === 'auditAnchor' || kind === 'externalAnchor' || kind === 'uploadPaperBatch') return null;
  const schemas = {
    register: [1, { 1: ['contractId', 's'], 2: ['documentHash', 'b'] }],
    sign: [2, { 1: ['contractId', 's'], 2: ['version', 'u'], 3: ['documentHash', 'b'] }],
    change: [3, { 1: ['contractId', 's'], 2: ['baseVersion', 'u'], 3: ['documentHash', 'b'] }],
    renew: [4, { 1: ['contractId', 's'], 2: ['baseVersion', 'u'], 3: ['documentHash', 'b'] }],
    dissolve: [5, { 1: ['contractId', 's'], 2: ['version', 'u'], 3: ['documentHash', 'b'] }],
    terminate: [6, { 1: ['contractId', 's'], 2: ['version', 'u'], 3: ['documentHash', 'b'] }],
    uploadPaper: [7, { 1: ['contractId', 's'], 2: ['scanHash', 'b'] }],
    confirmPaper: [8, { 1: ['contractId', 's'], 2: ['scanHash', 'b'] }],
  };
  const [action, schema] = schemas[kind];
  // Only the fields the statement needs are read; the others are skipped by wire type.
  const p = readSome(body[kind], schema);
  const version = kind === 'register' || kind === 'uploadPaper' || kind === 'confirmPaper' ? 1n : kind === 'change' || kind === 'renew' ? (p.baseVersion ?? 0n) + 1n : (p.version ?? 0n);
  const documentHash = hash32(p.documentHash ?? p.scanHash, `${kind}.document_hash`);
  const contractId = p.contractId ?? '';
  const message = cat(enc.encode('ledger/contract-statement/v2\n'),
    fieldBytes(1, enc.encode(chainId)), fieldBytes(2, enc.encode(contractId)), fieldVarint(3, version),
    fieldBytes(4, documentHash), fieldVarint(5, BigInt(action)), fieldBytes(6, sm3(body[kind])));
  return { contractId, version, documentHash, action, message };
}
function readSome(buf, schema) {
  const out = {};
  let pos = 0;
  while (pos < buf.length) {
    let key; [key, pos] = readVarint(buf, pos);
    const num = Number(key >> 3n), wt = Number(key & 7n);
    let value;
    if (wt === 0) [value, pos] = readVarint(buf, pos);
    else if (wt === 2) { let len; [len, pos] = readVarint(buf, pos); value = buf.subarray(pos, pos + Number(len)); pos += Number(len); if (pos > buf.length) throw new Error('truncated'); }
    else if (wt === 1) pos += 8; else if (wt === 5) pos += 4; else throw new Error(`wire type ${wt}`);
    const f = schema[num];
    if (f) out[f[0]] = f[1] === 's' ? new TextDecoder('utf-8', { fatal: true }).decode(value) : value;
  }
  return out;
}
function varint(v) {
  const out = []; let x = BigInt(v);
  do { let b = Number(x & 0x7fn); x >>= 7n; if (x) b |= 0x80; out.push(b); } while (x);
  return Uint8Array.from(out);
}
const fieldVarint = (n, v) => (BigInt(v) === 0n ? new Uint8Array() : cat(varint(n << 3), varint(v)));
const fieldBytes = (n, b) => (b.length === 0 ? new Uint8Array() : cat(varint((n << 3) | 2), varint(b.length), b));
function sealMessage(chainId, height, round, blockHash) {
  return cat(enc.encode('ledger/commit-seal/v1\n'), fieldBytes(1, enc.encode(chainId)), fieldVarint(2, height), fieldVarint(3, round), fieldBytes(4, blockHash));
}

// ---- Merkle (proof-format §1.1) ----
const leafHash = (data) => sm3(cat([0], data));
const nodeHash = (l, r) => sm3(cat([1], l, r));
function verifyInclusion(leaf, index, count, path, root, maxCount = 20000) {
  if (path.length > 64 || !(count >= 1 && count <= maxCount) || !(index >= 0 && index < count)) return false;
  let fn = BigInt(index), sn = BigInt(count - 1), r = leaf;
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else r = nodeHash(r, p);
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && eq(r, root);
}

// ---- DER / X.509 (proof-format §4) ----
function derRead(buf, pos) {
  if (pos + 2 > buf.length) throw new Error('truncated DER');
  const tag = buf[pos];
  let len = buf[pos + 1], p = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new Error('bad DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (p + len > buf.length) throw new Error('truncated DER');
  return { tag, start: p, end: p + len, len, full: buf.subarray(pos, p + len) };
}
function derChildren(buf, node) {
  const out = []; let p = node.start;
  while (p < node.end) { const c = derRead(buf, p); out.push(c); p = c.end; }
  return out;
}
function oidString(bytes) {
  const arcs = []; let v = 0n;
  for (const b of bytes) { v = (v << 7n) | BigInt(b & 0x7f); if (!(b & 0x80)) { arcs.push(v); v = 0n; } }
  const first = arcs[0] < 80n ? [arcs[0] / 40n, arcs[0] % 40n] : [2n, arcs[0] - 80n];
  return [...first, ...arcs.slice(1)].join('.');
}
function derTime(buf, node) {
  const s = Buffer.from(buf.subarray(node.start, node.end)).toString('latin1');
  let m;
  if (node.tag === 0x17 && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const y = Number(m[1]); return Date.UTC(y < 50 ? 2000 + y : 1900 + y, m[2] - 1, m[3], m[4], m[5], m[6]);
  }
  if (node.tag === 0x18 && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) return Date.UTC(m[1], m[2] - 1, m[3], m[4], m[5], m[6]);
  throw new Error('bad certificate time');
}
const IDENTITY_OID = '2.25.82230701417422047206997896990049536145.1';
const SM3_WITH_SM2 = '1.2.156.10197.1.501';
export const ROLES = ['', 'RootCa', 'IntermediateCa', 'Validator', 'Bureau', 'Employer', 'Integrator', 'Arbitration', 'Court', 'Inspector', 'Worker'];
export function parseCertificate(der) {
  der = Buffer.from(der);
  const cert = derRead(der, 0);
  if (cert.tag !== 0x30 || cert.end !== der.length) throw new Error('not a DER certificate');
  const [tbs, alg, sig] = derChildren(der, cert);
  if (!sig || sig.tag !== 0x03 || der[sig.start] !== 0) throw new Error('bad certificate signature field');
  const algOid = derChildren(der, alg)[0];
  const tf = derChildren(der, tbs);
  let i = 0;
  if (tf[0].tag === 0xa0) i++;
  const issuer = tf[i + 2], validity = tf[i + 3], subject = tf[i + 4], spki = tf[i + 5];
  const [nb, na] = derChildren(der, validity);
  const spkiBits = derChildren(der, spki)[1];
  const publicKey = der.subarray(spkiBits.start + 1, spkiBits.end);
  let isCa = false, role = 0, ski = null, aki = null;
  const ext = tf.find((t) => t.tag === 0xa3);
  if (ext) {
    for (const e of derChildren(der, derChildren(der, ext)[0])) {
      const parts = derChildren(der, e);
      const oid = oidString(der.subarray(parts[0].start, parts[0].end));
      const value = parts[parts.length - 1];
      const inner = derRead(der, value.start);
      if (oid === '2.5.29.19') {
        const c = derChildren(der, inner);
        isCa = c.length > 0 && c[0].tag === 0x01 && der[c[0].start] !== 0;
      } else if (oid === '2.5.29.14') {
        ski = der.subarray(inner.start, inner.end);
      } else if (oid === '2.5.29.35') {
        const k = derChildren(der, inner).find((c) => c.tag === 0x80);
        if (k) aki = der.subarray(k.start, k.end);
      } else if (oid === IDENTITY_OID) {
        const c = derChildren(der, inner);
        role = 0; for (let k = c[0].start; k < c[0].end; k++) role = role * 256 + der[k];
      }
    }
  }
  return {
    der, id: sm3(der), tbs: tbs.full, signature: der.subarray(sig.start + 1, sig.end), serial: der.subarray(tf[i].start, tf[i].end),
    signatureOid: oidString(der.subarray(algOid.start, algOid.end)),
    issuer: issuer.full, subject: subject.full, subjectText: nameText(der, subject),
    notBefore: derTime(der, nb), notAfter: derTime(der, na), publicKey, isCa, role, ski, aki,
  };
}
function nameText(der, name) {
  try {
    return derChildren(der, name).map((rdn) => {
      const atv = derChildren(der, derChildren(der, rdn)[0]);
      return Buffer.from(der.subarray(atv[1].start, atv[1].end)).toString('utf8');
    }).join(', ');
  } catch { return '?'; }
}
export function pemToDer(pem) {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem ?? '');
  if (!m) throw new Error('no CERTIFICATE block');
  return Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}
/** §4: the certificate's chain at time `at`, from the certificate up to the root (both included). */
function chain(cert, root, cas, at) {
  let current = cert;
  const path = [cert];
  for (let depth = 0; depth < 8; depth++) {
    if (!(at >= current.notBefore)) fail('CertificateNotYetValid', `${current.subjectText} is not valid before ${new Date(current.notBefore).toISOString()}`);
    if (!(at <= current.notAfter)) fail('CertificateExpired', `${current.subjectText} expired at ${new Date(current.notAfter).toISOString()}`);
    if (eq(current.id, root.id)) return path;
    // Candidates: same name, and the same key identifier when both certificates carry one (§4).
    const candidates = [root, ...cas].filter((c) => eq(c.subject, current.issuer) && !(current.aki && c.ski && !eq(current.aki, c.ski)));
    if (candidates.length === 0) fail('UntrustedCertificate', `issuer of ${current.subjectText} is not a trusted CA`);
    const issuer = candidates.find((c) => current.signatureOid === SM3_WITH_SM2 && sm2Verify(c.publicKey, current.tbs, current.signature));
    if (!issuer) fail('InvalidCertificate', `signature on ${current.subjectText} does not verify under its issuer's key (altered or forged)`);
    if (!issuer.isCa) fail('UntrustedCertificate', `${issuer.subjectText} is not allowed to issue certificates`);
    if (issuer.role !== 1 && issuer.role !== 2) fail('WrongCertificateRole', `${issuer.subjectText} has role ${ROLES[issuer.role] ?? issuer.role}, not a CA role`);
    current = issuer;
    path.push(issuer);
  }
  fail('UntrustedCertificate', 'no chain to the root within 8 certificates');
}

// ---- genesis ----
export function loadGenesis(bytes) {
  const g = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (typeof g.chainId !== 'string' || !g.chainId || typeof g.genesisTime !== 'number' || !Array.isArray(g.validators)) throw new Error('not a genesis.json');
  const root = parseCertificate(pemToDer(g.rootCertificate));
  const intermediates = (g.intermediateCertificates ?? []).map((p) => parseCertificate(pemToDer(p)));
  const validators = new Map();
  for (const v of g.validators) {
    const c = parseCertificate(pemToDer(v.certificate));
    validators.set(hex(c.id), c);
  }
  const ids = [...validators.values()].map((c) => c.id).sort(cmpBytes);
  // The schedule of validator sets before any governance change: genesis's set from height 1 (proof-format §2a).
  const schedule = { sets: [{ from: 1n, members: g.validators.map((v) => ({ name: v.name, der: pemToDer(v.certificate) })) }], changedAt: [] };
  return { chainId: g.chainId, genesisTime: g.genesisTime, root, intermediates, validators, validatorSetHash: sm3(cat(...ids)), schedule };
}

// ---- validator sets after governance changes (proof-format §2a) ----
function decodeSchedule(bytes) {
  const d = decode(bytes, { 1: ['entries', 'b', true], 2: ['changedAt', 'u', true] }, 'ValidatorSchedule');
  const sets = (d.entries ?? []).map((e, i) => {
    const entry = decode(e, { 1: ['from', 'u'], 2: ['members', 'b', true] }, `ValidatorSchedule.entries[${i}]`);
    const members = (entry.members ?? []).map((m, j) => {
      const member = decode(m, { 1: ['name', 's'], 2: ['certificate', 'b'] }, `entries[${i}].members[${j}]`);
      if (!member.name || !member.certificate) throw new Error(`entries[${i}].members[${j}]: name and certificate are required`);
      return { name: member.name, der: member.certificate };
    });
    if (members.length === 0) throw new Error(`entries[${i}] has no validators`);
    return { from: entry.from ?? 0n, members };
  });
  if (sets.length === 0 || sets[0].from !== 1n) throw new Error('a validator schedule starts with the set of height 1');
  for (let i = 1; i < sets.length; i++) if (sets[i].from <= sets[i - 1].from) throw new Error('a validator schedule is in order of height');
  const changedAt = d.changedAt ?? [];
  for (let i = 1; i < changedAt.length; i++) if (changedAt[i] <= changedAt[i - 1]) throw new Error('changed_at is in order of height');
  return { sets, changedAt };
}
function scheduleAt(schedule, height) {
  let found = schedule.sets[0];
  for (const set of schedule.sets) { if (set.from > BigInt(height)) break; found = set; }
  return found;
}
function setView(members, what) {
  const validators = new Map();
  for (const m of members) {
    const c = decodeAs(`${what}: validator ${m.name}`, () => parseCertificate(m.der));
    if (validators.has(hex(c.id))) fail('InvalidProof', `${what}: validator ${c.subjectText} is listed twice`);
    validators.set(hex(c.id), c);
  }
  const ids = [...validators.values()].map((c) => c.id).sort(cmpBytes);
  return { validators, hash: sm3(cat(...ids)) };
}
const CHECKPOINT_MEMBERS = ['header', 'commit', 'schedule', 'stateProof'];
/** The validator set deciding `height`: genesis's schedule, replaced at each certified checkpoint by the one its state holds. */
function setAt(g, height, checkpoints, intermediates) {
  let schedule = g.schedule, previous = 0;
  if (checkpoints !== undefined && !Array.isArray(checkpoints)) fail('InvalidProof', 'validatorCheckpoints is not an array');
  (checkpoints ?? []).forEach((cp, i) => {
    const what = `validatorCheckpoints[${i}]`;
    members(cp, CHECKPOINT_MEMBERS, what);
    checkStateProofShape(cp.stateProof, `${what}.stateProof`);
    const block = decodeBlock({ ...cp, validators: [], intermediates: [] }, `${what}.`);
    block.intermediates = intermediates;
    const h = num(block.header.height);
    if (h <= previous || h >= height) fail('InvalidProof', `${what} is at height ${h}: checkpoints ascend, each below the proof's height ${height}`);
    previous = h;
    try {
      checkBlock(g, block, setView(scheduleAt(schedule, h).members, what), false);
    } catch (e) {
      if (e instanceof Failure) fail(e.code, `${what}: ${e.message}`);
      throw e;
    }
    const bytes = b64(cp.schedule, `${what}.schedule`);
    const sp = cp.stateProof;
    if (sp.siblings.length > MAX_STATE_DEPTH) fail('InvalidProof', `${what}.stateProof has ${sp.siblings.length} siblings`);
    const proof = {
      siblings: sp.siblings.map((x, j) => stateHash(x, `${what}.stateProof.siblings[${j}]`)),
      leafKeyHash: sp.leafKeyHash == null ? null : stateHash(sp.leafKeyHash, `${what}.stateProof.leafKeyHash`),
      leafValueHash: sp.leafValueHash == null ? null : stateHash(sp.leafValueHash, `${what}.stateProof.leafValueHash`),
    };
    try { verifyStateProof(proof, Uint8Array.of(0x05), bytes, block.header.stateRoot); } catch (e) {
      if (e instanceof Failure) fail(e.code, `${what}: the validator schedule is not the one under the block's state root: ${e.message}`);
      throw e;
    }
    const next = decodeAs(`${what}.schedule`, () => decodeSchedule(bytes));
    if (next.changedAt.length === 0 || next.changedAt[next.changedAt.length - 1] !== BigInt(h))
      fail('InvalidProof', `${what}: block ${h} is not the last change its schedule records`);
    const upTo = (sc) => sc.sets.filter((x) => x.from <= BigInt(h));
    const a = upTo(schedule), b = upTo(next);
    const same = a.length === b.length && a.every((x, j) => x.from === b[j].from && x.members.length === b[j].members.length
      && x.members.every((m, k) => m.name === b[j].members[k].name && eq(m.der, b[j].members[k].der)));
    if (!same) fail('InvalidProof', `${what}: the schedule of block ${h} rewrites the validator sets of heights already decided`);
    schedule = next;
  });
  return setView(scheduleAt(schedule, height).members, `the validator set of height ${height}`);
}

// ---- bundles ----
const TX_MEMBERS = ['format', 'version', 'chainId', 'txId', 'envelope', 'receipt', 'txIndex', 'txCount', 'txPath', 'receiptPath', 'header', 'commit', 'validators', 'intermediates', 'revocations'];
const REVOCATION_MEMBERS = ['key', 'record', 'stateProof'];
const BUNDLE_MEMBERS = ['format', 'version', 'chainId', 'contractId', 'height', 'header', 'commit', 'validators', 'intermediates', 'record', 'stateProof', 'events'];
function members(obj, names, what, optional = []) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) fail('InvalidProof', `${what} is not a JSON object`);
  for (const k of Object.keys(obj)) if (!names.includes(k) && !optional.includes(k)) fail('InvalidProof', `${what}: unknown member '${k}'`);
  for (const k of names) if (!(k in obj)) fail('InvalidProof', `${what}: missing member '${k}'`);
}
function b64(s, what) {
  if (typeof s !== 'string' || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s)) fail('InvalidProof', `${what} is not base64`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}
function hexHash(s, what) {
  if (typeof s !== 'string' || !/^[0-9a-fA-F]{64}$/.test(s)) fail('InvalidProof', `${what} is not 64 hex digits`);
  return Buffer.from(s, 'hex');
}
function decodeAs(what, fn) {
  try { return fn(); } catch (e) { if (e instanceof Failure) throw e; fail('InvalidProof', `${what}: ${e.message}`); }
}
const num = (v) => Number(v ?? 0n);

function decodeBlock(obj, what = '') {
  const header = decodeAs(`${what}header`, () => {
    const bytes = b64(obj.header, `${what}header`);
    const h = decode(bytes, S.header, 'BlockHeader');
    for (const k of ['txRoot', 'receiptsRoot', 'stateRoot', 'validatorSetHash']) hash32(h[k], `BlockHeader.${k}`);
    return { ...h, bytes };
  });
  const commit = decodeAs(`${what}commit`, () => {
    const c = decode(b64(obj.commit, `${what}commit`), S.commit, 'CommitCertificate');
    hash32(c.blockHash, 'CommitCertificate.block_hash');
    c.seals = (c.seals ?? []).map((s, i) => {
      const d = decode(s, S.seal, `seals[${i}]`);
      hash32(d.validator, `seals[${i}].validator`);
      if (!d.signature) throw new Error(`seals[${i}]: no signature`);
      return d;
    });
    return c;
  });
  if (!Array.isArray(obj.validators) || !Array.isArray(obj.intermediates)) fail('InvalidProof', 'validators/intermediates are not arrays');
  const validators = obj.validators.map((p, i) => decodeAs(`validators[${i}]`, () => parseCertificate(pemToDer(p))));
  const intermediates = obj.intermediates.map((p, i) => decodeAs(`intermediates[${i}]`, () => parseCertificate(pemToDer(p))));
  return { header, commit, validators, intermediates };
}

/** proof-format §2 checks 4–6. Returns the trust context for endorsements. */
function checkBlock(g, { header, commit, validators, intermediates }, set, listed = true) {
  const blockHash = sm3(header.bytes);
  if (!eq(commit.blockHash, blockHash)) fail('InvalidBlockHash', `the commit certificate seals block ${hex(commit.blockHash)}, the header hashes to ${hex(blockHash)}`);
  if (num(commit.height) !== num(header.height)) fail('InvalidBlockHash', `the commit certificate is for height ${num(commit.height)}, the header for ${num(header.height)}`);
  const height = num(header.height), time = num(header.timestamp);
  if (height < 1) fail('PreGenesisBlock', 'height 0 is genesis, not a block that can hold a tx');
  if (!(time > g.genesisTime)) fail('PreGenesisBlock', `the block's time ${new Date(time).toISOString()} is not after genesis`);
  if (!eq(header.validatorSetHash, set.hash)) fail('UnknownValidatorSet', `the header names validator set ${hex(header.validatorSetHash)}, the chain's set at height ${height} is ${hex(set.hash)}`);
  const cas = [...g.intermediates, ...intermediates];
  for (const c of intermediates) chain(c, g.root, cas, time);
  if (listed) {
    const seen = new Set();
    for (const v of validators) {
      const id = hex(v.id);
      if (seen.has(id)) fail('InvalidProof', `validator ${v.subjectText} is listed twice`);
      seen.add(id);
      if (!set.validators.has(id)) fail('UnknownValidator', `the proof lists ${v.subjectText} (${id}), not a validator of the chain at that height`);
    }
    if (seen.size !== set.validators.size) fail('UnknownValidator', `the proof lists ${seen.size} validators, the chain's set at that height has ${set.validators.size}`);
  }
  for (const v of set.validators.values())
    if (v.role !== 3) fail('WrongCertificateRole', `${v.subjectText} has role ${ROLES[v.role] ?? v.role}, not Validator`);
  const sealers = new Map();
  commit.seals.forEach((s, i) => {
    const id = hex(s.validator);
    const v = set.validators.get(id);
    if (!v) fail('UnknownValidator', `seal ${i} is by ${id}, not a validator of the set`);
    if (sealers.has(id)) fail('DuplicateSeal', `seal ${i} repeats ${v.subjectText}'s seal`);
    sealers.set(id, { v, signature: s.signature });
  });
  const n = set.validators.size, quorum = Math.floor((2 * n + 2) / 3);
  if (sealers.size < quorum) fail('InsufficientSeals', `${sealers.size} seals, a quorum of ${n} validators is ${quorum}`);
  // A seal counts only when its certificate chains to the root at the block's time: a member whose certificate lapsed
  // before its renewal took effect seals nothing, but does not void the others' seals (proof-format §2, check 6).
  const lapsed = [];
  for (const { v } of sealers.values()) {
    try { chain(v, g.root, cas, time); } catch (e) { if (e instanceof Failure) lapsed.push({ v, e }); else throw e; }
  }
  if (sealers.size - lapsed.length < quorum)
    fail(lapsed[0].e.code, `${sealers.size - lapsed.length} of the ${sealers.size} seals are by certificates valid at the block's time, a quorum of ${n} validators is ${quorum}: validator ${lapsed[0].v.subjectText}: ${lapsed[0].e.message}`);
  const message = sealMessage(g.chainId, commit.height ?? 0n, commit.round ?? 0n, commit.blockHash);
  for (const { v, signature } of sealers.values())
    if (!sm2Verify(v.publicKey, message, signature)) fail('InvalidSeal', `the seal of ${v.subjectText} does not verify`);
  const counted = [...sealers.values()].filter(({ v }) => !lapsed.some((l) => l.v === v));
  return { blockHash, height, time, cas, sealedBy: counted.map(({ v }) => v.subjectText) };
}

/** proof-format §2: a tx proof. */
export function verifyTxProof(proof, g, file, anchorRecord = false) {
  members(proof, TX_MEMBERS, 'proof', anchorRecord ? ['validatorCheckpoints', 'anchor'] : ['validatorCheckpoints', 'anchor', 'batch']);
  if (proof.format !== 'ledger-evidence-proof' || proof.version !== 2) fail('InvalidProof', `not a ledger-evidence-proof v2 (${proof.format} v${proof.version})`);
  if (!Array.isArray(proof.revocations)) fail('InvalidProof', 'revocations is not an array');
  proof.revocations.forEach((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) fail('InvalidProof', `revocations[${i}] is not a JSON object`);
    for (const k of Object.keys(r)) if (!REVOCATION_MEMBERS.includes(k)) fail('InvalidProof', `revocations[${i}]: unknown member '${k}'`);
    if (typeof r.key !== 'string' || (r.record != null && typeof r.record !== 'string')) fail('InvalidProof', `revocations[${i}]: key must be a string, record a string or null`);
    checkStateProofShape(r.stateProof, `revocations[${i}].stateProof`);
  });
  if (proof.chainId !== g.chainId) fail('WrongChainId', `the proof is for chain '${proof.chainId}', genesis is chain '${g.chainId}'`);
  const claimedTxId = hexHash(proof.txId, 'txId');
  const envelopeBytes = b64(proof.envelope, 'envelope');
  const envelope = decodeAs('envelope', () => decodeEnvelope(envelopeBytes));
  const receiptBytes = b64(proof.receipt, 'receipt');
  const receipt = decodeAs('receipt', () => { const r = decode(receiptBytes, S.receipt, 'Receipt'); hash32(r.txId, 'Receipt.tx_id'); return r; });
  const block = decodeBlock(proof);
  for (const k of ['txIndex', 'txCount']) if (!Number.isSafeInteger(proof[k])) fail('InvalidProof', `${k} is not an integer`);
  const paths = ['txPath', 'receiptPath'].map((k) => {
    if (!Array.isArray(proof[k])) fail('InvalidProof', `${k} is not an array`);
    return proof[k].map((h, i) => hexHash(h, `${k}[${i}]`));
  });
  // A tx proof is of a labour-contract tx; the ExternalAnchor tx an anchor rests on (check 9) is the one other kind here.
  if (anchorRecord && envelope.payloadKind !== 'externalAnchor') fail('InvalidAnchor', `the anchor's tx is a ${envelope.payloadKind} tx, not an ExternalAnchor`);
  if (!anchorRecord && envelope.payloadKind === 'externalAnchor') fail('InvalidProof', 'envelope payload: an ExternalAnchor tx is not a labour-contract tx');
  // A paper batch's seal (§2b): no statement, the Bureau attests; the proof's batch member names the document.
  let seal = null;
  if (!anchorRecord && envelope.payloadKind === 'uploadPaperBatch') {
    const step = decodeAs('envelope payload', () => decode(envelope.body.uploadPaperBatch, S.uploadPaperBatch, 'UploadPaperBatch'));
    if (step.seal === undefined) fail('InvalidBatchProof', 'the tx is a part of a paper batch, not its seal: only the seal anchors the batch');
    seal = decodeAs('envelope payload', () => {
      const d = decode(step.seal, S.paperBatchSeal, 'PaperBatchSeal');
      hash32(d.root, 'PaperBatchSeal.root'); hash32(d.manifestDigest, 'PaperBatchSeal.manifest_digest');
      if (!d.documentCount || d.documentCount > 100000n) throw new Error('PaperBatchSeal.document_count is not 1..100000');
      return d;
    });
  }
  if (proof.batch !== undefined && !seal) fail('InvalidProof', "the proof has a batch member but its tx is not a paper batch's seal");
  if (seal && proof.batch === undefined) fail('InvalidProof', "a paper batch's seal proves a document only with the proof's batch member");
  const statement = decodeAs('envelope payload', () => statementOf(envelope.body, envelope.payloadKind, g.chainId));

  // 2. The tx.
  const txId = sm3(envelope.bodyBytes);
  if (!eq(txId, claimedTxId)) fail('InvalidProof', `txId ${proof.txId} is not the SM3 of the envelope's body (${hex(txId)})`);
  if (envelope.body.chainId !== g.chainId) fail('WrongChainId', `the tx is for chain '${envelope.body.chainId}', genesis is chain '${g.chainId}'`);
  if (!eq(receipt.txId, txId)) fail('InvalidProof', `the receipt is for tx ${hex(receipt.txId)}, not ${hex(txId)}`);
  // 3. In the block.
  const { header } = block;
  if (proof.txCount !== num(header.txCount)) fail('InvalidMerkleProof', `the proof claims ${proof.txCount} txs in the block, the header ${num(header.txCount)}`);
  if (!verifyInclusion(leafHash(envelopeBytes), proof.txIndex, proof.txCount, paths[0], header.txRoot))
    fail('InvalidMerkleProof', `the envelope is not leaf ${proof.txIndex} of ${proof.txCount} under the header's tx root`);
  if (!verifyInclusion(leafHash(receiptBytes), proof.txIndex, proof.txCount, paths[1], header.receiptsRoot))
    fail('InvalidMerkleProof', `the receipt is not leaf ${proof.txIndex} of ${proof.txCount} under the header's receipts root`);
  // 4–6. A certified block of this chain, by the set of its height (§2a).
  const b = checkBlock(g, block, setAt(g, num(header.height), proof.validatorCheckpoints, block.intermediates));
  // 7. Endorsements: first, exactly those the body (and so the tx id) lists, in order — a copy stripped of a party's
  //    consent is not this tx (TxBody.endorsers: signer = SM3 of the certificate DER or of the bare public key).
  const listed = (envelope.body.endorsers ?? []).map((bytes, i) => decodeAs(`body.endorsers[${i}]`, () => {
    const d = decode(bytes, S.endorser, 'TxEndorser');
    return { signer: hash32(d.signer, 'TxEndorser.signer'), scope: num(d.scope) };
  }));
  if (listed.length === 0) fail('EndorsementsNotListed', 'the body lists no endorsers (it must list every endorsement the envelope carries)');
  if (listed.length !== envelope.endorsements.length)
    fail('EndorsementsNotListed', `the body lists ${listed.length} endorsements, the envelope carries ${envelope.endorsements.length}`);
  envelope.endorsements.forEach((e, i) => {
    const signer = sm3(e.certificate ?? e.publicKey);
    if (!eq(signer, listed[i].signer) || listed[i].scope !== e.scope)
      fail('EndorsementsNotListed', `endorsement ${i} is by ${hex(signer)} (scope ${e.scope}), the body lists ${hex(listed[i].signer)} (scope ${listed[i].scope})`);
  });
  let submitterSigned = false;
  let submitterRole = null;
  const signers = [];
  const reliedOn = []; // [key, certificate]: each endorsing certificate, then the CAs above it, once
  envelope.endorsements.forEach((e, i) => {
    const cert = e.certificate ? decodeAs(`endorsements[${i}].certificate`, () => parseCertificate(e.certificate)) : null;
    const key = cert ? cert.publicKey : e.publicKey;
    const scopeName = e.scope === 0 ? 'Body' : 'Statement';
    let signed;
    if (e.scope === 0) signed = envelope.bodyBytes;
    else if (statement) signed = statement.message;
    else fail('InvalidSignature', `endorsement ${i}: a Statement signature on a payload without a statement`);
    if (!sm2Verify(key, signed, e.signature)) {
      const who = cert ? cert.subjectText : `key ${hex(sm3(key))}`;
      // A well-formed party signature that does not hold is over another statement: the payload is not what they signed.
      if (e.scope === 1 && strictDerSignature(e.signature))
        fail('StatementMismatch', `the statement signature of ${who} does not cover this tx's payload: the party signed something else`);
      fail('InvalidSignature', `the ${scopeName} signature of ${who} does not verify`);
    }
    if (e.scope === 0 && cert && eq(cert.id, envelope.body.submitter)) { submitterSigned = true; submitterRole ??= ROLES[cert.role]; }
    if (cert) {
      let path;
      try { path = chain(cert, g.root, b.cas, b.time); } catch (err) {
        if (err instanceof Failure) fail(err.code, `the ${scopeName} signer ${cert.subjectText}: ${err.message}`);
        throw err;
      }
      for (let link = 0; link < path.length - 1; link++) {
        const key = revocationKey(path[link + 1].id, path[link].serial);
        if (!reliedOn.some(([k]) => eq(k, key))) reliedOn.push([key, path[link]]);
      }
    }
    signers.push({ scope: scopeName, subject: cert?.subjectText ?? null, role: cert ? ROLES[cert.role] : 'Unknown' });
  });
  if (!submitterSigned) fail('MissingEndorsement', `no body signature by the submitter's certificate ${hex(envelope.body.submitter)}`);
  // 7b. Revocation on chain: exactly one status per certificate relied on, each proved under the block's state root.
  const laterRevocations = checkRevocations(proof.revocations, reliedOn, block.header, num(block.header.height), proof.txIndex);
  const batch = seal ? checkBatch(proof.batch, seal, receipt, submitterRole) : null;
  // 8. The file.
  if (batch) {
    if (file && !eq(sm3(file), batch.document)) fail('DocumentHashMismatch', `the file's SM3 is ${hex(sm3(file))}, the anchored document's is ${hex(batch.document)}`);
  } else if (file) {
    const fileHash = sm3(file);
    if (!statement) fail('DocumentHashMismatch', 'the tx anchors no document');
    if (!eq(fileHash, statement.documentHash)) fail('DocumentHashMismatch', `the file's SM3 is ${hex(fileHash)}, the anchored document's is ${hex(statement.documentHash)}`);
  }
  // 9. The nearest later external-anchor checkpoint, when the proof carries one.
  const anchor = !anchorRecord && proof.anchor != null ? checkAnchor(proof.anchor, g, b.height, b.blockHash) : undefined;
  return {
    txId: hex(txId), height: b.height, blockHash: hex(b.blockHash), blockTime: new Date(b.time).toISOString(),
    receiptCode: num(receipt.code), contractId: batch ? batch.contractId : statement?.contractId ?? null,
    documentHash: batch ? hex(batch.document) : statement ? hex(statement.documentHash) : null,
    ...(batch ? { batch: { root: hex(seal.root), index: batch.index, count: batch.count, grade: batch.grade } } : {}),
    sealedBy: b.sealedBy, signers, laterRevocations, ...(anchor ? { anchor } : {}),
    _envelope: envelope, _statement: statement, _receipt: receipt, _submitterRole: submitterRole, _header: block.header,
  };
}

// ---- a document in a paper batch (proof-format §2b) ----
const BATCH_MEMBERS = ['document', 'contractId', 'grade', 'index', 'count', 'path'];
const BATCH_LEAF_TAG = enc.encode('ledger/paper-batch-leaf/v1\n');
/** The leaf data: tag ‖ document hash (32) ‖ grade (1 byte) ‖ UTF-8 contract id; its leaf hash is SM3(0x00 ‖ data). */
export function batchLeafData(document, grade, contractId) {
  return cat(BATCH_LEAF_TAG, document, [grade], enc.encode(contractId));
}
function checkBatch(batch, seal, receipt, submitterRole) {
  members(batch, BATCH_MEMBERS, 'batch');
  const document = hexHash(batch.document, 'batch.document');
  if (typeof batch.contractId !== 'string') fail('InvalidProof', 'batch.contractId is not a string');
  for (const k of ['grade', 'index', 'count']) if (!Number.isSafeInteger(batch[k])) fail('InvalidProof', `batch.${k} is not an integer`);
  if (!Array.isArray(batch.path)) fail('InvalidProof', 'batch.path is not an array');
  const path = batch.path.map((h, i) => hexHash(h, `batch.path[${i}]`));
  if (num(receipt.code) !== 0) fail('InvalidBatchProof', `the seal was refused by the chaincode (${num(receipt.code)}): the batch is not anchored`);
  if (submitterRole !== 'Bureau') fail('InvalidBatchProof', `the batch was sealed by ${submitterRole ?? 'no certificate'}, not a Bureau`);
  const idBytes = enc.encode(batch.contractId).length;
  if (idBytes < 1 || idBytes > 64) fail('InvalidBatchProof', 'batch: a batch leaf\'s contract id is 1..64 UTF-8 bytes');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(batch.contractId)) fail('InvalidBatchProof', 'batch: a batch leaf\'s contract id has a control character');
  if (batch.grade !== 1 && batch.grade !== 2) fail('InvalidBatchProof', `batch: evidence grade ${batch.grade} is not 1 (electronic signature) or 2 (paper scan)`);
  if (batch.count !== num(seal.documentCount)) fail('InvalidBatchProof', `batch.count is ${batch.count}, the seal anchors ${num(seal.documentCount)} documents`);
  if (batch.index < 0 || batch.index >= batch.count) fail('InvalidBatchProof', `batch.index ${batch.index} is not a position in a batch of ${batch.count}`);
  if (path.length > 64) fail('InvalidBatchProof', `batch.path has ${path.length} entries`);
  const leaf = leafHash(batchLeafData(document, batch.grade, batch.contractId));
  if (!verifyInclusion(leaf, batch.index, batch.count, path, seal.root, 100000))
    fail('InvalidBatchProof', `document ${hex(document)} of contract ${batch.contractId} (grade ${batch.grade}) is not leaf ${batch.index} of ${batch.count} under the sealed root ${hex(seal.root)}`);
  return { document, contractId: batch.contractId, grade: batch.grade, index: batch.index, count: batch.count };
}

// ---- the external-anchor checkpoint (proof-format §2, check 9) ----
const ANCHOR_MEMBERS = ['proof', 'headers'];
const MAX_ANCHOR_HEADERS = 4096;
/**
 * The anchor's ExternalAnchor tx is a valid tx proof (checks 1–7b) of a tx the chaincode accepted from a Bureau; its
 * checkpoint is at or above the block, and the headers link the block to it by prev_hash. The external chain is not read.
 */
function checkAnchor(anchor, g, height, blockHash) {
  members(anchor, ANCHOR_MEMBERS, 'anchor');
  if (anchor.proof !== null && typeof anchor.proof === 'object' && anchor.proof.anchor != null) fail('InvalidAnchor', 'the anchor\'s own proof carries an anchor');
  let record;
  try { record = verifyTxProof(anchor.proof, g, undefined, true); } catch (e) {
    if (e instanceof Failure && e.code !== 'InvalidAnchor') fail('InvalidAnchor', `the anchor's ExternalAnchor tx: ${e.code}: ${e.message}`);
    throw e;
  }
  let p;
  try {
    p = decode(record._envelope.body.externalAnchor, S.externalAnchor, 'ExternalAnchor');
    for (const k of ['height', 'evmChainId', 'externalBlock', 'externalTime']) if (!p[k]) throw new Error(`ExternalAnchor.${k} is missing`);
    hash32(p.blockHash, 'ExternalAnchor.block_hash');
    hash32(p.txHash, 'ExternalAnchor.tx_hash');
    hash32(p.externalBlockHash, 'ExternalAnchor.external_block_hash');
    if (!p.contract || p.contract.length !== 20) throw new Error('ExternalAnchor.contract is not 20 bytes');
  } catch (e) { fail('InvalidAnchor', `the anchor's payload: ${e.message}`); }
  if (num(record._receipt.code) !== 0) fail('InvalidAnchor', `the anchor's ExternalAnchor tx was refused by the chaincode (${num(record._receipt.code)})`);
  if (record._submitterRole !== 'Bureau') fail('InvalidAnchor', `the anchor was recorded by ${record._submitterRole ?? 'no certificate'}, not a Bureau`);
  const checkpoint = p.height;
  const recordedAt = BigInt(record.height);
  const at = BigInt(height);
  if (checkpoint < at) fail('InvalidAnchor', `the checkpoint is at height ${checkpoint}, below the proof's block ${at}`);
  if (checkpoint >= recordedAt) fail('InvalidAnchor', `the checkpoint ${checkpoint} is not below the block ${recordedAt} recording it`);
  const gap = checkpoint - at;
  if (!Array.isArray(anchor.headers) || gap > BigInt(MAX_ANCHOR_HEADERS) || BigInt(anchor.headers.length) !== gap)
    fail('InvalidAnchor', `the link from height ${at} to the checkpoint ${checkpoint} needs ${gap} headers, the proof has ${Array.isArray(anchor.headers) ? anchor.headers.length : 'none'}`);
  let previous = blockHash;
  anchor.headers.forEach((h, i) => {
    const bytes = b64(h, `anchor.headers[${i}]`);
    const header = decodeAs(`anchor.headers[${i}]`, () => { const d = decode(bytes, S.header, 'BlockHeader'); hash32(d.prevHash, 'BlockHeader.prev_hash'); return d; });
    const want = at + BigInt(i) + 1n;
    if ((header.height ?? 0n) !== want) fail('InvalidAnchor', `anchor.headers[${i}] is at height ${header.height ?? 0n}, the link needs ${want}`);
    if (!eq(header.prevHash, previous)) fail('InvalidAnchor', `anchor.headers[${i}] (height ${want}) does not follow block ${hex(previous)}`);
    previous = sm3(bytes);
  });
  if (!eq(previous, p.blockHash)) fail('InvalidAnchor', `the link ends at block ${hex(previous)}, the anchored checkpoint is block ${hex(p.blockHash)}`);
  const contract = `0x${hex(p.contract)}`;
  return {
    checkpointHeight: Number(checkpoint), checkpointHash: hex(p.blockHash), recordedAt: Number(recordedAt), recordTxId: record.txId,
    evmChainId: Number(p.evmChainId ?? 0n), contract, txHash: `0x${hex(p.txHash)}`, externalBlock: Number(p.externalBlock ?? 0n),
    externalBlockHash: `0x${hex(p.externalBlockHash)}`, externalTime: new Date(Number(BigInt.asIntN(64, p.externalTime ?? 0n)) * 1000).toISOString(),
    linkHeaders: anchor.headers.length,
    needsExternalChain: `that EVM chain ${Number(p.evmChainId ?? 0n)} holds the checkpoint is not checked offline: ledger anchor verify --height ${checkpoint} --rpc URL --contract ${contract}`,
  };
}

// ---- revocation on chain (proof-format §2, check 7b) ----
/** 0x04 ‖ id of the issuing CA's certificate ‖ serial (DER INTEGER content): where the chain records a revocation. */
function revocationKey(caId, serial) { return cat([0x04], caId, serial); }
function checkStateProofShape(sp, what) {
  if (sp === null || typeof sp !== 'object' || Array.isArray(sp)) fail('InvalidProof', `${what} is not a JSON object`);
  for (const k of Object.keys(sp)) if (!STATE_PROOF_MEMBERS.includes(k)) fail('InvalidProof', `${what}: unknown member '${k}'`);
  if (!Array.isArray(sp.siblings)) fail('InvalidProof', `${what}.siblings is not an array`);
  for (const k of ['leafKeyHash', 'leafValueHash']) if (sp[k] !== undefined && sp[k] !== null && typeof sp[k] !== 'string') fail('InvalidProof', `${what}.${k} is not a string`);
}
function decodeRevocationRecord(bytes) {
  const d = decode(bytes, { 1: ['height', 'u'], 2: ['txIndex', 'u'], 3: ['txId', 'b'], 4: ['revokedAt', 'u'] }, 'RevocationRecord');
  if (d.height === undefined) throw new Error('RevocationRecord.height is missing');
  hash32(d.txId, 'RevocationRecord.tx_id');
  return { height: d.height, txIndex: d.txIndex ?? 0n, txId: d.txId, revokedAt: BigInt.asIntN(64, d.revokedAt ?? 0n) };
}
function checkRevocations(statuses, reliedOn, header, height, txIndex) {
  if (statuses.length !== reliedOn.length)
    fail('RevocationStatusMissing', `the tx relies on ${reliedOn.length} certificates, the proof gives the revocation status of ${statuses.length}`);
  const later = [];
  reliedOn.forEach(([key, cert], i) => {
    const status = statuses[i];
    if (status.key.toLowerCase() !== hex(key))
      fail('RevocationStatusMissing', `revocation status ${i} is for key ${status.key}, the tx relies on ${cert.subjectText} (key ${hex(key)})`);
    const record = status.record == null ? null : b64(status.record, `revocations[${i}].record`);
    const sp = status.stateProof;
    if (sp.siblings.length > MAX_STATE_DEPTH) fail('InvalidProof', `revocations[${i}].stateProof has ${sp.siblings.length} siblings`);
    const parse = (h, what) => { if (typeof h !== 'string' || !/^[0-9a-fA-F]{64}$/.test(h)) fail('InvalidProof', `${what} is not 64 hex digits`); return Buffer.from(h, 'hex'); };
    const proof = {
      siblings: sp.siblings.map((h, j) => parse(h, `revocations[${i}].stateProof.siblings[${j}]`)),
      leafKeyHash: sp.leafKeyHash == null ? null : parse(sp.leafKeyHash, `revocations[${i}].stateProof.leafKeyHash`),
      leafValueHash: sp.leafValueHash == null ? null : parse(sp.leafValueHash, `revocations[${i}].stateProof.leafValueHash`),
    };
    try { verifyStateProof(proof, key, record, header.stateRoot); } catch (e) {
      if (e instanceof Failure) fail(e.code, `revocation status of ${cert.subjectText}: ${e.message}`);
      throw e;
    }
    if (record === null) return;
    const r = decodeAs(`revocations[${i}].record`, () => decodeRevocationRecord(record));
    const rh = num(r.height), ri = num(r.txIndex);
    if (rh < height || (rh === height && ri < txIndex))
      fail('CertificateRevoked', `${cert.subjectText} was revoked on chain at height ${rh} (tx ${hex(r.txId)}), before this tx at height ${height}; its CA dates the revocation ${new Date(Number(r.revokedAt)).toISOString()}`);
    later.push({ subject: cert.subjectText, height: rh, revokedAt: new Date(Number(r.revokedAt)).toISOString() });
  });
  return later;
}

/** Runs a check and turns its outcome into the one-line result. */
export function run(fn) {
  try {
    const details = fn();
    const out = { valid: true, code: 'Ok', reason: 'valid' };
    for (const [k, v] of Object.entries(details)) if (!k.startsWith('_')) out[k] = v;
    return out;
  } catch (e) {
    if (e instanceof Failure) return { valid: false, code: e.code, reason: e.message };
    return { valid: false, code: 'InvalidProof', reason: `proof could not be checked: ${e.message}` };
  }
}

// ---- the state tree (proof-format §1.2) ----
const EMPTY_SUBTREE = new Uint8Array(32);
const MAX_STATE_DEPTH = 256;
const bitOf = (hash, i) => (hash[i >> 3] >> (7 - (i & 7))) & 1;
function sharePrefix(a, b, bits) {
  for (let i = 0; i < bits; i++) if (bitOf(a, i) !== bitOf(b, i)) return false;
  return true;
}
/** The state proof for `key` under `root`: inclusion of `value`, or absence when `value` is null. */
function verifyStateProof(proof, key, value, root) {
  const { siblings, leafKeyHash, leafValueHash } = proof;
  const k = sm3(key);
  if ((leafKeyHash === null) !== (leafValueHash === null)) fail('InvalidStateProof', 'a leaf needs both its key hash and its value hash');
  let r;
  if (value !== null) {
    if (leafKeyHash === null || !eq(leafKeyHash, k)) fail('InvalidStateProof', 'the path does not end at the key\'s leaf');
    if (!eq(leafValueHash, sm3(value))) fail('InvalidStateProof', 'the key\'s leaf holds another value');
    r = sm3(cat([0], k, leafValueHash));
  } else if (leafKeyHash !== null) {
    if (eq(leafKeyHash, k)) fail('InvalidStateProof', 'the path ends at the key\'s own leaf: the key is present');
    if (!sharePrefix(leafKeyHash, k, siblings.length)) fail('InvalidStateProof', 'the leaf the path ends at is not on the key\'s path');
    r = sm3(cat([0], leafKeyHash, leafValueHash));
  } else {
    r = EMPTY_SUBTREE;
  }
  for (let i = siblings.length - 1; i >= 0; i--) r = bitOf(k, i) === 0 ? nodeHash(r, siblings[i]) : nodeHash(siblings[i], r);
  if (!eq(r, root)) fail('InvalidStateProof', `the path leads to root ${hex(r)}, not the header's state root ${hex(root)}`);
}

// ---- the contract record (proof-format §3: only fields 1, 4, 7 and 15 are read, the rest skipped by wire type) ----
export const STATUSES = ['', 'PendingSignature', 'Effective', 'PendingChange', 'PendingRenewal', 'Dissolved', 'Terminated', 'PendingConfirmation'];
export const ACTIONS = ['', 'Register', 'Sign', 'Change', 'Renew', 'Dissolve', 'Terminate', 'UploadPaper', 'ConfirmPaper'];
/** Walks a message whose unknown fields are skipped: ascending field numbers (repeats allowed), varint or length-delimited only. */
function readFields(buf, what, onField) {
  let pos = 0, last = 0;
  while (pos < buf.length) {
    let key; [key, pos] = readVarint(buf, pos);
    const num = Number(key >> 3n), wt = Number(key & 7n);
    if (num < 1 || num > 63) throw new Error(`${what}: field number ${num}`);
    if (wt !== 0 && wt !== 2) throw new Error(`${what}: wire type ${wt} in field ${num}`);
    if (num < last) throw new Error(`${what}: field ${num} after field ${last}`);
    last = num;
    let value;
    if (wt === 0) [value, pos] = readVarint(buf, pos);
    else {
      let len; [len, pos] = readVarint(buf, pos);
      const end = pos + Number(len);
      if (end > buf.length) throw new Error(`${what}: truncated field ${num}`);
      value = buf.subarray(pos, end);
      pos = end;
    }
    onField(num, wt, value);
  }
}
function fieldValue(what, num, wt, value, kind) {
  if (kind === 'u') {
    if (wt !== 0) throw new Error(`${what}: field ${num} has wire type ${wt}`);
    if (value === 0n) throw new Error(`${what}: default value written for field ${num}`);
    return value;
  }
  if (wt !== 2) throw new Error(`${what}: field ${num} has wire type ${wt}`);
  if (value.length === 0) throw new Error(`${what}: default value written for field ${num}`);
  return value;
}
function decodeRecord(bytes) {
  const out = { contractId: null, status: 0, effectiveVersion: 0, history: [] };
  readFields(bytes, 'ContractRecord', (num, wt, value) => {
    const what = 'ContractRecord';
    if (num === 1) {
      const b = fieldValue(what, num, wt, value, 'b');
      if (b.length > 128) throw new Error(`${what}: field 1 is ${b.length} bytes, at most 128`);
      out.contractId = new TextDecoder('utf-8', { fatal: true }).decode(b);
    } else if (num === 4) out.status = uint32(fieldValue(what, num, wt, value, 'u'), what, num);
    else if (num === 7) out.effectiveVersion = uint32(fieldValue(what, num, wt, value, 'u'), what, num);
    else if (num === 15) {
      if (wt !== 2) throw new Error(`${what}: field 15 has wire type ${wt}`);
      out.history.push(decodeHistoryEntry(value));
    }
  });
  if (out.status < 1 || out.status >= STATUSES.length) throw new Error(`ContractRecord: status ${out.status}`);
  if (out.contractId === null) throw new Error('ContractRecord.contract_id is missing');
  return out;
}
function decodeHistoryEntry(bytes) {
  const e = { action: 0, version: 0, txId: null, height: 0n, blockTime: 0n };
  readFields(bytes, 'HistoryEntry', (num, wt, value) => {
    const what = 'HistoryEntry';
    if (num === 1) e.action = uint32(fieldValue(what, num, wt, value, 'u'), what, num);
    else if (num === 2) e.version = uint32(fieldValue(what, num, wt, value, 'u'), what, num);
    else if (num === 3) e.txId = hash32(fieldValue(what, num, wt, value, 'b'), 'HistoryEntry.tx_id');
    else if (num === 4) e.height = fieldValue(what, num, wt, value, 'u');
    else if (num === 5) e.blockTime = fieldValue(what, num, wt, value, 'u');
  });
  if (e.txId === null) throw new Error('HistoryEntry.tx_id is missing');
  return e;
}
function uint32(v, what, num) {
  if (v > 0xffffffffn) throw new Error(`${what}: field ${num} exceeds 32 bits`);
  return Number(v);
}

const STATE_PROOF_MEMBERS = ['siblings', 'leafKeyHash', 'leafValueHash'];
function stateHash(s, what) {
  if (typeof s !== 'string' || !/^[0-9a-fA-F]{64}$/.test(s)) fail('InvalidStateProof', `${what} is not 64 hex digits`);
  return Buffer.from(s, 'hex');
}

/**
 * proof-format §3: a contract bundle. With `knownHeight` (the height of a newer certified block the reader holds), a
 * bundle below it is stale.
 */
export function verifyBundle(bundle, g, knownHeight) {
  // The whole bundle is read before anything is judged: every member, every event's members.
  members(bundle, BUNDLE_MEMBERS, 'bundle', ['validatorCheckpoints']);
  if (bundle.format !== 'ledger-contract-evidence' || bundle.version !== 1) fail('InvalidProof', `not a ledger-contract-evidence v1 (${bundle.format} v${bundle.version})`);
  if (!Number.isSafeInteger(bundle.height) || bundle.height < 0) fail('InvalidProof', 'height is not an unsigned integer');
  if (typeof bundle.chainId !== 'string' || typeof bundle.contractId !== 'string') fail('InvalidProof', 'chainId and contractId must be strings');
  if (bundle.record !== null && typeof bundle.record !== 'string') fail('InvalidProof', 'record is neither base64 nor null');
  const sp = bundle.stateProof;
  if (sp === null || typeof sp !== 'object' || Array.isArray(sp)) fail('InvalidProof', 'stateProof is not a JSON object');
  for (const k of Object.keys(sp)) if (!STATE_PROOF_MEMBERS.includes(k)) fail('InvalidProof', `stateProof: unknown member '${k}'`);
  if (!Array.isArray(sp.siblings)) fail('InvalidProof', 'stateProof.siblings is not an array');
  for (const k of ['leafKeyHash', 'leafValueHash']) if (sp[k] !== undefined && sp[k] !== null && typeof sp[k] !== 'string') fail('InvalidProof', `stateProof.${k} is not a string`);
  if (!Array.isArray(bundle.events)) fail('InvalidProof', 'events is not an array');
  bundle.events.forEach((e, i) => members(e, TX_MEMBERS, `events[${i}]`, ['validatorCheckpoints', 'anchor']));

  // 1. This chain, a contract.
  if (bundle.chainId !== g.chainId) fail('WrongChainId', `the bundle is for chain '${bundle.chainId}', genesis is chain '${g.chainId}'`);
  if (bundle.contractId === '') fail('InvalidProof', 'the bundle names no contract');

  // 2. The block the state proof rests on: certified, at the stated height, never genesis.
  const block = decodeBlock(bundle);
  const height = num(block.header.height);
  if (height !== bundle.height) fail('InvalidProof', `the bundle states height ${bundle.height}, its header is at ${height}`);
  if (height === 0) fail('PreGenesisBlock', 'height 0 is genesis: no evidence is certified there');
  const b = checkBlock(g, block, setAt(g, height, bundle.validatorCheckpoints, block.intermediates));

  // 3. The record, or its absence, under the header's state root.
  const record = bundle.record === null ? null : decodeAs('record', () => b64(bundle.record, 'record'));
  if (sp.siblings.length > MAX_STATE_DEPTH) fail('InvalidStateProof', `stateProof has ${sp.siblings.length} siblings, more than ${MAX_STATE_DEPTH}`);
  const stateProof = {
    siblings: sp.siblings.map((h, i) => stateHash(h, `stateProof.siblings[${i}]`)),
    leafKeyHash: sp.leafKeyHash == null ? null : stateHash(sp.leafKeyHash, 'stateProof.leafKeyHash'),
    leafValueHash: sp.leafValueHash == null ? null : stateHash(sp.leafValueHash, 'stateProof.leafValueHash'),
  };
  const key = cat([0x10], enc.encode(bundle.contractId));
  try {
    verifyStateProof(stateProof, key, record, block.header.stateRoot);
  } catch (e) {
    if (e instanceof Failure) fail(e.code, record === null ? `absence of ${bundle.contractId}: ${e.message}` : `record of ${bundle.contractId}: ${e.message}`);
    throw e;
  }

  // 4. Stale against a newer certified block the reader holds.
  if (knownHeight !== undefined && knownHeight > height)
    fail('StaleStateProof', `the bundle shows the contract at height ${height}, but height ${knownHeight} is certified: the contract may have changed since`);

  const found = { contractId: bundle.contractId, height, blockHash: hex(b.blockHash), blockTime: new Date(b.time).toISOString(), sealedBy: b.sealedBy };
  // 5. No record: no events.
  if (record === null) {
    if (bundle.events.length !== 0) fail('UnexpectedEvent', `the contract has no record at height ${height}, yet the bundle lists ${bundle.events.length} events`);
    return { ...found, found: false, status: null, effectiveVersion: null, events: [] };
  }

  // 6. The record is this contract's.
  const summary = decodeAs('record', () => decodeRecord(record));
  if (summary.contractId !== bundle.contractId) fail('InvalidProof', `the record is of contract '${summary.contractId}', the bundle names '${bundle.contractId}'`);

  // 7. The events are exactly the history: same set, same order.
  const history = summary.history.map((h) => hex(h.txId));
  const events = bundle.events.map((e, i) => hex(hexHash(e.txId, `event ${i}: txId`)));
  const inHistory = new Set(history), seen = new Set();
  events.forEach((id, i) => {
    if (!inHistory.has(id)) fail('UnexpectedEvent', `event ${i} (tx ${id}) is not in the contract's history`);
    if (seen.has(id)) fail('UnexpectedEvent', `event ${i} (tx ${id}) is listed twice`);
    seen.add(id);
  });
  history.forEach((id, i) => {
    if (!seen.has(id)) fail('MissingEvent', `history entry ${i} (tx ${id}, ${ACTIONS[summary.history[i].action] ?? summary.history[i].action} at height ${summary.history[i].height}) has no event in the bundle`);
  });
  history.forEach((id, i) => {
    if (events[i] !== id) fail('EventsOutOfOrder', `event ${i} is tx ${events[i]}; the history's entry ${i} is tx ${id}`);
  });

  // 8. Each event a valid proof of this contract's accepted tx, in the block its history entry names, no later than the bundle's.
  const checked = bundle.events.map((e, i) => {
    let report;
    try { report = verifyTxProof(e, g); } catch (err) {
      if (err instanceof Failure) fail(err.code, `event ${i}: ${err.message}`);
      throw err;
    }
    const entry = summary.history[i];
    if (report.contractId !== bundle.contractId) fail('UnexpectedEvent', `event ${i} is a tx of contract '${report.contractId}'`);
    if (report.receiptCode !== 0) fail('UnexpectedEvent', `event ${i} was refused by the chaincode (${report.receiptCode}): it is no event of the contract`);
    if (BigInt(report.height) !== entry.height || report.height > height)
      fail('UnexpectedEvent', `event ${i} is in block ${report.height}; the history records block ${entry.height}, the bundle is at ${height}`);
    return { txId: report.txId, action: ACTIONS[entry.action] ?? String(entry.action), version: entry.version, height: report.height, blockTime: report.blockTime, signers: report.signers, ...(report.anchor ? { anchor: report.anchor } : {}) };
  });
  return { ...found, found: true, status: STATUSES[summary.status], effectiveVersion: summary.effectiveVersion, events: checked };
}

/** The certified height a valid proof or bundle shows (for --against): throws its failure when it is not valid. */
export function certifiedHeight(obj, g) {
  return obj?.format === 'ledger-contract-evidence' ? verifyBundle(obj, g).height : verifyTxProof(obj, g).height;
}
