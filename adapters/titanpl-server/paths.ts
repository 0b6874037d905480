/** Where the fetched titanpl package, the build tools and the built app live (git-ignored .cache/). */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CACHE = join(ROOT, '.cache/titanpl-server');

export const PATHS = {
  cache: CACHE,
  titanpl: join(CACHE, 'titanpl'),
  tools: join(CACHE, 'tools'),
  packet: join(CACHE, 'titanpl/packages/packet/index.js'),
  server: process.env.TITANPL_SERVER_BIN || join(CACHE, 'titanpl/packages/engine-linux-x64/bin/titan-server'),
  app: join(CACHE, 'app'),
  dist: join(CACHE, 'app/dist'),
  coreDir: join(ROOT, '.cache/titanpl-core/package'),
  coreSo: join(ROOT, '.cache/titanpl-core/package/native/target/release/libtitan_core.so'),
};
