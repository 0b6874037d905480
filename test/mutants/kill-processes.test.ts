// The mutants whose bug shows only across isolates or in a power-loss recording (races through the CLI, strace), judged
// apart from kill.test.ts so the two files run side by side. Two power-loss mutants get their verdict from their
// end-to-end run in test/powerloss/check.test.ts.
import { CASCADE_MUTANTS, END_TO_END_POWERLOSS_MUTANTS, killTests, PROCESS_MUTANTS } from '../helpers/mutants.js';

killTests(PROCESS_MUTANTS.filter((m) => !CASCADE_MUTANTS.includes(m) && !END_TO_END_POWERLOSS_MUTANTS.includes(m)));
