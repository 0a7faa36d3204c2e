// Draws the toolbar and store icons (16, 32, 48, 128 px PNG) without any dependency:
// a white heart on a rounded green square, 4x4 supersampled, written with node:zlib.
// Usage: node scripts/build-icons.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const GREEN = [26, 127, 55];
const WHITE = [255, 255, 255];

function crc32(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // no filter
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Shapes in unit coordinates (0..1, y down).
function inRoundedSquare(u, v) {
  const r = 0.22;
  const dx = Math.max(Math.abs(u - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(v - 0.5) - (0.5 - r), 0);
  return dx * dx + dy * dy <= r * r;
}

function inHeart(u, v) {
  const x = (u - 0.5) * 2.7;
  const y = (0.53 - v) * 2.7 + 0.15;
  const a = x * x + y * y - 1;
  return a * a * a - x * x * y * y * y <= 0;
}

function icon(size) {
  const n = 4; // samples per axis
  return png(size, (px, py) => {
    let bg = 0;
    let fg = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const u = (px + (i + 0.5) / n) / size;
        const v = (py + (j + 0.5) / n) / size;
        if (inRoundedSquare(u, v)) {
          bg += 1;
          if (inHeart(u, v)) fg += 1;
        }
      }
    }
    const total = n * n;
    if (bg === 0) return [0, 0, 0, 0];
    const mix = fg / bg;
    const color = GREEN.map((g, k) => Math.round(g * (1 - mix) + WHITE[k] * mix));
    return [...color, Math.round((255 * bg) / total)];
  });
}

for (const size of [16, 32, 48, 128]) {
  const file = join(here, `../icons/icon-${size}.png`);
  writeFileSync(file, icon(size));
  console.log(file);
}
