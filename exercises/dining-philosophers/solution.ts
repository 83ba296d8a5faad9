/** The grader's locks: acquire(i) blocks until fork i is held by the caller; release(i) gives it back. */
export interface Forks {
  acquire(fork: number): void;
  release(fork: number): void;
}

/**
 * One philosopher: `meals` times, hold forks `seat` and `(seat + 1) % seats` together and call eat();
 * call think() between meals; release every fork before returning.
 *
 * Every philosopher picks up the lower-numbered of its two forks first (a resource order). A
 * deadlock needs a circle of philosophers each holding one fork and waiting for the next; along
 * such a circle the fork numbers would have to rise all the way round, which they cannot: the
 * philosopher at the last seat asks for fork 0 first, like its neighbour at seat 0.
 */
export function philosopher(
  seat: number,
  seats: number,
  forks: Forks,
  meals: number,
  eat: () => void,
  think: () => void,
): void {
  const left = seat;
  const right = (seat + 1) % seats;
  const first = Math.min(left, right);
  const second = Math.max(left, right);
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) think();
    forks.acquire(first);
    forks.acquire(second);
    try {
      eat();
    } finally {
      forks.release(second);
      forks.release(first);
    }
  }
}
