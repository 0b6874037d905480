/**
 * The system chromium for browser tests (Debian's `chromium` package; TITAN_CHROMIUM overrides).
 * Absent, browser tests are skipped with the reason, unless CI demands them, in which case they fail.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

export function findChromium(): string | null {
  const candidates = process.env.TITAN_CHROMIUM ? [process.env.TITAN_CHROMIUM] : (process.env.PATH ?? '').split(delimiter).flatMap((dir) => NAMES.map((n) => join(dir, n)));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not this one
    }
  }
  return null;
}

export function chromiumTestGate(): { binary: string | null; skipReason: string | null; failReason: string | null } {
  const binary = findChromium();
  if (binary !== null) return { binary, skipReason: null, failReason: null };
  const why = 'chromium is not on PATH (install it: apt-get install -y chromium, or set TITAN_CHROMIUM)';
  return process.env.CI ? { binary, skipReason: null, failReason: `${why}; the browser test is required because CI is set` } : { binary, skipReason: why, failReason: null };
}
