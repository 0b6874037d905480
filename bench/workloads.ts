/**
 * YCSB core workloads over local storage (YCSB's single table): each operation is a read or the
 * workload's write kind, in the workload's proportions, with keys from the workload's request
 * distribution. The operation stream is generated ahead of the timed batches (untimed), so the
 * generator's cost is not attributed to the store.
 */
import { keyName, valueFor } from './dataset.js';
import type { Fixture } from './fixture.js';
import type { BatchBody } from './measure.js';
import { mulberry32, scrambledZipfian, skewedLatest, uniform, type KeyChooser } from './random.js';
import type { Distribution, WorkloadId } from './types.js';

type WriteKind = 'update' | 'insert' | 'read-modify-write';

export interface WorkloadSpec {
  id: WorkloadId;
  readFraction: number;
  write: WriteKind;
  /** YCSB's default request distribution for this workload. */
  distribution: Distribution;
  description: string;
}

export const WORKLOADS: WorkloadSpec[] = [
  { id: 'A', readFraction: 0.5, write: 'update', distribution: 'zipfian', description: '50% read / 50% update' },
  { id: 'B', readFraction: 0.95, write: 'update', distribution: 'zipfian', description: '95% read / 5% update' },
  { id: 'C', readFraction: 1, write: 'update', distribution: 'zipfian', description: '100% read' },
  { id: 'D', readFraction: 0.95, write: 'insert', distribution: 'latest', description: '95% read / 5% insert, reads skewed to the latest keys' },
  { id: 'F', readFraction: 0.5, write: 'read-modify-write', distribution: 'zipfian', description: '50% read / 50% read-modify-write' },
];

const READ = 0;
const WRITE = 1;

/** An endless, seeded stream of (kind, key index) pairs; inserts extend the key space. */
export class OpStream {
  itemCount: number;
  private readonly rand: () => number;
  private readonly choose: KeyChooser;

  constructor(readonly spec: WorkloadSpec, distribution: Distribution, initialItems: number, seed: number) {
    this.itemCount = initialItems;
    this.rand = mulberry32(seed);
    const keyRand = mulberry32(seed ^ 0x9e3779b9);
    this.choose = distribution === 'uniform' ? uniform(keyRand) : distribution === 'latest' ? skewedLatest(keyRand, initialItems) : scrambledZipfian(keyRand, initialItems);
  }

  fill(kinds: Uint8Array, keys: Int32Array): void {
    for (let i = 0; i < kinds.length; i++) {
      if (this.rand() < this.spec.readFraction) {
        kinds[i] = READ;
        keys[i] = this.choose(this.itemCount);
      } else {
        kinds[i] = WRITE;
        keys[i] = this.spec.write === 'insert' ? this.itemCount++ : this.choose(this.itemCount);
      }
    }
  }
}

const BUFFER = 1 << 14;

export function workloadBody(spec: WorkloadSpec, distribution: Distribution, fx: Fixture, seed = 11): BatchBody {
  const d = fx.data;
  const stream = new OpStream(spec, distribution, d.keys, seed);
  const kinds = new Uint8Array(BUFFER);
  const keys = new Int32Array(BUFFER);
  const names = d.lsKeys.slice();
  let pos = BUFFER;
  const modify = (v: unknown) => valueFor(d, typeof v === 'string' && v.length > 0 ? v.charCodeAt(0) + 1 : 0);
  return {
    maxBatch: BUFFER,
    begin: (count) => {
      if (pos + count > BUFFER) {
        stream.fill(kinds, keys);
        while (names.length < stream.itemCount) names.push(keyName(names.length));
        pos = 0;
      }
      const ls = fx.storage.ls;
      if (spec.write === 'read-modify-write') {
        if (fx.isAsync) {
          return () => {
            const key = names[keys[pos]!];
            const kind = kinds[pos++];
            if (kind === READ) return ls.get(key);
            return Promise.resolve(ls.get(key)).then((v) => ls.set(key, modify(v)));
          };
        }
        return () => {
          const key = names[keys[pos]!];
          if (kinds[pos++] === READ) return ls.get(key);
          return ls.set(key, modify(ls.get(key)));
        };
      }
      return (j) => {
        const key = names[keys[pos]!];
        return kinds[pos++] === READ ? ls.get(key) : ls.set(key, valueFor(d, pos + j));
      };
    },
  };
}
