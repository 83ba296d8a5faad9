// A correct barrier where the FIRST party to arrive gets true (the contract asks for exactly one,
// not for the last), and waiters sleep with a timeout, checking the generation again when it ends.
const ARRIVED = 0;
const GENERATION = 1;
const RECHECK_MS = 20;

export class Barrier {
  static readonly INTS = 2;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    const round = Atomics.load(state, index + GENERATION);
    const arrived = Atomics.add(state, index + ARRIVED, 1) + 1;
    if (arrived === parties) {
      Atomics.store(state, index + ARRIVED, 0);
      Atomics.add(state, index + GENERATION, 1);
      Atomics.notify(state, index + GENERATION);
    } else {
      while (Atomics.load(state, index + GENERATION) === round)
        Atomics.wait(state, index + GENERATION, round, RECHECK_MS);
    }
    return arrived === 1;
  }
}
