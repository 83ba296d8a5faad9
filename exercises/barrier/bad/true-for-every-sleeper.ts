// expect-fail: one-true-per-round
// Mistake: wait() returns whether this thread was woken ("ok" from Atomics.wait) rather than whether
// it was the one that ended the round: every thread that slept gets true.
export class Barrier {
  static readonly INTS = 2;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    const round = Atomics.load(state, index + 1);
    if (Atomics.add(state, index, 1) + 1 === parties) {
      Atomics.store(state, index, 0);
      Atomics.add(state, index + 1, 1);
      Atomics.notify(state, index + 1);
      return false;
    }
    let woken = false;
    while (Atomics.load(state, index + 1) === round) woken = Atomics.wait(state, index + 1, round) === 'ok';
    return woken;
  }
}
