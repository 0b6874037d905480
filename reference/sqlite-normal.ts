/** SQLite in WAL mode with synchronous=NORMAL (reference/sqlite.ts): nothing lost to a restart or SIGKILL, power loss not covered. */
import { sqliteImplementation } from './sqlite.js';

export default sqliteImplementation('NORMAL');
