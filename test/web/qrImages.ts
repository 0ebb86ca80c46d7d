// Test-only pictures of a QR code made from the text itself (qrcode's module matrix): a grey
// raster, optionally rotated and blurred like a hand-held photo, written as a BMP (a photo for
// the file input) or a Y4M video (chromium's fake camera).
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export interface Raster {
  width: number;
  height: number;
  /** 0 black .. 255 white, row-major. */
  pixels: Uint8Array;
}

export function qrRaster(text: string, opts: { width: number; height: number; moduleSize: number; rotateDeg?: number; blur?: number }): Raster {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const { width, height, moduleSize } = opts;
  const angle = ((opts.rotateDeg ?? 0) * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const half = (modules.size * moduleSize) / 2;
  let pixels = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Inverse-rotate the pixel about the centre into the code's own square.
      const dx = x - width / 2;
      const dy = y - height / 2;
      const u = cos * dx + sin * dy + half;
      const v = -sin * dx + cos * dy + half;
      const col = Math.floor(u / moduleSize);
      const row = Math.floor(v / moduleSize);
      if (row >= 0 && col >= 0 && row < modules.size && col < modules.size && modules.get(row, col)) pixels[y * width + x] = 20;
    }
  }
  for (let pass = 0; pass < (opts.blur ?? 0); pass++) {
    const out = new Uint8Array(pixels.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        let n = 0;
        for (let j = -1; j <= 1; j++) {
          for (let i = -1; i <= 1; i++) {
            const xx = x + i;
            const yy = y + j;
            if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
            sum += pixels[yy * width + xx];
            n++;
          }
        }
        out[y * width + x] = Math.round(sum / n);
      }
    }
    pixels = out;
  }
  return { width, height, pixels };
}

/** A 24-bit uncompressed BMP of the raster. */
export function writeBmp(path: string, r: Raster): void {
  const rowBytes = Math.ceil((r.width * 3) / 4) * 4;
  const size = 54 + rowBytes * r.height;
  const buf = Buffer.alloc(size);
  buf.write('BM', 0, 'ascii');
  buf.writeUInt32LE(size, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(r.width, 18);
  buf.writeInt32LE(r.height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  buf.writeUInt32LE(rowBytes * r.height, 34);
  for (let y = 0; y < r.height; y++) {
    // BMP rows run bottom-up.
    const rowStart = 54 + (r.height - 1 - y) * rowBytes;
    for (let x = 0; x < r.width; x++) {
      const g = r.pixels[y * r.width + x];
      buf[rowStart + x * 3] = g;
      buf[rowStart + x * 3 + 1] = g;
      buf[rowStart + x * 3 + 2] = g;
    }
  }
  writeFileSync(path, buf);
}

/** A few identical grey frames in Y4M (4:2:0), which chromium's fake camera plays in a loop. */
export function writeY4m(path: string, r: Raster, frames = 5): void {
  const header = Buffer.from(`YUV4MPEG2 W${r.width} H${r.height} F10:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const chroma = Buffer.alloc((r.width / 2) * (r.height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n', 'ascii'), Buffer.from(r.pixels), chroma]);
  writeFileSync(path, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
}
