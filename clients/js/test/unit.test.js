import test from 'node:test';
import assert from 'node:assert/strict';
import { ProtoWriter, readFields, toHex, fromHex, varint } from '../src/wire.js';
import { Sm2Key, sm3, sm4GcmDecrypt, verify, pbkdf2Sm3 } from '../src/crypto.js';
import { buildContractTx, registerContract, statementSigningMessage } from '../src/tx.js';

test('SM3 of "abc" is the GB/T 32905 vector', () => {
  assert.equal(toHex(sm3(new TextEncoder().encode('abc'))), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
});

test('varints are minimal', () => {
  assert.equal(toHex(varint(0)), '00');
  assert.equal(toHex(varint(127)), '7f');
  assert.equal(toHex(varint(128)), '8001');
  assert.equal(toHex(varint(2n ** 64n - 1n)), 'ffffffffffffffffff01');
});

test('defaults are never written and fields go in ascending order', () => {
  const bytes = new ProtoWriter().uint(1, 0).string(2, '').bytes(3, new Uint8Array()).uint(4, 5).toBytes();
  assert.equal(toHex(bytes), '2005');
  assert.throws(() => new ProtoWriter().uint(2, 1).uint(1, 1), /ascending/);
  // an embedded message is written even when empty
  assert.equal(toHex(new ProtoWriter().message(16, new Uint8Array()).toBytes()), '8201' + '00');
});

test('SM2 signatures are DER and verify with the default signer ID', () => {
  const key = Sm2Key.generate();
  const message = new TextEncoder().encode('劳动合同');
  const signature = key.sign(message);
  assert.equal(signature[0], 0x30, 'a DER SEQUENCE');
  assert.equal(signature[1], signature.length - 2);
  assert.ok(verify(key.publicKey, message, signature));
  assert.ok(!verify(key.publicKey, new TextEncoder().encode('劳动合同!'), signature));
});

test('a register tx: the statement, the body and the tx id', () => {
  const employer = { key: Sm2Key.generate(), certificate: new Uint8Array(300).fill(7) };
  const worker = { key: Sm2Key.generate(), certificate: new Uint8Array(280).fill(9) };
  const documentHash = sm3(new TextEncoder().encode('contract'));
  const payload = registerContract({
    contractId: 'GZ-1', documentHash, employerCreditCode: '91440101MA59ABCD1D', workerPseudonym: sm3(new TextEncoder().encode('pseudonym')),
    terms: { type: 'openEnded', start: '2026-01-01', placeOfWork: '440106000000', industry: 'I6510' },
  });
  const tx = buildContractTx({ chainId: 'gd', payload, parties: [employer, worker], submitter: employer, nonce: 7n, now: 1_700_000_000_000 });
  assert.deepEqual(tx.txId, sm3(tx.body));
  const envelope = readFields(tx.envelope);
  assert.deepEqual(envelope.map((f) => f.field), [1, 2, 2, 2]);
  const body = readFields(envelope[0].value);
  assert.deepEqual(body.map((f) => f.field), [1, 2, 3, 4, 5, 5, 5, 16]);
  assert.equal(body[1].value, 7n);
  assert.equal(body[2].value, 1_700_000_600_000n);
  assert.deepEqual(body[3].value, sm3(employer.certificate));
  // The body lists the envelope's endorsements in order: the submitter's Body, then each Statement signer.
  const endorsers = body.slice(4, 7).map((f) => readFields(f.value));
  assert.deepEqual(endorsers.map((e) => e.map((f) => f.field)), [[1], [1, 2], [1, 2]]);
  assert.deepEqual(endorsers[0][0].value, sm3(employer.certificate));
  assert.deepEqual(endorsers[1][0].value, sm3(employer.certificate));
  assert.deepEqual(endorsers[2][0].value, sm3(worker.certificate), "the worker is listed by its Worker certificate");
  assert.equal(endorsers[2][1].value, 1n);
  // The Body endorsement (scope 0, not written) signs the body; the statements sign the prefixed statement.
  const [bodyEndorsement, employerStatement, workerStatement] = envelope.slice(1).map((e) => readFields(e.value));
  assert.deepEqual(bodyEndorsement.map((f) => f.field), [1, 3]);
  assert.ok(verify(employer.key.publicKey, tx.body, bodyEndorsement[1].value));
  const message = statementSigningMessage('gd', { contractId: 'GZ-1', version: 1, documentHash, action: 1 }, payload.bytes);
  assert.equal(new TextDecoder().decode(message.subarray(0, 29)), 'ledger/contract-statement/v2\n');
  assert.deepEqual(message.subarray(message.length - 32), sm3(payload.bytes), 'the statement ends with SM3 of the payload');
  assert.throws(() => buildContractTx({ chainId: 'gd', payload, parties: [{ key: worker.key }], submitter: employer }), /bare keys carry no role/);
  assert.deepEqual(employerStatement.map((f) => f.field), [1, 3, 4]);
  assert.ok(verify(employer.key.publicKey, message, employerStatement[1].value));
  assert.deepEqual(workerStatement.map((f) => f.field), [1, 3, 4]);
  assert.deepEqual(workerStatement[0].value, worker.certificate);
  assert.ok(verify(worker.key.publicKey, message, workerStatement[1].value));
});

test('SM4-GCM decrypts the RFC 8998 A.1 vector and refuses a changed tag', () => {
  const key = fromHex('0123456789abcdeffedcba9876543210');
  const iv = fromHex('00001234567800000000abcd');
  const aad = fromHex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
  const plain = 'aaaaaaaaaaaaaaaabbbbbbbbbbbbbbbbccccccccccccccccddddddddddddddddeeeeeeeeeeeeeeeeffffffffffffffffeeeeeeeeeeeeeeeeaaaaaaaaaaaaaaaa';
  const cipher = '17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d';
  const tag = '83de3541e4c2b58177e065a9bf7b62ec';
  assert.equal(toHex(sm4GcmDecrypt(key, iv, fromHex(cipher + tag), aad)), plain);
  assert.throws(() => sm4GcmDecrypt(key, iv, fromHex(cipher + tag.replace(/^83/, '84')), aad), /authenticate/);
});

test('PBKDF2-HMAC-SM3 is deterministic and length-exact', () => {
  const a = pbkdf2Sm3(new TextEncoder().encode('pw'), new TextEncoder().encode('salt'), 3, 40);
  assert.equal(a.length, 40);
  assert.deepEqual(a, pbkdf2Sm3(new TextEncoder().encode('pw'), new TextEncoder().encode('salt'), 3, 40));
});
