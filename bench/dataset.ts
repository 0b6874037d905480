/**
 * The data a store is filled with before measuring: `keys` local-storage entries and `keys`
 * session entries spread over sessions of SESSION_WIDTH keys each, values of `valueBytes`
 * ASCII characters (so characters = bytes).
 */
import { mulberry32 } from './random.js';

export const SESSION_WIDTH = 10;
/** Distinct values cycled through, so writes really change the stored text. */
const VALUE_VARIANTS = 16;

export interface Dataset {
  keys: number;
  /** Session entries (0 or `keys`): workloads touch only local storage and skip them. */
  sessionEntries: number;
  valueBytes: number;
  lsKeys: string[];
  values: string[];
  sessionIds: string[];
  sessionKeys: string[];
}

export function keyName(i: number): string {
  return `user:${i.toString().padStart(8, '0')}`;
}

export function makeDataset(keys: number, valueBytes: number, { sessions: withSessions = true, seed = 42 } = {}): Dataset {
  const rand = mulberry32(seed);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const values = Array.from({ length: VALUE_VARIANTS }, () => {
    let s = '';
    for (let i = 0; i < valueBytes; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
    return s;
  });
  const sessions = Math.max(1, Math.ceil(keys / SESSION_WIDTH));
  return {
    keys,
    sessionEntries: withSessions ? keys : 0,
    valueBytes,
    lsKeys: Array.from({ length: keys }, (_, i) => keyName(i)),
    values,
    sessionIds: Array.from({ length: sessions }, (_, i) => `sess-${i.toString(36).padStart(6, '0')}`),
    sessionKeys: Array.from({ length: SESSION_WIDTH }, (_, i) => `field${i}`),
  };
}

export const valueFor = (data: Dataset, i: number): string => data.values[i % data.values.length]!;

/** Session entry i lives in session floor(i / SESSION_WIDTH) under key i % SESSION_WIDTH. */
export function sessionEntry(data: Dataset, i: number): [id: string, key: string] {
  return [data.sessionIds[Math.floor(i / SESSION_WIDTH)]!, data.sessionKeys[i % SESSION_WIDTH]!];
}

export function lsPairs(data: Dataset): [string, string][] {
  return data.lsKeys.map((k, i) => [k, valueFor(data, i)]);
}

export function sessionGroups(data: Dataset): [string, [string, string][]][] {
  const groups = new Map<string, [string, string][]>();
  for (let i = 0; i < data.sessionEntries; i++) {
    const [id, key] = sessionEntry(data, i);
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = []));
    g.push([key, valueFor(data, i)]);
  }
  return [...groups];
}
