import { VirtualEventQueue } from './virtual-event-queue';

function drain<T>(queue: VirtualEventQueue<T>): Array<[number, T]> {
  const fired: Array<[number, T]> = [];
  for (let event = queue.pop(); event; event = queue.pop()) fired.push([event.dueAtMs, event.payload]);
  return fired;
}

describe('VirtualEventQueue', () => {
  it('fires events in virtual-time order, and events due together in scheduling order', () => {
    const queue = new VirtualEventQueue<string>();
    queue.schedule(300, 'slow');
    queue.schedule(100, 'first at 100');
    queue.schedule(100, 'second at 100');
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

  it('lets a pluggable tie-break reorder events due at the same time, and only those', () => {
    const queue = new VirtualEventQueue<string>((order) => -order); // last scheduled first
    queue.schedule(5, 'a');
    queue.schedule(5, 'b');
    queue.schedule(1, 'early');
    expect(drain(queue).map(([, name]) => name)).toEqual(['early', 'b', 'a']);
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
