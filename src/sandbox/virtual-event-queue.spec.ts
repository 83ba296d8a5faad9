import { seededTieBreak, VirtualEventQueue, type EventOptions } from './virtual-event-queue';

function drain<T>(queue: VirtualEventQueue<T>): Array<[number, T]> {
  const fired: Array<[number, T]> = [];
  for (let event = queue.pop(); event; event = queue.pop()) fired.push([event.dueAtMs, event.payload]);
  return fired;
}

const IO: EventOptions = { ordered: false };

/** Ten I/O completions and three timers, all due at 100 ms, plus one earlier and one later event. */
function tiedRun(scheduleSeed: string | undefined): string[] {
  const queue = new VirtualEventQueue<string>(scheduleSeed ? seededTieBreak(scheduleSeed) : undefined);
  queue.schedule(300, 'late');
  for (let i = 0; i < 10; i++) {
    queue.schedule(100, `io-${i}`, IO);
    if (i % 4 === 0) queue.schedule(100, `timer-${i / 4}`);
  }
  queue.schedule(50, 'early', IO);
  return drain(queue).map(([, name]) => name);
}

describe('VirtualEventQueue', () => {
  it('fires events in virtual-time order, and events due together in scheduling order', () => {
    const queue = new VirtualEventQueue<string>();
    queue.schedule(300, 'slow');
    queue.schedule(100, 'first at 100');
    queue.schedule(100, 'second at 100', IO);
    queue.schedule(0, 'immediate');
    expect(drain(queue)).toEqual([
      [0, 'immediate'],
      [100, 'first at 100'],
      [100, 'second at 100'],
      [300, 'slow'],
    ]);
  });

  it('skips cancelled events', () => {
    const queue = new VirtualEventQueue<string>();
    const cancelled = queue.schedule(10, 'cancelled');
    queue.schedule(20, 'kept');
    queue.cancel(cancelled);
    expect(queue.peekDueAtMs()).toBe(20);
    expect(drain(queue)).toEqual([[20, 'kept']]);
  });

  it('gives the same order for the same schedule (determinism over many events)', () => {
    const run = () => {
      const queue = new VirtualEventQueue<number>();
      for (let i = 0; i < 1000; i++) queue.schedule((i * 7919) % 97, i);
      return drain(queue);
    };
    const first = run();
    expect(run()).toEqual(first);
    for (let i = 1; i < first.length; i++) {
      const [previousTime, previousId] = first[i - 1];
      const [time, id] = first[i];
      expect(time > previousTime || (time === previousTime && id > previousId)).toBe(true);
    }
  });
});

describe('VirtualEventQueue with a seeded schedule', () => {
  it('fires tied events in the same order for the same seed, byte for byte', () => {
    expect(JSON.stringify(tiedRun('5f2c01'))).toBe(JSON.stringify(tiedRun('5f2c01')));
  });

  it('orders tied I/O completions differently for different seeds', () => {
    const orders = new Set(['a', 'b', 'c', 'd', 'e'].map((seed) => tiedRun(seed).join(' ')));
    expect(orders.size).toBe(5);
    expect(tiedRun(undefined)).not.toEqual(tiedRun('a'));
  });

  it('never reorders across instants, and keeps timers in scheduling order as Node does', () => {
    for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const order = tiedRun(seed);
      expect(order[0]).toBe('early');
      expect(order.at(-1)).toBe('late');
      expect(order.filter((name) => name.startsWith('timer'))).toEqual(['timer-0', 'timer-1', 'timer-2']);
      expect([...order].sort()).toEqual([...tiedRun(undefined)].sort());
    }
  });

  it('lets a timer due at the same instant fall anywhere among the I/O completions', () => {
    const positions = new Set(
      Array.from({ length: 40 }, (_, seed) => tiedRun(`s${seed}`).indexOf('timer-0')),
    );
    expect(positions.size).toBeGreaterThan(3);
  });

  it('includes events scheduled at the current instant while it is being fired', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const queue = new VirtualEventQueue<string>(seededTieBreak(`x${seed}`));
      queue.schedule(10, 'a', IO);
      queue.schedule(10, 'b', IO);
      const first = queue.pop()!.payload;
      queue.schedule(10, 'zero-latency reply', IO);
      seen.add([first, ...drain(queue).map(([, name]) => name)].join(', '));
    }
    expect([...seen].some((order) => order.endsWith(', zero-latency reply'))).toBe(true);
    expect([...seen].some((order) => order.split(', ')[1] === 'zero-latency reply')).toBe(true);
  });
});

describe('VirtualEventQueue: what keeps a run alive', () => {
  it('counts live events that keep the run alive, not unref-like ones, cancelled or fired ones', () => {
    const queue = new VirtualEventQueue<string>();
    const heartbeat = { keepsAlive: false };
    queue.schedule(1, 'tick', heartbeat);
    expect(queue.hasEventsKeepingAlive()).toBe(false);
    const timer = queue.schedule(5, 'timer');
    queue.schedule(7, 'reply', IO);
    expect(queue.hasEventsKeepingAlive()).toBe(true);
    queue.cancel(timer);
    queue.cancel(timer);
    expect(queue.pop()!.payload).toBe('tick');
    expect(queue.hasEventsKeepingAlive()).toBe(true);
    expect(queue.pop()!.payload).toBe('reply');
    expect(queue.hasEventsKeepingAlive()).toBe(false);
    expect(queue.pop()).toBeUndefined();
  });

  it('refuses a tie-break that picks no candidate (a bug, not a schedule)', () => {
    const queue = new VirtualEventQueue<string>(() => 2);
    queue.schedule(1, 'a', IO);
    queue.schedule(1, 'b', IO);
    expect(() => queue.pop()).toThrow('tie-break picked 2 of 2 candidates');
  });
});
