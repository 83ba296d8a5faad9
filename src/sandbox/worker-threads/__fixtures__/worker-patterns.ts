/**
 * A student file written for the course's node:worker_threads rules, as text: the specs run it in
 * the sandbox (runMainThread) and, compiled to CommonJS, under plain `node`, and compare. Every
 * export answers with data that does not depend on timing or on which process ran it.
 */
export const WORKER_PATTERNS = `
import { Worker, isMainThread, parentPort, workerData, threadId } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';

type Job = { kind: string; [key: string]: any };
const job = (isMainThread ? null : workerData) as Job | null;

function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

function start(data: Job, byUrl = false): Worker {
  return byUrl ? new Worker(new URL(import.meta.url), { workerData: data }) : new Worker(__filename, { workerData: data });
}

/**
 * Attach before awaiting anything else: when a worker posts and ends at once, Node may deliver the
 * last message and emit 'exit' in one go (it drains the port on exit), before an awaiting caller's
 * continuation could listen for the exit.
 */
function exitOf(worker: Worker): Promise<number> {
  return new Promise((resolve) => worker.on('exit', resolve));
}

if (job?.kind === 'count') {
  let count = 0;
  for (let n = job.from; n < job.to; n++) if (isPrime(n)) count++;
  parentPort!.postMessage(count);
}

if (job?.kind === 'rendezvous') {
  // Both workers must be running at the same moment to get past this spin: threads run one at a time would never meet.
  const cells = new Int32Array(job.cells);
  Atomics.add(cells, 0, 1);
  while (Atomics.load(cells, 0) < 2);
  let primes = 0;
  for (let n = 0; n < job.work; n++) if (isPrime(n)) primes++;
  parentPort!.postMessage(primes);
}

if (job?.kind === 'echo') {
  parentPort!.on('message', (message: unknown) => {
    if (message === 'bye') parentPort!.close();
    else parentPort!.postMessage({ echo: message, isMainThread, threadId });
  });
}

if (job?.kind === 'late-listener') {
  // Messages that arrive before a listener exists wait for it; once() takes one and leaves the rest queued.
  setTimeout(() => {
    parentPort!.once('message', (first: unknown) => {
      parentPort!.postMessage('first ' + first);
      setTimeout(() => parentPort!.once('message', (second: unknown) => parentPort!.postMessage('second ' + second)), 30);
    });
  }, 30);
}

if (job?.kind === 'shared') {
  const cells = new Int32Array(job.sab);
  for (let i = 0; i < 100_000; i++) Atomics.add(cells, 0, 1);
  Atomics.store(cells, 1, 1);
  Atomics.notify(cells, 1);
}

if (job?.kind === 'cloned') {
  parentPort!.once('message', () => {
    new Int32Array(job.sab)[0] = 7;
    parentPort!.postMessage({ list: job.list, nested: job.nested });
  });
}

if (job?.kind === 'throw') {
  throw new RangeError('range ' + job.from + '..' + job.to + ' is empty');
}

if (job?.kind === 'reject') {
  Promise.reject(new TypeError('nobody handles this'));
}

if (job?.kind === 'spin') {
  for (;;);
}

if (job?.kind === 'sleep') {
  sleep(job.ms).then(() => parentPort!.postMessage('slept ' + job.ms));
}

export async function countPrimes(limit: number, threads: number): Promise<number> {
  const counts = await Promise.all(
    Array.from({ length: threads }, (_, i) => {
      const from = Math.floor((i * limit) / threads);
      const to = Math.floor(((i + 1) * limit) / threads);
      return new Promise<number>((resolve, reject) => {
        const worker = start({ kind: 'count', from, to }, i % 2 === 1);
        worker.on('message', resolve);
        worker.on('error', reject);
      });
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

export async function rendezvous(work: number): Promise<number[]> {
  const cells = new SharedArrayBuffer(4);
  const workers = [start({ kind: 'rendezvous', cells, work }), start({ kind: 'rendezvous', cells, work })];
  return Promise.all(workers.map((worker) => new Promise<number>((resolve) => worker.once('message', resolve))));
}

export async function echo(): Promise<unknown> {
  const worker = start({ kind: 'echo' });
  const received: unknown[] = [];
  const events: string[] = [];
  worker.on('online', () => events.push('online'));
  const exited = exitOf(worker).then((code) => events.push('exit ' + code));
  worker.on('message', (message: any) => {
    received.push({ ...message, threadId: message.threadId === worker.threadId ? "the worker's" : message.threadId });
    if (received.length === 3) worker.postMessage('bye');
  });
  worker.postMessage(1);
  worker.postMessage({ nested: [2, { deep: true }] });
  worker.postMessage('three');
  await exited;
  return { received, events, threadIdAfterExit: worker.threadId };
}

export async function lateListener(): Promise<unknown> {
  const worker = start({ kind: 'late-listener' });
  const received: unknown[] = [];
  worker.on('message', (message: unknown) => received.push(message));
  worker.postMessage(1);
  worker.postMessage(2);
  worker.postMessage(3);
  const code = await exitOf(worker);
  return { received, code };
}

export async function sharedCounter(): Promise<unknown> {
  const sab = new SharedArrayBuffer(8);
  const cells = new Int32Array(sab);
  const worker = start({ kind: 'shared', sab });
  const exited = exitOf(worker);
  // In Node a pending waitAsync does not keep the program alive: once the worker is gone, only a timer does.
  const keepAlive = setInterval(() => {}, 1000);
  const waited = Atomics.waitAsync(cells, 1, 0, 10_000);
  const result = waited.async ? await waited.value : waited.value;
  clearInterval(keepAlive);
  const code = await exited;
  return { result, count: Atomics.load(cells, 0), code };
}

export async function sharedCounterBlocking(): Promise<unknown> {
  const sab = new SharedArrayBuffer(8);
  const cells = new Int32Array(sab);
  const worker = start({ kind: 'shared', sab });
  while (Atomics.load(cells, 1) === 0) Atomics.wait(cells, 1, 0, 100);
  const code = await exitOf(worker);
  return { count: Atomics.load(cells, 0), code };
}

export async function workerDataIsCloned(): Promise<unknown> {
  const sab = new SharedArrayBuffer(4);
  const list = [1, 2, 3];
  const nested = { when: new Date(0), map: new Map([['a', 1]]) };
  const worker = start({ kind: 'cloned', list, nested, sab });
  list.push(4);
  nested.map.set('b', 2);
  const exited = exitOf(worker);
  worker.postMessage('go');
  const echoed = await new Promise<any>((resolve) => worker.once('message', resolve));
  await exited;
  return {
    list: echoed.list,
    map: [...echoed.nested.map.entries()],
    when: echoed.nested.when.getTime(),
    isDate: echoed.nested.when instanceof Date,
    sabWrittenByWorker: new Int32Array(sab)[0],
  };
}

export async function postFunction(): Promise<unknown> {
  const worker = start({ kind: 'echo' });
  let refused: unknown;
  try {
    worker.postMessage({ callback: () => 1 });
  } catch (error) {
    refused = { name: (error as Error).name, message: (error as Error).message, isError: error instanceof Error };
  }
  await worker.terminate();
  return refused ?? 'the function was sent';
}

export async function workerThrows(): Promise<unknown> {
  const worker = start({ kind: 'throw', from: 5, to: 5 });
  const events: unknown[] = [];
  worker.on('error', (error: Error) => events.push(['error', error instanceof RangeError, error.message]));
  events.push(['exit', await exitOf(worker)]);
  return events;
}

export async function terminateSpinner(): Promise<unknown> {
  const worker = start({ kind: 'spin' });
  await new Promise((resolve) => worker.once('online', resolve));
  await sleep(50);
  const code = await worker.terminate();
  const again = await worker.terminate();
  return { code, again: again === undefined ? 'undefined' : again };
}

export async function sleepingWorker(): Promise<unknown> {
  const worker = start({ kind: 'sleep', ms: 30 });
  const exited = exitOf(worker);
  const message = await new Promise((resolve) => worker.once('message', resolve));
  return { message, code: await exited };
}

export async function workerRejects(): Promise<unknown> {
  const worker = start({ kind: 'reject' });
  const exited = exitOf(worker);
  const error = await new Promise<Error>((resolve) => worker.once('error', resolve));
  return { name: error.name, message: error.message, code: await exited };
}

export async function listenerKeepsAlive(): Promise<unknown> {
  const worker = start({ kind: 'echo' });
  let exited = false;
  worker.on('exit', () => (exited = true));
  worker.postMessage('ping');
  const reply = await new Promise<any>((resolve) => worker.once('message', resolve));
  await sleep(100);
  const aliveAfterReply = !exited;
  return { reply: reply.echo, aliveAfterReply, code: await worker.terminate() };
}

export function sharedArrayBufferShape(): unknown {
  const buffer = new SharedArrayBuffer(8);
  new Uint8Array(buffer).set([1, 2, 3, 4, 5, 6, 7, 8]);
  class Tagged extends SharedArrayBuffer {}
  const tagged = new Tagged(4);
  let withoutNew = '';
  try {
    (SharedArrayBuffer as any)(8);
  } catch (error) {
    withoutNew = (error as Error).name + ': ' + (error as Error).message;
  }
  const stripped = new SharedArrayBuffer(4);
  (stripped as any).constructor = undefined;
  return {
    instance: buffer instanceof SharedArrayBuffer,
    tag: Object.prototype.toString.call(buffer),
    constructorIsGlobal: buffer.constructor === SharedArrayBuffer,
    length: SharedArrayBuffer.length,
    slice: [...new Uint8Array(buffer.slice(2, -2))],
    sliceIsShared: buffer.slice(0) instanceof SharedArrayBuffer,
    strippedSlice: stripped.slice(1).byteLength,
    subclass: tagged instanceof Tagged && tagged instanceof SharedArrayBuffer && tagged.byteLength === 4,
    withoutNew,
    negative: (() => { try { new SharedArrayBuffer(-1); return 'no error'; } catch (error) { return (error as Error).name; } })(),
  };
}

export function whoAmI(): unknown {
  return { isMainThread, threadId, workerData, parentPort, url: new URL(import.meta.url).href === 'file://' + __filename };
}

export async function forgetsASpinningWorker(): Promise<number> {
  start({ kind: 'spin' });
  return new Promise<number>(() => {});
}
`;

/** Exports whose answers must be the same in the sandbox and under plain Node. */
export const NODE_PARITY_EXPORTS: { exportName: string; args: unknown[] }[] = [
  { exportName: 'countPrimes', args: [10_000, 3] },
  { exportName: 'echo', args: [] },
  { exportName: 'lateListener', args: [] },
  { exportName: 'sharedCounter', args: [] },
  { exportName: 'sharedCounterBlocking', args: [] },
  { exportName: 'workerDataIsCloned', args: [] },
  { exportName: 'postFunction', args: [] },
  { exportName: 'workerThrows', args: [] },
  { exportName: 'terminateSpinner', args: [] },
  { exportName: 'sleepingWorker', args: [] },
  { exportName: 'workerRejects', args: [] },
  { exportName: 'listenerKeepsAlive', args: [] },
  { exportName: 'sharedArrayBufferShape', args: [] },
  { exportName: 'whoAmI', args: [] },
];
