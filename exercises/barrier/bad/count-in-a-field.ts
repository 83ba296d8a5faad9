// expect-fail: finishes-in-time, waits-for-all
// Mistake: the count of arrivals is a field of the object. Every thread builds its own Barrier, so
// each one counts only itself, never sees the others arrive, and waits for ever.
export class Barrier {
  static readonly INTS = 2;
  private arrived = 0;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    const round = Atomics.load(state, index + 1);
    this.arrived += 1;
    if (this.arrived === parties) {
      this.arrived = 0;
      Atomics.add(state, index + 1, 1);
      Atomics.notify(state, index + 1);
      return true;
    }
    while (Atomics.load(state, index + 1) === round) Atomics.wait(state, index + 1, round);
    return false;
  }
}
