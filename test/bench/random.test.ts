import { describe, expect, it } from 'vitest';
import { mulberry32, permutation, scrambledZipfian, skewedLatest, uniform, zipfian } from '../../bench/random.js';
import { fitLine } from '../../bench/stats.js';

const THETA = 0.99;
const zeta = (n: number) => {
  let s = 0;
  for (let i = 1; i <= n; i++) s += 1 / Math.pow(i, THETA);
  return s;
};

function histogram(choose: (n: number) => number, n: number, draws: number): number[] {
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < draws; i++) {
    const k = choose(n);
    if (!(Number.isInteger(k) && k >= 0 && k < n)) throw new Error(`out of range: ${k}`);
    counts[k]!++;
  }
  return counts;
}

describe('zipfian (YCSB generator, constant 0.99)', () => {
  const n = 1000;
  const draws = 200_000;
  const counts = histogram(zipfian(mulberry32(1), n), n, draws);

  it('gives the two most popular items their exact zipfian probability', () => {
    // Gray et al.'s method is exact for ranks 1 and 2 and approximate beyond.
    expect(counts[0]! / draws).toBeCloseTo(1 / zeta(n), 2);
    expect(counts[1]! / draws).toBeCloseTo(1 / Math.pow(2, THETA) / zeta(n), 2);
  });

  it('has a rank-frequency slope near -0.99 on log-log axes', () => {
    const top = counts.slice(0, 100);
    const fit = fitLine(top.map((_, i) => Math.log(i + 1)), top.map((c) => Math.log(c)));
    expect(fit.slope).toBeGreaterThan(-1.15);
    expect(fit.slope).toBeLessThan(-0.85);
    expect(fit.r2).toBeGreaterThan(0.98);
  });

  it('is skewed: the most popular 10% of keys get most of the requests, and every rank is reachable', () => {
    const hot = counts.slice(0, n / 10).reduce((a, b) => a + b, 0);
    expect(hot / draws).toBeGreaterThan(0.6);
    expect(counts[n - 1]).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = zipfian(mulberry32(7), n);
    const b = zipfian(mulberry32(7), n);
    const c = zipfian(mulberry32(8), n);
    const sa = Array.from({ length: 50 }, () => a(n));
    expect(Array.from({ length: 50 }, () => b(n))).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c(n))).not.toEqual(sa);
  });

  it('follows a growing item count', () => {
    const z = zipfian(mulberry32(3), 10);
    const seen = new Set(Array.from({ length: 20_000 }, () => z(2000)));
    expect(Math.max(...seen)).toBeGreaterThan(1000);
    expect(Math.max(...seen)).toBeLessThan(2000);
  });
});

describe('other key choosers', () => {
  it('uniform is roughly flat', () => {
    const counts = histogram(uniform(mulberry32(2)), 10, 100_000);
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(600);
  });

  it('scrambled zipfian keeps the skew but moves the hot key away from 0', () => {
    const n = 1000;
    const counts = histogram(scrambledZipfian(mulberry32(5), n), n, 100_000);
    const sorted = [...counts].sort((a, b) => b - a);
    expect(sorted[0]! / 100_000).toBeCloseTo(1 / zeta(n), 1);
    expect(counts.indexOf(sorted[0]!)).not.toBe(0);
  });

  it('skewed-latest favours the most recently inserted items', () => {
    const latest = skewedLatest(mulberry32(4), 1000);
    const draws = Array.from({ length: 50_000 }, () => latest(1000));
    expect(draws.every((k) => k >= 0 && k < 1000)).toBe(true);
    expect(draws.filter((k) => k === 999).length / draws.length).toBeCloseTo(1 / zeta(1000), 2);
    expect(draws.filter((k) => k >= 900).length / draws.length).toBeGreaterThan(0.6);
  });

  it('permutation is a permutation', () => {
    const p = permutation(500, mulberry32(9));
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});
