/** The report's section: the three storage libraries in the real TitanPL server, what a request costs. */
import { formatCount, formatNs } from '../format.js';
import { ENDPOINTS } from '../server/types.js';
import { table, type RenderContext } from './context.js';
import { ENDPOINT_LABEL, ROLE_NAME, formatCi, serverView } from './server-data.js';

const signedNs = (ns: number) => (ns < 0 ? `−${formatNs(-ns)}` : formatNs(ns));

export function renderServerRequests(ctx: RenderContext): void {
  const { md } = ctx;
  const bench = ctx.perf.server;
  md.push('## The real TitanPL server: before, 3.0.7 and the fixed after', '');
  if (!bench) {
    md.push(
      `Not measured in this run${ctx.perf.serverSkipped ? ` (${ctx.perf.serverSkipped})` : ''}: \`npm run bench\` measures it as its last part when titan-server is fetched ` +
        '(`npm run fetch:titanpl-server`), the libraries are built (`scripts/build-titanpl-native.sh`) and `unshare --net` is allowed (root).',
      '',
    );
    return;
  }
  const v = serverView(bench);
  const { config } = bench;
  md.push(
    `${bench.server}; the same app, the same requests, only the storage extension swapped. One server per library and store size, each in its own working directory ` +
      `under ${bench.workDir} (${bench.workDirFs}), and for "before on tmpfs" under /dev/shm: the before library rewrites its JSON files there. ${config.connections} keep-alive HTTP connections on loopback inside a private network namespace; ` +
      `${config.rounds} rounds of ${config.roundMs} ms per task, the tasks and the libraries in a fresh random order every round. ` +
      `Requests/s and server CPU per request (user + system time of the server process from /proc/<pid>/stat, ${bench.clockTicks} ticks/s, divided by the requests served) are medians over rounds; ` +
      'ratios are ratios of means over the same rounds with 95% bootstrap intervals that resample whole rounds. Stored: that many local keys and as many session entries, 100-byte values.',
    '',
  );
  for (const l of bench.libraries) {
    md.push(`- **${ROLE_NAME[l.role]}** (\`${l.id}\`, working directory on ${l.workDirFs ?? 'unknown'}): ${l.label}${l.skipped ? ` — **skipped**: ${l.skipped}` : ''}${l.failures?.length ? ` — failures: ${l.failures.join('; ')}` : ''}`);
  }
  md.push('');
  const befores = (['before', 'before-tmpfs'] as const).map((r) => v.byRole(r)).filter((l) => l !== undefined);
  const after = v.byRole('after');
  const libs = v.libraries;
  const rows: string[][] = [];
  for (const keys of config.sizes) {
    for (const e of ENDPOINTS) {
      const cells = libs.map((l) => v.cell(l.id, e, keys));
      const a = after && v.cell(after.id, e, keys);
      rows.push([
        ENDPOINT_LABEL[e],
        formatCount(keys),
        ...cells.map((c) => formatCount(v.median(c, 'rps'))),
        ...cells.map((c) => formatNs(v.median(c, 'cpuNs'))),
        ...befores.map((b) => formatCi(v.ratio(a, v.cell(b.id, e, keys), 'rps'))),
        ...befores.map((b) => formatCi(v.ratio(v.cell(b.id, e, keys), a, 'cpuNs'))),
      ]);
    }
  }
  md.push(
    table(
      ['Action', 'Stored keys', ...libs.map((l) => `Requests/s: ${ROLE_NAME[l.role]}`), ...libs.map((l) => `Server CPU per request: ${ROLE_NAME[l.role]}`), ...befores.map((b) => `Requests/s, fixed after ÷ ${ROLE_NAME[b.role]} (95% CI)`), ...befores.map((b) => `CPU per request, ${ROLE_NAME[b.role]} ÷ fixed after (95% CI)`)],
      rows,
    ),
    '',
  );
  // What the storage call itself adds to a request in the server: CPU per request over the no-op's, same library, same size.
  const extra = (lib: string, e: 'ls.get' | 'ls.set' | 'session.set', keys: number) => v.median(v.cell(lib, e, keys), 'cpuNs') - v.median(v.cell(lib, 'noop', keys), 'cpuNs');
  const ref = after ?? libs[0];
  const tickNs = 1e9 / bench.clockTicks;
  const resolutionNs = ref ? tickNs / ((v.median(v.cell(ref.id, 'noop', config.sizes[0]!), 'rps') * config.roundMs) / 1000) : NaN;
  const callRows = config.sizes.flatMap((keys) => (['ls.get', 'ls.set', 'session.set'] as const).map((e) => [ENDPOINT_LABEL[e], formatCount(keys), ...libs.map((l) => signedNs(extra(l.id, e, keys)))]));
  md.push(
    '**What the storage call adds to a request** in the server: the median CPU per request of the action minus that of the no-op action, same library and store size ' +
      `(one clock tick, ${formatNs(tickNs)}, over one round's requests is about ${formatNs(resolutionNs)} per request at the no-op's rate: smaller differences are noise, and so is a negative one).`,
    '',
    table(['Action', 'Stored keys', ...libs.map((l) => `Extra CPU: ${ROLE_NAME[l.role]}`)], callRows),
    '',
    `Machine load (1-minute average) ${bench.loadAverage[0].toFixed(1)} at the start of the server part, ${bench.loadAverage[1].toFixed(1)} at its end, on ${ctx.env.cores} cores shared with other jobs; the part took ${Math.round(bench.durationMs / 1000)} s.`,
    '',
  );
}
