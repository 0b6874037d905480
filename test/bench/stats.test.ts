import { describe, expect, it } from 'vitest';
import { fitLine, quantile, ratioOfMeansBootstrap } from '../../bench/stats.js';

describe('fitLine', () => {
  it('recovers an exact line', () => {
    const xs = [10, 100, 1000, 5000];
    const f = fitLine(xs, xs.map((x) => 3 + 0.5 * x));
    expect(f.slope).toBeCloseTo(0.5, 10);
    expect(f.intercept).toBeCloseTo(3, 8);
    expect(f.r2).toBeCloseTo(1, 10);
  });

  it('reports a poor fit for unrelated data', () => {
    expect(fitLine([1, 2, 3, 4], [5, 1, 5, 1]).r2).toBeLessThan(0.3);
  });
});

describe('ratioOfMeansBootstrap', () => {
  it('gives the ratio of means with an interval around it', () => {
    const before = [1000, 1100, 900, 1050, 950, 1000];
    const after = [1, 1.1, 0.9, 1, 1, 1];
    const r = ratioOfMeansBootstrap(before, after, { seed: 3 });
    expect(r.ratio).toBeCloseTo(6000 / 6, 6);
    expect(r.low).toBeLessThanOrEqual(r.ratio);
    expect(r.high).toBeGreaterThanOrEqual(r.ratio);
    expect(r.low).toBeGreaterThan(900);
    expect(r.high).toBeLessThan(1100);
  });

  it('is deterministic for a seed', () => {
    const a = ratioOfMeansBootstrap([3, 4, 5], [1, 2, 1], { seed: 9 });
    expect(ratioOfMeansBootstrap([3, 4, 5], [1, 2, 1], { seed: 9 })).toEqual(a);
  });

  it('pairs rounds: a common slowdown of both sides does not widen the interval', () => {
    const load = [1, 3, 1, 3, 1, 3];
    const r = ratioOfMeansBootstrap(load.map((l) => 100 * l), load.map((l) => l), { seed: 1 });
    expect(r.high - r.low).toBeLessThan(1e-9);
  });

  it('refuses unpaired input', () => {
    expect(() => ratioOfMeansBootstrap([1, 2], [1])).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('interpolates', () => {
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3], 1)).toBe(3);
  });
});
