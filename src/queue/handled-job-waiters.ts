/** Callers waiting for the job of a submission to be handled, keyed by submission id; both drivers use it. */
export class HandledJobWaiters {
  private readonly waiters = new Map<string, Set<() => void>>();

  wait(submissionId: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const waiters = this.waiters.get(submissionId) ?? new Set<() => void>();
      this.waiters.set(submissionId, waiters);
      const settle = (handled: boolean) => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.waiters.get(submissionId) === waiters)
          this.waiters.delete(submissionId);
        resolve(handled);
      };
      const wake = () => settle(true);
      const timer = setTimeout(() => settle(false), Math.max(0, timeoutMs));
      waiters.add(wake);
    });
  }

  handled(submissionId: string): void {
    for (const wake of [...(this.waiters.get(submissionId) ?? [])]) wake();
  }
}
