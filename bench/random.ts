/**
 * Seeded random numbers and the YCSB key choosers: uniform, zipfian (Gray et al., "Quickly
 * generating billion-record synthetic databases", as in YCSB's ZipfianGenerator), scrambled
 * zipfian (hot keys spread over the key space) and skewed-latest (workload D).
 */

/** mulberry32: a small, fast, seedable 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type KeyChooser = (itemCount: number) => number;

export const YCSB_ZIPFIAN_CONSTANT = 0.99;

/** zeta(n, theta) = sum_{i=1..n} 1 / i^theta, continued from a previous partial sum. */
function zetaFrom(from: number, to: number, theta: number, sum: number): number {
  for (let i = from + 1; i <= to; i++) sum += 1 / Math.pow(i, theta);
  return sum;
}

export function uniform(rand: () => number): KeyChooser {
  return (n) => Math.floor(rand() * n);
}

/**
 * YCSB ZipfianGenerator over [0, itemCount): item 0 is the most popular. The item count may
 * grow between calls (zeta is extended incrementally, as YCSB does).
 */
export function zipfian(rand: () => number, initialItems: number, theta = YCSB_ZIPFIAN_CONSTANT): KeyChooser {
  const alpha = 1 / (1 - theta);
  const zeta2theta = zetaFrom(0, 2, theta, 0);
  const half = Math.pow(0.5, theta);
  let countForZeta = initialItems;
  let zetan = zetaFrom(0, initialItems, theta, 0);
  const etaFor = (n: number) => (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2theta / zetan);
  let eta = etaFor(initialItems);
  return (itemCount) => {
    if (itemCount !== countForZeta) {
      zetan = itemCount > countForZeta ? zetaFrom(countForZeta, itemCount, theta, zetan) : zetaFrom(0, itemCount, theta, 0);
      countForZeta = itemCount;
      eta = etaFor(itemCount);
    }
    const u = rand();
    const uz = u * zetan;
    if (uz < 1) return 0;
    if (uz < 1 + half) return 1;
    return Math.min(itemCount - 1, Math.floor(itemCount * Math.pow(eta * u - eta + 1, alpha)));
  };
}

/** A seeded random permutation of [0, n) (Fisher-Yates). */
export function permutation(n: number, rand: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Zipfian popularity with the popular items scattered over [0, n) by a fixed permutation (fixed n). */
export function scrambledZipfian(rand: () => number, n: number, theta = YCSB_ZIPFIAN_CONSTANT): KeyChooser {
  const z = zipfian(rand, n, theta);
  const perm = permutation(n, rand);
  return () => perm[z(n)]!;
}

/** YCSB SkewedLatestGenerator: the most recently inserted items are the most popular. */
export function skewedLatest(rand: () => number, initialItems: number, theta = YCSB_ZIPFIAN_CONSTANT): KeyChooser {
  const z = zipfian(rand, initialItems, theta);
  return (itemCount) => itemCount - 1 - z(itemCount);
}
