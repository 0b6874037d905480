/**
 * Baseline, not a reference: the original file-backed design, faithful to its bug. Every write
 * truncates the JSON file and writes it in place (fs.writeFileSync): no temporary file, no fsync,
 * no rename. A crash mid-write leaves an empty or half-written file. Kept so the performance report
 * can measure the real "before" and the crash-consistency properties can show they catch it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Implementation } from '../spec/contract.js';
import { openFileStorage } from './file.js';

export function writeFileInPlace(dir: string, name: string, text: string): void {
  writeFileSync(join(dir, name), text);
}

const fileFaithful: Implementation = {
  name: 'baseline/file-truncate-write',
  capabilities: { persistence: 'durable', sharing: 'isolate' },
  open: ({ dir }) => openFileStorage(dir, writeFileInPlace),
};

export default fileFaithful;
