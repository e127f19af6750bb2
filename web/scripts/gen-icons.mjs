// Generates the PNG app icons (same design as public/icons/icon.svg) without any external tool:
// a rounded blue square with a white speech bubble and an envelope flap. Run: node scripts/gen-icons.mjs
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";

function crc32(buf) {
  let c, crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4);
    for (let x = 0; x < size; x++) {
      // 4x supersampling for smooth edges
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++) {
          const p = pixel(((x + (sx + 0.5) / 4) / size) * 512, ((y + (sy + 0.5) / 4) / size) * 512);
          r += p[0] * p[3]; g += p[1] * p[3]; b += p[2] * p[3]; a += p[3];
        }
      const o = 1 + x * 4;
      row[o] = a ? Math.round(r / a) : 0;
      row[o + 1] = a ? Math.round(g / a) : 0;
      row[o + 2] = a ? Math.round(b / a) : 0;
      row[o + 3] = Math.round((a / 16) * 255);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}
const BLUE = [11, 79, 138, 1], WHITE = [255, 255, 255, 1], NONE = [0, 0, 0, 0];
function inRoundRect(x, y, x0, y0, x1, y1, r) {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false;
  const cx = Math.min(Math.max(x, x0 + r), x1 - r), cy = Math.min(Math.max(y, y0 + r), y1 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function distToSeg(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
function design(scale, fullBleed) {
  return (X, Y) => {
    // scale the motif around the centre (maskable icons need a safe zone)
    const x = 256 + (X - 256) / scale, y = 256 + (Y - 256) / scale;
    const bg = fullBleed ? true : inRoundRect(X, Y, 0, 0, 512, 512, 96);
    if (!bg) return NONE;
    const bubble = inRoundRect(x, y, 80, 136, 432, 360, 32);
    const tailTri = y >= 356 && y <= 424 && x >= 144 && x <= 232 - ((y - 356) / 68) * 88;
    if (bubble || tailTri) {
      const flap = Math.min(distToSeg(x, y, 136, 180, 256, 264), distToSeg(x, y, 256, 264, 376, 180));
      return flap <= 12 ? BLUE : WHITE;
    }
    return BLUE;
  };
}
const out = new URL("../public/icons/", import.meta.url);
writeFileSync(new URL("icon-192.png", out), png(192, design(1, false)));
writeFileSync(new URL("icon-512.png", out), png(512, design(1, false)));
writeFileSync(new URL("icon-maskable-512.png", out), png(512, design(0.75, true)));
console.log("icons written");
