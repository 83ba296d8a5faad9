// expect-fail: finishes-in-time
// Mistake: waiters sleep on the count of arrivals, but the last party moves the generation on and
// notifies the generation's cell: the count changes under the sleepers and nobody wakes them (a
// lost wake-up).
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
    const arrived = Atomics.add(state, index, 1) + 1;
    if (arrived === parties) {
      Atomics.store(state, index, 0);
      Atomics.add(state, index + 1, 1);
      Atomics.notify(state, index + 1);
      return true;
    }
    while (Atomics.load(state, index + 1) === round) Atomics.wait(state, index, arrived);
    return false;
  }
}
