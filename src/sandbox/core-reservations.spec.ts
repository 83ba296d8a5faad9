import { CoreReservations } from './core-reservations';

interface Job {
  name: string;
  dedicated: number;
}

/** A pool's view: a queue in arrival order; `startAll` starts every job that may start now. */
function poolOf(cores: number, pinning: boolean) {
  const reservations = new CoreReservations<Job>(
    Array.from({ length: cores }, (_, core) => core),
    pinning,
  );
  const queue: Job[] = [];
  const running = new Map<string, { job: Job; cores: readonly number[] }>();
  const pool = {
    reservations,
    submit(name: string, dedicated = 0) {
      queue.push({ name, dedicated: reservations.grant(dedicated) });
      return pool;
    },
    /** Starts what may start now and returns `name@cores` of each, in order. */
    startAll(): string[] {
      const started: string[] = [];
      for (;;) {
        const next = reservations.nextToStart(queue, (job) => job.dedicated);
        if (!next) return started;
        queue.splice(queue.indexOf(next.job), 1);
        reservations.started(next.job, next.cores);
        running.set(next.job.name, { job: next.job, cores: next.cores });
        started.push(`${next.job.name}@${next.cores.join(',')}`);
      }
    },
    finish(name: string): string[] {
      reservations.finished(running.get(name)!.job);
      running.delete(name);
      return pool.startAll();
    },
    waiting: () => queue.map((job) => job.name),
  };
  return pool;
}

describe('CoreReservations', () => {
  it('on 2 cores runs a job asking for both alone: it waits for the running jobs, and jobs queued behind it wait for it', () => {
    const pool = poolOf(2, true).submit('s1').submit('s2');
    expect(pool.startAll()).toEqual(['s1@0,1', 's2@0,1']);
    pool.submit('timed', 2).submit('s3');
    expect(pool.startAll()).toEqual([]);
    expect(pool.finish('s1')).toEqual([]);
    expect(pool.finish('s2')).toEqual(['timed@0,1']);
    expect(pool.waiting()).toEqual(['s3']);
    expect(pool.finish('timed')).toEqual(['s3@0,1']);
  });

  it('on 4 cores starts shared jobs queued behind a waiting dedicated job on the other cores, and never on its own', () => {
    const pool = poolOf(4, true).submit('s1');
    expect(pool.startAll()).toEqual(['s1@0,1,2,3']);
    pool.submit('timed', 2).submit('s2').submit('s3');
    expect(pool.startAll()).toEqual(['s2@2,3', 's3@2,3']);
    expect(pool.finish('s1')).toEqual(['timed@0,1']);
    pool.submit('s4');
    expect(pool.startAll()).toEqual(['s4@2,3']);
    expect(pool.finish('timed')).toEqual([]);
    pool.submit('s5');
    expect(pool.startAll()).toEqual(['s5@0,1,2,3']);
  });

  it('keeps a stream of shared jobs from starving a dedicated job', () => {
    const pool = poolOf(3, true).submit('s1');
    pool.startAll();
    pool.submit('timed', 1);
    const startedMeanwhile: string[] = [];
    for (let i = 2; i < 6; i++) startedMeanwhile.push(...pool.submit(`s${i}`).startAll());
    expect(startedMeanwhile).toEqual(['s2@1,2', 's3@1,2', 's4@1,2', 's5@1,2']);
    expect(pool.finish('s1')).toEqual(['timed@0']);
  });

  it('runs two dedicated jobs at once on separate cores when there are enough', () => {
    const pool = poolOf(4, true).submit('a', 2).submit('b', 2).submit('s1');
    expect(pool.startAll()).toEqual(['a@0,1', 'b@2,3']);
    expect(pool.finish('a')).toEqual(['s1@0,1']);
  });

  it('serves dedicated jobs first come, first served: a small one does not overtake a big one that waits', () => {
    const pool = poolOf(5, true).submit('big', 3);
    expect(pool.startAll()).toEqual(['big@0,1,2']);
    pool.submit('bigger', 5).submit('small', 1).submit('s1');
    expect(pool.startAll()).toEqual(['s1@3,4']);
    expect(pool.finish('big')).toEqual([]);
    expect(pool.finish('s1')).toEqual(['bigger@0,1,2,3,4']);
    expect(pool.finish('bigger')).toEqual(['small@0']);
  });

  it('never pins a shared job to a single core: it waits for the dedicated job instead', () => {
    const pool = poolOf(3, true).submit('timed', 2);
    expect(pool.startAll()).toEqual(['timed@0,1']);
    pool.submit('s1');
    expect(pool.startAll()).toEqual([]);
    expect(pool.finish('timed')).toEqual(['s1@0,1,2']);
  });

  it('in a one-core pool runs shared jobs on that core', () => {
    const pool = poolOf(1, true).submit('s1').submit('s2');
    expect(pool.startAll()).toEqual(['s1@0', 's2@0']);
  });

  it('reserves the cores fewest running jobs may use', () => {
    const pool = poolOf(4, true).submit('a', 2);
    pool.startAll();
    pool.submit('s1');
    expect(pool.startAll()).toEqual(['s1@2,3']);
    expect(pool.finish('a')).toEqual([]);
    pool.submit('b', 2);
    expect(pool.startAll()).toEqual(['b@0,1']);
  });

  it('caps a grant at the cores there are', () => {
    const reservations = new CoreReservations<Job>([0, 1], true);
    expect([
      reservations.grant(0),
      reservations.grant(1),
      reservations.grant(2),
      reservations.grant(8),
    ]).toEqual([0, 1, 2, 2]);
  });

  it('without pinning runs a dedicated job alone, even one asking for fewer cores than there are', () => {
    const pool = poolOf(4, false).submit('s1');
    expect(pool.startAll()).toEqual(['s1@0,1,2,3']);
    pool.submit('timed', 1).submit('s2');
    expect(pool.startAll()).toEqual([]);
    expect(pool.finish('s1')).toEqual(['timed@0,1,2,3']);
    expect(pool.finish('timed')).toEqual(['s2@0,1,2,3']);
  });

  it('once pinning has failed, makes later reservations take every core', () => {
    const pool = poolOf(4, true).submit('a', 1);
    expect(pool.startAll()).toEqual(['a@0']);
    pool.reservations.pinningFailed();
    pool.submit('s1').submit('b', 1);
    expect(pool.startAll()).toEqual([]);
    expect(pool.finish('a')).toEqual(['s1@0,1,2,3']);
    expect(pool.finish('s1')).toEqual(['b@0,1,2,3']);
  });
});
