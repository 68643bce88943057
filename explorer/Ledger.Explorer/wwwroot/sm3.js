// SM3 (GB/T 32905-2016), streaming, written for this explorer: a contract file is hashed in the browser, in
// chunks, and never leaves the computer. Used by sm3-worker.js (Web Worker) and by the page itself.
//   const h = new Sm3(); h.update(bytes); ... ; h.hex()  → 64 lowercase hex digits
(function (global) {
  'use strict';

  const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

  function rotl(x, n) {
    n &= 31;
    return n === 0 ? x : (x << n) | (x >>> (32 - n));
  }

  // T_j rotated left by j mod 32, for every round j.
  const T = new Int32Array(64);
  for (let j = 0; j < 64; j++) T[j] = rotl(j < 16 ? 0x79cc4519 : 0x7a879d8a, j % 32);

  class Sm3 {
    constructor() {
      this.v = Int32Array.from(IV);
      this.w = new Int32Array(68);
      this.block = new Uint8Array(64);
      this.blockLength = 0;   // bytes buffered in this.block
      this.length = 0;        // total bytes hashed so far (exact up to 2^53)
      this.finished = false;
    }

    update(bytes) {
      if (this.finished) throw new Error('SM3: update after digest');
      if (!(bytes instanceof Uint8Array)) bytes = new Uint8Array(bytes);
      let offset = 0;
      const n = bytes.length;
      this.length += n;
      if (this.blockLength > 0) {
        const take = Math.min(64 - this.blockLength, n);
        this.block.set(bytes.subarray(0, take), this.blockLength);
        this.blockLength += take;
        offset = take;
        if (this.blockLength < 64) return this;
        this.compress(this.block, 0);
        this.blockLength = 0;
      }
      while (offset + 64 <= n) {
        this.compress(bytes, offset);
        offset += 64;
      }
      if (offset < n) {
        this.block.set(bytes.subarray(offset), 0);
        this.blockLength = n - offset;
      }
      return this;
    }

    // The 32-byte digest; the hasher cannot be updated afterwards.
    digest() {
      if (!this.finished) {
        const bitsHigh = Math.floor(this.length / 0x20000000);   // length * 8 / 2^32
        const bitsLow = (this.length % 0x20000000) * 8;
        const padLength = this.blockLength < 56 ? 56 - this.blockLength : 120 - this.blockLength;
        const pad = new Uint8Array(padLength + 8);
        pad[0] = 0x80;
        const view = new DataView(pad.buffer);
        view.setUint32(padLength, bitsHigh);
        view.setUint32(padLength + 4, bitsLow);
        const length = this.length;
        this.update(pad);
        this.length = length;
        this.finished = true;
      }
      const out = new Uint8Array(32);
      const view = new DataView(out.buffer);
      for (let i = 0; i < 8; i++) view.setInt32(4 * i, this.v[i]);
      return out;
    }

    hex() {
      return Array.from(this.digest(), (b) => b.toString(16).padStart(2, '0')).join('');
    }

    compress(bytes, offset) {
      const w = this.w;
      for (let j = 0; j < 16; j++) {
        const i = offset + 4 * j;
        w[j] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
      }
      for (let j = 16; j < 68; j++) {
        const x = w[j - 16] ^ w[j - 9] ^ rotl(w[j - 3], 15);
        w[j] = (x ^ rotl(x, 15) ^ rotl(x, 23)) ^ rotl(w[j - 13], 7) ^ w[j - 6];
      }
      const v = this.v;
      let a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
      for (let j = 0; j < 64; j++) {
        const a12 = rotl(a, 12);
        const ss1 = rotl((a12 + e + T[j]) | 0, 7);
        const ss2 = ss1 ^ a12;
        const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
        const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
        const tt1 = (ff + d + ss2 + (w[j] ^ w[j + 4])) | 0;
        const tt2 = (gg + h + ss1 + w[j]) | 0;
        d = c;
        c = rotl(b, 9);
        b = a;
        a = tt1;
        h = g;
        g = rotl(f, 19);
        f = e;
        e = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
      }
      v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d; v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
    }

    static hex(bytes) {
      return new Sm3().update(bytes).hex();
    }
  }

  // GB/T 32905-2016 Appendix A: "abc" and "abcd" × 16.
  Sm3.testVectors = [
    { input: 'abc', hash: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0' },
    { input: 'abcd'.repeat(16), hash: 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732' },
  ];

  global.Sm3 = Sm3;
})(typeof self !== 'undefined' ? self : globalThis);
