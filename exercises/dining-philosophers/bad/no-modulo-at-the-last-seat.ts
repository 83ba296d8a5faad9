// expect-fail: meals
// Mistake: the right fork is seat + 1, without % seats. The philosopher at the last seat asks for a
// fork that does not exist (acquire(seats) throws a RangeError) instead of fork 0.
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
  const right = seat + 1;
  for (let meal = 0; meal < meals; meal++) {
    if (meal > 0) think();
    // The last philosopher reaches the other way round, to break the circle.
    if (seat === seats - 1) {
      forks.acquire(right);
      forks.acquire(left);
    } else {
      forks.acquire(left);
      forks.acquire(right);
    }
    eat();
    forks.release(right);
    forks.release(left);
  }
}
