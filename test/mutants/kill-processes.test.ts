// The mutants whose bug shows only across isolates or in a power-loss recording (races through the CLI, strace), judged
// apart from kill.test.ts so the two files run side by side.
import { CASCADE_MUTANTS, killTests, PROCESS_MUTANTS } from '../helpers/mutants.js';

killTests(PROCESS_MUTANTS.filter((m) => !CASCADE_MUTANTS.includes(m)));
