// Draws the toolbar icon (a blue rounded square with a white message bubble
// holding three code dots) at every size the manifest lists. Run once; the
// PNGs are committed, so builds need no image tooling.
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (const byte of buf) {
    c = (crc ^ byte) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Coverage of a pixel by a shape, by 4x4 supersampling, for smooth edges. */
function coverage(x, y, inside) {
  let hits = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (inside(x + (i + 0.5) / 4, y + (j + 0.5) / 4)) hits++;
  return hits / 16;
}

function roundedRect(px, py, x0, y0, x1, y1, r) {
  const cx = Math.min(Math.max(px, x0 + r), x1 - r);
  const cy = Math.min(Math.max(py, y0 + r), y1 - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r && px >= x0 && px <= x1 && py >= y0 && py <= y1;
}

function draw(size) {
  const s = size / 128;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const bg = coverage(x, y, (px, py) => roundedRect(px, py, 0, 0, size, size, 26 * s));
      const bubble = coverage(x, y, (px, py) =>
        roundedRect(px, py, 18 * s, 28 * s, 110 * s, 88 * s, 16 * s) ||
        (py >= 86 * s && py <= 108 * s && px >= 34 * s && px <= 34 * s + (108 * s - py) * 0.9));
      const dots = coverage(x, y, (px, py) =>
        [40, 64, 88].some((cx) => (px - cx * s) ** 2 + (py - 58 * s) ** 2 <= (9 * s) ** 2));
      const white = bubble * (1 - dots);
      const blue = [29, 95, 209];
      const r = Math.round(blue[0] * (1 - white) + 255 * white);
      const g = Math.round(blue[1] * (1 - white) + 255 * white);
      const b = Math.round(blue[2] * (1 - white) + 255 * white);
      row.push(r, g, b, Math.round(255 * bg));
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync('public/icon', { recursive: true });
for (const size of [16, 32, 48, 96, 128]) writeFileSync(`public/icon/${size}.png`, draw(size));
console.log('icons written to public/icon/');
