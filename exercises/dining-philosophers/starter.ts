/** The grader's locks: acquire(i) blocks until fork i is held by the caller; release(i) gives it back. */
export interface Forks {
  acquire(fork: number): void;
  release(fork: number): void;
}

/**
 * One philosopher: `meals` times, hold forks `seat` and `(seat + 1) % seats` together and call eat();
 * call think() between meals; release every fork before returning.
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
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) think();
    // TODO: when every philosopher takes its left fork at the same moment, each then waits for ever
    // for its right fork, which its neighbour holds. Pick the forks up in an order that cannot
    // close such a circle.
    forks.acquire(left);
    forks.acquire(right);
    eat();
    forks.release(right);
    forks.release(left);
  }
}
