// expect-fail: meals
// Mistake: the second fork is taken from the other side, (seat - 1 + seats) % seats: no deadlock,
// but every philosopher eats with forks seat - 1 and seat instead of its own seat and seat + 1.
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
  const other = (seat - 1 + seats) % seats;
  const first = Math.min(seat, other);
  const second = Math.max(seat, other);
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) think();
    forks.acquire(first);
    forks.acquire(second);
    eat();
    forks.release(second);
    forks.release(first);
  }
}
