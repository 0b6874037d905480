/** Small statistics helpers for the report: means, quantiles, a paired bootstrap and least squares. */
import { mulberry32 } from './random.js';

export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Linear-interpolated quantile of unsorted data, q in [0, 1]. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export interface RatioEstimate {
  ratio: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
}

/**
 * Ratio of means mean(num) / mean(den) of paired rounds, with a percentile bootstrap confidence
 * interval that resamples whole rounds (a round = one numerator and one denominator measurement
 * taken back to back), so slow phases of the machine hit both sides of a resampled pair.
 */
export function ratioOfMeansBootstrap(num: readonly number[], den: readonly number[], { resamples = 10_000, level = 0.95, seed = 1 } = {}): RatioEstimate {
  if (num.length !== den.length || num.length === 0) throw new RangeError('need the same non-zero number of paired rounds');
  const n = num.length;
  const rand = mulberry32(seed);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < n; i++) {
      const k = Math.floor(rand() * n);
      a += num[k]!;
      b += den[k]!;
    }
    ratios[r] = a / b;
  }
  const sorted = Array.from(ratios);
  const tail = (1 - level) / 2;
  return { ratio: mean(num) / mean(den), low: quantile(sorted, tail), high: quantile(sorted, 1 - tail), level, resamples };
}

export interface LineFit {
  intercept: number;
  slope: number;
  /** Coefficient of determination; 1 for a perfect line. */
  r2: number;
}

/** Ordinary least squares y = intercept + slope * x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  if (xs.length !== ys.length || xs.length < 2) throw new RangeError('need at least two (x, y) points');
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}
