// expect-fail: waits-for-all, one-true-per-round
// Mistake: off by one. add() returns the count before this thread's arrival, and the code compares
// it with parties - 1 as if it were the count after: the round opens when the second-to-last party
// arrives, before the last one.
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
    const arrived = Atomics.add(state, index, 1);
    if (arrived === parties - 2 || parties === 1) {
      Atomics.store(state, index, 0);
      Atomics.add(state, index + 1, 1);
      Atomics.notify(state, index + 1);
      return true;
    }
    while (Atomics.load(state, index + 1) === round) Atomics.wait(state, index + 1, round);
    return false;
  }
}
