// expect-fail: waiters-sleep
// Mistake: correct otherwise, but a waiting thread checks the generation again and again instead of
// sleeping, burning a whole core until the last party arrives.
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
      return true;
    }
    while (Atomics.load(state, index + 1) === round) {
      // look again at once
    }
    return false;
  }
}
