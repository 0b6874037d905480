/**
 * Moving a map to a fresh, smaller buffer set. A growable SharedArrayBuffer cannot shrink, so after
 * a clear or mass removal the isolate holding the write lock copies the live entries into new
 * buffers, posts them on the map's BroadcastChannel and bumps the generation word in `control`,
 * all before it releases the lock. Node enqueues a BroadcastChannel message on every other
 * subscriber's port during postMessage, so any isolate that next takes the lock and sees the new
 * generation finds the set waiting and takes it with receiveMessageOnPort, synchronously.
 *
 * The old buffers are freed by the garbage collector of each isolate once that isolate has adopted
 * a later set (on its next operation on the map) and nothing else there names them: the handle
 * objects given to `open` are repointed at the current set when their isolate adopts it.
 *
 * An isolate that opens the map only later, with a handle that names an old set, cannot receive the
 * posts it missed: `open` then returns a promise and asks the subscribed isolates, whose event loops
 * answer with the current set (see `requestCurrent`).
 */
import { BroadcastChannel, receiveMessageOnPort } from 'node:worker_threads';

export interface BufferSet {
  readonly generation: number;
  readonly table: SharedArrayBuffer;
  readonly heap: SharedArrayBuffer;
}
type Message = { set: BufferSet } | { want: number };

interface Subscription {
  readonly port: BroadcastChannel;
  latest: BufferSet | null;
  /** Map objects and handles of this isolate that use it; the port closes at 0. */
  users: number;
}

/** One subscription per channel per isolate, shared by every map object of that channel here. */
const subscriptions = new Map<string, Subscription>();

/** Released when the object that subscribed is collected without having released. */
const collected = new FinalizationRegistry<{ channel: string; released: boolean }>((t) => {
  if (!t.released) release(t.channel);
});

/**
 * Subscribe this isolate to the buffer sets of `channel` for as long as `user` lives or until the
 * returned release function is called; call before reading the generation word.
 */
export function subscribe(channel: string, current: BufferSet, user: object): () => void {
  const sub = subscription(channel, current);
  sub.users++;
  const token = { channel, released: false };
  collected.register(user, token, token);
  return () => {
    if (token.released) return;
    token.released = true;
    collected.unregister(token);
    release(channel);
  };
}

function release(channel: string): void {
  const sub = subscriptions.get(channel);
  if (sub === undefined || --sub.users > 0) return;
  sub.port.close();
  subscriptions.delete(channel);
}

function subscription(channel: string, current: BufferSet): Subscription {
  let sub = subscriptions.get(channel);
  if (sub === undefined) {
    const port = new BroadcastChannel(channel);
    sub = { port, latest: null, users: 0 };
    const s = sub;
    port.onmessage = (e) => handle(s, (e as unknown as { data: Message }).data);
    port.unref();
    subscriptions.set(channel, sub);
  }
  keep(sub, current);
  return sub;
}

function keep(sub: Subscription, set: BufferSet): void {
  if (sub.latest === null || set.generation > sub.latest.generation) sub.latest = set;
}

function handle(sub: Subscription, m: Message): void {
  if ('set' in m) keep(sub, m.set);
  else if (sub.latest !== null && sub.latest.generation >= m.want) sub.port.postMessage({ set: sub.latest } satisfies Message);
}

/** Post a new buffer set to every other isolate (call with the write lock held, before bumping the generation word). */
export function publish(channel: string, set: BufferSet): void {
  const sub = subscriptions.get(channel)!;
  keep(sub, set);
  sub.port.postMessage({ set } satisfies Message);
}

/** The buffer set of `generation`, already posted to this isolate. Call with the lock held. */
export function adoptedBuffers(channel: string, generation: number): BufferSet {
  const sub = subscriptions.get(channel);
  if (sub === undefined) throw new Error(`shared store: not subscribed to ${channel}`);
  for (let m = receiveMessageOnPort(sub.port as never); m !== undefined; m = receiveMessageOnPort(sub.port as never)) handle(sub, (m as { message: Message }).message);
  if (sub.latest?.generation !== generation) {
    throw new Error(`shared store: buffer generation ${generation} was never posted to this isolate (it has ${sub.latest?.generation}); open it again with await`);
  }
  return sub.latest;
}

/** The set of at least `generation`, asked of the other isolates; rejects after `timeoutMs`. */
export function requestCurrent(channel: string, generation: number, timeoutMs: number): Promise<BufferSet> {
  const sub = subscriptions.get(channel)!;
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (sub.latest !== null && sub.latest.generation >= generation) done(null);
    }, 1);
    const timer = setTimeout(() => done(new Error(`shared store: no isolate answered with buffer generation ${generation} within ${timeoutMs} ms`)), timeoutMs);
    const done = (e: Error | null) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (e === null) resolve(sub.latest!);
      else reject(e);
    };
    sub.port.postMessage({ want: generation } satisfies Message);
  });
}

/** Subscribe to `buffers`' channel; then the map's current generation, and whether this isolate holds its buffer set. */
export function currentGeneration(buffers: { control: SharedArrayBuffer; channel: string; generation: number; table: SharedArrayBuffer; heap: SharedArrayBuffer }, generationWord: number): { generation: number; known: boolean } {
  const sub = subscription(buffers.channel, { generation: buffers.generation, table: buffers.table, heap: buffers.heap });
  const generation = Atomics.load(new Int32Array(buffers.control), generationWord);
  for (let m = receiveMessageOnPort(sub.port as never); m !== undefined; m = receiveMessageOnPort(sub.port as never)) handle(sub, (m as { message: Message }).message);
  return { generation, known: sub.latest!.generation >= generation };
}
