// expect-fail: reusable, one-true-per-round
// Mistake: a one-shot barrier. The count of arrivals is never reset, so from the second round on
// it is already past `parties` and wait() lets every thread straight through.
export class Barrier {
  static readonly INTS = 1;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    const arrived = Atomics.add(state, index, 1) + 1;
    if (arrived === parties) {
      Atomics.notify(state, index);
      return true;
    }
    for (let seen = Atomics.load(state, index); seen < parties; seen = Atomics.load(state, index)) {
      Atomics.wait(state, index, seen);
    }
    return false;
  }
}
