/** The whole suite: every check family, in report order. */
import { namedBy, type Check } from './check.js';
import { checks as api } from './properties/api.js';
import { checks as localStorage } from './properties/local-storage.js';
import { checks as values } from './properties/values.js';
import { checks as strings } from './properties/strings.js';
import { checks as sessions } from './properties/sessions.js';
import { checks as modelBased } from './properties/model-based.js';
import { checks as persistence } from './properties/persistence.js';
import { checks as boundedLoss } from './properties/bounded-loss.js';
import { checks as boundedPowerLoss } from './powerloss/bounded.js';
import { checks as restartProcess } from './properties/restart-process.js';
import { checks as crash } from './properties/crash.js';
import { checks as powerloss } from './powerloss/check.js';
import { checks as concurrency } from './properties/concurrency.js';
import { checks as concurrencyDriver } from './properties/concurrency-driver.js';
import { checks as failover } from './properties/failover.js';

export const SUITE: readonly Check[] = [...api, ...localStorage, ...values, ...strings, ...sessions, ...modelBased, ...persistence, ...restartProcess, ...crash, ...powerloss, ...boundedLoss, ...boundedPowerLoss, ...concurrency, ...concurrencyDriver, ...failover];

/** Keep the checks named by `only`; all when empty. */
export function selectChecks(checks: readonly Check[], only: readonly string[] = []): Check[] {
  if (only.length === 0) return [...checks];
  return checks.filter((c) => namedBy(c, only));
}
