// A correct barrier of another design: one cell holds both the round's number (above bit 8) and the
// count of arrivals (the low 8 bits). Waiters sleep on the whole cell with the value they last saw:
// an arrival changes it without waking them (they go back to sleep), the last arrival moves the
// round on, clears the count in the same store, and wakes them all.
const COUNT_BITS = 8;
const COUNT_MASK = (1 << COUNT_BITS) - 1;

export class Barrier {
  static readonly INTS = 1;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    const before = Atomics.add(state, index, 1);
    const round = before >>> COUNT_BITS;
    if ((before & COUNT_MASK) + 1 === parties) {
      Atomics.store(state, index, ((round + 1) << COUNT_BITS) | 0);
      Atomics.notify(state, index);
      return true;
    }
    for (
      let seen = Atomics.load(state, index);
      seen >>> COUNT_BITS === round;
      seen = Atomics.load(state, index)
    )
      Atomics.wait(state, index, seen);
    return false;
  }
}
