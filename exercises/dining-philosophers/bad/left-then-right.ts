// expect-fail: no-deadlock, finishes-in-time
// Mistake: every philosopher picks up its left fork (seat) first, then its right one. When all of
// them hold their left fork at once, each waits for ever for the right one, which its neighbour
// holds: a circle that never opens (deadlock).
export interface Forks {
  acquire(fork: number): void;
  release(fork: number): void;
}

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
    forks.acquire(left);
    forks.acquire(right);
    eat();
    forks.release(right);
    forks.release(left);
  }
}
