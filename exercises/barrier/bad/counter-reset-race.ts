// expect-fail: reusable, finishes-in-time
// Mistake: the last party resets the count to 0 and the others wait "until the count is 0". A fast
// thread that has already arrived for the next round puts it back to 1 before a slow waiter looks:
// that waiter sees 1, sleeps again, and the rounds get stuck.
export class Barrier {
  static readonly INTS = 1;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    if (Atomics.add(state, index, 1) + 1 === parties) {
      Atomics.store(state, index, 0);
      Atomics.notify(state, index);
      return true;
    }
    for (let seen = Atomics.load(state, index); seen !== 0; seen = Atomics.load(state, index)) {
      Atomics.wait(state, index, seen);
    }
    return false;
  }
}
