/** The real wall-clock budget of one grading job, shared by every entry into every isolate it creates. */
export class GradingDeadline {
  private readonly endsAt: number;

  constructor(readonly budgetMs: number) {
    this.endsAt = performance.now() + budgetMs;
  }

  remainingMs(): number {
    return Math.max(0, Math.floor(this.endsAt - performance.now()));
  }

  passed(): boolean {
    return this.remainingMs() <= 0;
  }
}
