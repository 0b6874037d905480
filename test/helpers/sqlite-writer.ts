/**
 * Child process for the SQLite multi-process test: opens the store in argv[2], writes `count`
 * local-storage keys and session entries tagged with argv[3], then prints how many keys it sees.
 * Usage: node --import tsx test/helpers/sqlite-writer.ts <dir> <tag> <count>
 */
import { openSqliteStorage } from '../../reference/sqlite.js';

const [dir, tag, countText] = process.argv.slice(2);
if (!dir || !tag || !countText) throw new Error('usage: sqlite-writer.ts <dir> <tag> <count>');
const store = openSqliteStorage(dir);
for (let i = 0; i < Number(countText); i++) {
  store.ls.set(`${tag}:${i}`, `${tag}\u0000${i}\uD800`);
  store.session.set(tag, String(i), `${tag}:${i}`);
}
process.stdout.write(`${(store.ls.keys() as string[]).length}\n`);
store.close?.();
