// SM2 / SM3 / SM4 as the chain uses them (docs/wire-format.md §3): SM2 signatures with SM3 over Z ‖ message, signer
// ID "1234567812345678", DER-encoded; ids are SM3 of a certificate's DER or of a 65-byte public key. Ledger key files
// ("ledger-sm2-key" v1: PBKDF2-HMAC-SM3, SM4-GCM) are read so a devnet's keys can be used as they are.
import nodeCrypto from 'node:crypto';
import smCrypto from 'sm-crypto';
import { concat, fromHex, toHex } from './wire.js';

const { sm2, sm3: sm3Hex, sm4 } = smCrypto;

export const SIGNER_ID = '1234567812345678';
const nativeSm3 = nodeCrypto.getHashes().includes('sm3');

/** SM3 of bytes (32 bytes). */
export function sm3(bytes) {
  if (nativeSm3) return new Uint8Array(nodeCrypto.createHash('sm3').update(bytes).digest());
  return fromHex(sm3Hex(Array.from(bytes)));
}

/** HMAC-SM3 (RFC 2104, 64-byte block). */
export function hmacSm3(key, message) {
  if (nativeSm3) return new Uint8Array(nodeCrypto.createHmac('sm3', key).update(message).digest());
  return fromHex(sm3Hex(Array.from(message), { key: Array.from(key), mode: 'hmac' }));
}

/** PBKDF2 (RFC 8018) with HMAC-SM3. */
export function pbkdf2Sm3(password, salt, iterations, length) {
  if (nativeSm3) return new Uint8Array(nodeCrypto.pbkdf2Sync(password, salt, iterations, length, 'sm3'));
  const out = new Uint8Array(length);
  for (let block = 1, offset = 0; offset < length; block++, offset += 32) {
    let u = hmacSm3(password, concat(salt, Uint8Array.of(block >>> 24, (block >>> 16) & 0xff, (block >>> 8) & 0xff, block & 0xff)));
    const t = Uint8Array.from(u);
    for (let i = 1; i < iterations; i++) {
      u = hmacSm3(password, u);
      for (let j = 0; j < 32; j++) t[j] ^= u[j];
    }
    out.set(t.subarray(0, Math.min(32, length - offset)), offset);
  }
  return out;
}

/** An SM2 key pair: 32-byte private scalar (hex) and its 65-byte public key. */
export class Sm2Key {
  constructor(privateKeyHex, publicKey) {
    if (!/^[0-9a-f]{64}$/i.test(privateKeyHex)) throw new Error('an SM2 private key is 32 bytes (64 hex digits)');
    this.privateKeyHex = privateKeyHex.toLowerCase();
    const derived = sm2.getPublicKeyFromPrivateKey(this.privateKeyHex);
    if (publicKey && toHex(publicKey) !== derived) throw new Error('the public key does not belong to the private key');
    this.publicKey = fromHex(derived);
  }

  static generate() {
    const { privateKey } = sm2.generateKeyPairHex();
    return new Sm2Key(privateKey.padStart(64, '0'));
  }

  /** SM2 signature (SM3 over Z ‖ message, Z for the signer ID), DER `SEQUENCE { INTEGER r, INTEGER s }`. */
  sign(message) {
    const der = sm2.doSignature(message, this.privateKeyHex, { der: true, hash: true, publicKey: toHex(this.publicKey), userId: SIGNER_ID });
    return fromHex(der);
  }

  /** SM3 of the 65-byte public key: how the chain names a bare key. */
  get id() {
    return sm3(this.publicKey);
  }
}

export function verify(publicKey, message, derSignature) {
  return sm2.doVerifySignature(message, toHex(derSignature), toHex(publicKey), { der: true, hash: true, userId: SIGNER_ID });
}

/** The DER of the first CERTIFICATE block of a PEM text. */
export function certificateFromPem(pem) {
  const match = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(pem);
  if (!match) throw new Error('no CERTIFICATE block in the PEM text');
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ''), 'base64'));
}

/** SM3 of a certificate's DER: the certificate id (TxBody.submitter, seals). */
export const certificateId = (der) => sm3(der);

// ---- ledger key files -------------------------------------------------------------------------------------------

const KEY_FILE_FIELDS = ['format', 'version', 'publicKey', 'kdf', 'iterations', 'salt', 'cipher', 'nonce', 'keyCheck', 'ciphertext', 'checksum'];

/** Decrypts a "ledger-sm2-key" v1 file (node/Ledger.Crypto/KeyFile.cs): PBKDF2-HMAC-SM3 → SM4-GCM. */
export function loadKeyFile(text, passphrase) {
  let file;
  try {
    file = JSON.parse(text);
  } catch {
    throw new KeyFileError('CorruptKeyFile', 'the key file is not valid JSON');
  }
  for (const name of KEY_FILE_FIELDS) if (!(name in file)) throw new KeyFileError('CorruptKeyFile', `the key file lacks '${name}'`);
  if (file.format !== 'ledger-sm2-key' || file.version !== 1 || file.kdf !== 'pbkdf2-hmac-sm3' || file.cipher !== 'sm4-gcm')
    throw new KeyFileError('CorruptKeyFile', 'not a ledger-sm2-key v1 file (pbkdf2-hmac-sm3, sm4-gcm)');
  const aad = new TextEncoder().encode(
    `${file.format}\n${file.version}\n${file.publicKey}\n${file.kdf}\n${file.iterations}\n${file.salt}\n${file.cipher}\n${file.nonce}`);
  const checksumInput = concat(aad, new TextEncoder().encode(`\n${file.keyCheck}\n${file.ciphertext}`));
  if (toHex(sm3(checksumInput).subarray(0, 8)) !== file.checksum) throw new KeyFileError('CorruptKeyFile', 'the key file checksum does not match (damaged)');
  const b64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
  const master = pbkdf2Sm3(new TextEncoder().encode(passphrase), b64(file.salt), file.iterations, 32);
  const keyCheck = hmacSm3(master.subarray(16), new TextEncoder().encode('ledger key file check v1')).subarray(0, 8);
  if (toHex(keyCheck) !== toHex(b64(file.keyCheck))) throw new KeyFileError('WrongPassphrase', 'wrong passphrase for this key file');
  const scalar = sm4GcmDecrypt(master.subarray(0, 16), b64(file.nonce), b64(file.ciphertext), aad);
  return new Sm2Key(toHex(scalar), fromHex(file.publicKey));
}

export class KeyFileError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// SM4-GCM (NIST SP 800-38D with SM4 as the block cipher, 12-byte nonce, 16-byte tag).
const nativeSm4 = nodeCrypto.getCiphers().includes('sm4-ecb');

function sm4Block(key, block) {
  if (nativeSm4) {
    const c = nodeCrypto.createCipheriv('sm4-ecb', key, null);
    c.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([c.update(block), c.final()]));
  }
  return Uint8Array.from(sm4.encrypt(Array.from(block), Array.from(key), { padding: 'none', output: 'array' }));
}

const toBig = (bytes) => BigInt(`0x${toHex(bytes) || '0'}`);
const R = 0xe1n << 120n;

function gfMultiply(x, y) {
  let z = 0n;
  let v = y;
  for (let i = 127n; i >= 0n; i--) {
    if ((x >> i) & 1n) z ^= v;
    v = v & 1n ? (v >> 1n) ^ R : v >> 1n;
  }
  return z;
}

function ghash(h, aad, ciphertext) {
  let y = 0n;
  const absorb = (data) => {
    for (let i = 0; i < data.length; i += 16) {
      const block = new Uint8Array(16);
      block.set(data.subarray(i, i + 16));
      y = gfMultiply(y ^ toBig(block), h);
    }
  };
  absorb(aad);
  absorb(ciphertext);
  y = gfMultiply(y ^ ((BigInt(aad.length * 8) << 64n) | BigInt(ciphertext.length * 8)), h);
  return y;
}

function counterBlock(nonce, counter) {
  const block = new Uint8Array(16);
  block.set(nonce);
  block[12] = counter >>> 24;
  block[13] = (counter >>> 16) & 0xff;
  block[14] = (counter >>> 8) & 0xff;
  block[15] = counter & 0xff;
  return block;
}

export function sm4GcmDecrypt(key, nonce, sealed, aad) {
  if (nonce.length !== 12 || sealed.length < 16) throw new KeyFileError('CorruptKeyFile', 'bad SM4-GCM nonce or ciphertext length');
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  const h = toBig(sm4Block(key, new Uint8Array(16)));
  const s = toBig(sm4Block(key, counterBlock(nonce, 1)));
  const expected = (ghash(h, aad, ciphertext) ^ s).toString(16).padStart(32, '0');
  if (!nodeCrypto.timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(tag)))
    throw new KeyFileError('CorruptKeyFile', 'the key file was altered: the encrypted key does not authenticate');
  const plain = new Uint8Array(ciphertext.length);
  for (let i = 0; i < ciphertext.length; i += 16) {
    const stream = sm4Block(key, counterBlock(nonce, 2 + i / 16));
    for (let j = 0; j < 16 && i + j < ciphertext.length; j++) plain[i + j] = ciphertext[i + j] ^ stream[j];
  }
  return plain;
}
