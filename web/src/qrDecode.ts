/**
 * Reading a ticket's QR code from a photo or the camera. The browser's BarcodeDetector where it
 * exists and supports QR codes; otherwise jsQR (loaded on first use, its own chunk). Nothing
 * here talks to the server: the decoded text goes to the page, which shows it before saving.
 */

/** The part of the Shape Detection API used here (not in TypeScript's DOM lib yet). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<Array<{ rawValue: string; format: string }>>;
}
interface BarcodeDetectorCtor {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

type Decode = (canvas: HTMLCanvasElement) => Promise<string | null>;

let decoder: Promise<{ decode: Decode; engine: 'BarcodeDetector' | 'jsQR' }> | null = null;

async function nativeDetector(): Promise<BarcodeDetectorLike | null> {
  const ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!ctor) return null;
  try {
    const formats = await ctor.getSupportedFormats();
    return formats.includes('qr_code') ? new ctor({ formats: ['qr_code'] }) : null;
  } catch {
    return null;
  }
}

/** The decoder this browser will use (chosen once). */
export function qrDecoder(): Promise<{ decode: Decode; engine: 'BarcodeDetector' | 'jsQR' }> {
  decoder ??= (async () => {
    const native = await nativeDetector();
    if (native) {
      return {
        engine: 'BarcodeDetector' as const,
        decode: async (canvas: HTMLCanvasElement) => (await native.detect(canvas)).find((b) => b.format === 'qr_code')?.rawValue ?? null,
      };
    }
    const { default: jsQR } = await import('jsqr');
    return {
      engine: 'jsQR' as const,
      decode: async (canvas: HTMLCanvasElement) => {
        const ctx = canvas.getContext('2d', { willReadFrequently: true });
        if (!ctx) return null;
        const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
        return jsQR(img.data, img.width, img.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
      },
    };
  })();
  return decoder;
}

function drawScaled(source: CanvasImageSource, width: number, height: number, maxSide: number): HTMLCanvasElement {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx?.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/**
 * The QR text in a photo, or null. Tries a few sizes: a slightly blurred photo often reads once
 * scaled down, a small code in a large photo at full size. Rotation is handled by the decoders.
 */
export async function decodeImageFile(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  try {
    const { decode } = await qrDecoder();
    const largest = Math.max(bitmap.width, bitmap.height);
    for (const side of [1200, 800, 500, largest]) {
      if (side > largest && side !== largest) continue;
      const text = await decode(drawScaled(bitmap, bitmap.width, bitmap.height, side));
      if (text) return text;
    }
    return null;
  } finally {
    bitmap.close();
  }
}

export interface CameraScan {
  stop(): void;
}

/**
 * Scan frames from the camera into `video` until a QR code reads (then `onText`, and the camera
 * stops) or `stop()` is called. Throws when the camera cannot be opened (no camera, permission denied).
 */
export async function startCameraScan(video: HTMLVideoElement, onText: (text: string) => void): Promise<CameraScan> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('getUserMedia is not available');
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  let stopped = false;
  const stop = () => {
    stopped = true;
    for (const t of stream.getTracks()) t.stop();
    video.srcObject = null;
  };
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute('playsinline', '');
  await video.play();
  const { decode } = await qrDecoder();
  const tick = async () => {
    // Leaving the page (the video leaves the document) stops the camera too.
    if (stopped || !video.isConnected) return stop();
    if (video.videoWidth > 0) {
      const text = await decode(drawScaled(video, video.videoWidth, video.videoHeight, 800)).catch(() => null);
      if (text && !stopped) {
        stop();
        onText(text);
        return;
      }
    }
    setTimeout(() => void tick(), 150);
  };
  void tick();
  return { stop };
}
