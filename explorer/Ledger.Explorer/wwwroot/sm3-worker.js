// Hashes a File with SM3 in this worker, reading it in 4 MiB slices: the page stays responsive and the file
// never leaves the computer. Message in: a File (or Blob). Messages out: { progress } ... then { hash, size, ms } or { error }.
importScripts('sm3.js');

const SLICE = 4 * 1024 * 1024;

self.onmessage = async (event) => {
  const file = event.data;
  const started = performance.now();
  try {
    const hasher = new Sm3();
    for (let offset = 0; offset < file.size; offset += SLICE) {
      const bytes = new Uint8Array(await file.slice(offset, offset + SLICE).arrayBuffer());
      hasher.update(bytes);
      self.postMessage({ progress: Math.min(1, (offset + bytes.length) / file.size) });
    }
    self.postMessage({ hash: hasher.hex(), size: file.size, ms: Math.round(performance.now() - started) });
  } catch (e) {
    self.postMessage({ error: String(e && e.message || e) });
  }
};
