// expect-fail: reusable, finishes-in-time
// Mistake: the last party wakes only one sleeper (Atomics.notify(..., 1)). With three parties or
// more, the other sleepers are never woken: the generation changed, nobody told them.
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
      Atomics.notify(state, index + 1, 1);
      return true;
    }
    while (Atomics.load(state, index + 1) === round) Atomics.wait(state, index + 1, round);
    return false;
  }
}
