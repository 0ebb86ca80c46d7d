/** Independent, reproducible sub-seeds for each part of a report (FNV-1a of a tag mixed with the seed). */
export function subSeed(seed: number, tag: string): number {
  let h = 0x811c9dc5 ^ (Math.trunc(seed) | 0);
  for (let i = 0; i < tag.length; i++) {
    h ^= tag.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
