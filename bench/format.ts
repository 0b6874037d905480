/** Number formatting shared by the report text and the charts. */

const sig = (v: number, digits = 3) => {
  if (v === 0) return '0';
  const s = v.toPrecision(digits);
  return s.includes('e') ? String(Number(s)) : String(Number(s));
};

/** A duration given in nanoseconds, in the unit that keeps it readable: "85 ns", "3.2 µs", "4.1 ms". */
export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return 'n/a';
  if (ns < 1e3) return `${sig(ns)} ns`;
  if (ns < 1e6) return `${sig(ns / 1e3)} µs`;
  if (ns < 1e9) return `${sig(ns / 1e6)} ms`;
  return `${sig(ns / 1e9)} s`;
}

/** Operations per second: "950/s", "12.3k/s", "4.5M/s". */
export function formatRate(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  if (r < 1e3) return `${sig(r)}/s`;
  if (r < 1e6) return `${sig(r / 1e3)}k/s`;
  if (r < 1e9) return `${sig(r / 1e6)}M/s`;
  return `${sig(r / 1e9)}G/s`;
}

/** A count with thin thousands separators: 100 000. */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');
}

/** A ratio: "4 870×" for big ones, "1.04×" for small ones. */
export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return 'n/a';
  if (r >= 100) return `${formatCount(Number(r.toPrecision(3)))}×`;
  return `${sig(r)}×`;
}

export function formatBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 ** 2) return `${sig(b / 1024)} KiB`;
  if (b < 1024 ** 3) return `${sig(b / 1024 ** 2)} MiB`;
  return `${sig(b / 1024 ** 3)} GiB`;
}
