// A correct barrier of another design: sense reversal. Each thread keeps the sense of its next
// round in its own Barrier object; the last to arrive flips the shared sense, and the others sleep
// until the shared sense is theirs. No thread sleeps on the count, and no generation number grows.
const COUNT = 0;
const SENSE = 1;

export class Barrier {
  static readonly INTS = 2;

  private mySense = 0;

  constructor(
    private readonly state: Int32Array,
    private readonly parties: number,
    private readonly index = 0,
  ) {}

  wait(): boolean {
    const { state, index, parties } = this;
    this.mySense = 1 - this.mySense;
    if (Atomics.add(state, index + COUNT, 1) + 1 === parties) {
      Atomics.store(state, index + COUNT, 0);
      Atomics.store(state, index + SENSE, this.mySense);
      Atomics.notify(state, index + SENSE);
      return true;
    }
    while (Atomics.load(state, index + SENSE) !== this.mySense)
      Atomics.wait(state, index + SENSE, 1 - this.mySense);
    return false;
  }
}
