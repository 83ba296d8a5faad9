import { randomUUID } from 'node:crypto';
import { BullmqGradingQueue } from './bullmq-grading-queue';
import type { GradingJob, GradingQueue } from './grading-queue';
import { InProcessGradingQueue } from './in-process-grading-queue';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Both drivers must behave the same; the rest of Lockstep does not know which one runs. */
const drivers: Array<[string, () => GradingQueue]> = [
  ['in-process', () => new InProcessGradingQueue()],
  ['BullMQ on Redis', () => new BullmqGradingQueue({ redisUrl, prefix: `lockstep-test-${randomUUID()}` })],
];

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe.each(drivers)('%s grading queue', (_name, make) => {
  let queue: GradingQueue;
  beforeEach(() => (queue = make()));
  afterEach(async () => {
    if (queue instanceof BullmqGradingQueue) await queue.obliterate();
    await queue.close();
  });

  it('answers ping', async () => {
    await expect(queue.ping()).resolves.toBeUndefined();
  });

  it('hands every job to the consumer once, never more than `concurrency` at a time', async () => {
    const ids = Array.from({ length: 12 }, () => randomUUID());
    const seen: string[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const done = deferred();
    await queue.consume(async (job: GradingJob) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      seen.push(job.submissionId);
      inFlight--;
      if (seen.length === ids.length) done.resolve();
    }, 3);
    for (const id of ids) await queue.enqueue({ submissionId: id });
    await done.promise;
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThan(1);
  });

  it('ignores a second enqueue of a submission that is still waiting', async () => {
    const id = randomUUID();
    await queue.enqueue({ submissionId: id });
    await queue.enqueue({ submissionId: id });
    expect(await queue.depth()).toBe(1);
  });

  it('accepts the same submission again once its job has finished', async () => {
    const id = randomUUID();
    let runs = 0;
    let finished = deferred();
    await queue.consume(async () => {
      runs++;
      finished.resolve();
    }, 1);
    await queue.enqueue({ submissionId: id });
    await finished.promise;
    finished = deferred();
    // BullMQ removes the finished job right after the handler returns; give it that moment.
    await waitFor(async () => (await queue.depth()) === 0);
    await queue.enqueue({ submissionId: id });
    await finished.promise;
    expect(runs).toBe(2);
  });

  it('tells a waiter when the job of its submission has been handled, and times out otherwise', async () => {
    const id = randomUUID();
    const release = deferred();
    await queue.consume(() => release.promise, 1);
    const handled = queue.jobHandled(id, 10_000);
    await queue.enqueue({ submissionId: id });
    expect(await queue.jobHandled(randomUUID(), 50)).toBe(false);
    release.resolve();
    expect(await handled).toBe(true);
  });

  it('offers a job again after the delay its handler asked for', async () => {
    const id = randomUUID();
    const runs: number[] = [];
    const done = deferred();
    await queue.consume(async () => {
      runs.push(Date.now());
      if (runs.length === 1) return { retryInMs: 300 };
      done.resolve();
    }, 1);
    await queue.enqueue({ submissionId: id });
    await done.promise;
    expect(runs).toHaveLength(2);
    expect(runs[1] - runs[0]).toBeGreaterThanOrEqual(250);
  });

  it('queues only the submissions that have no job yet', async () => {
    const [waiting, lost] = [randomUUID(), randomUUID()];
    await queue.enqueue({ submissionId: waiting });
    expect(await queue.enqueueMissing([waiting, lost])).toEqual([lost]);
    expect(await queue.enqueueMissing([waiting, lost])).toEqual([]);
    expect(await queue.depth()).toBe(2);
  });

  it('stops taking jobs, lets the one in hand finish, and still takes enqueues', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const release = deferred();
    const started = deferred();
    const handled: string[] = [];
    await queue.consume(async (job) => {
      started.resolve();
      await release.promise;
      handled.push(job.submissionId);
    }, 1);
    await queue.enqueue({ submissionId: first });
    await started.promise;
    await queue.enqueue({ submissionId: second });
    let stopped = false;
    const stopping = queue.stopConsuming().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    await queue.enqueue({ submissionId: randomUUID() });
    await new Promise((r) => setTimeout(r, 200));
    expect(handled).toEqual([first]);
  });
});

describe('BullMQ grading queue across processes and outages', () => {
  const prefix = `lockstep-test-${randomUUID()}`;
  const queues: BullmqGradingQueue[] = [];
  const open = (url = redisUrl) => {
    const queue = new BullmqGradingQueue({ redisUrl: url, prefix });
    queues.push(queue);
    return queue;
  };
  afterAll(async () => {
    await open().obliterate();
    for (const queue of queues) await queue.close();
  });

  it('keeps a job handed back at shutdown in Redis, for the next worker to take', async () => {
    const id = randomUUID();
    const stopping = open();
    const started = deferred();
    await stopping.consume(async () => {
      started.resolve();
      await new Promise((r) => setTimeout(r, 100));
      return { retryInMs: 0 };
    }, 1);
    await stopping.enqueue({ submissionId: id });
    await started.promise;
    await stopping.stopConsuming();
    await stopping.close();
    const taken = deferred();
    const seen: string[] = [];
    await open().consume(async (job) => {
      seen.push(job.submissionId);
      taken.resolve();
    }, 1);
    await taken.promise;
    expect(seen).toEqual([id]);
  });

  it('refuses an enqueue at once when Redis does not answer, instead of waiting for it', async () => {
    const unreachable = open('redis://127.0.0.1:1');
    await expect(unreachable.enqueue({ submissionId: randomUUID() })).rejects.toThrow();
    await expect(unreachable.ping()).rejects.toThrow();
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
