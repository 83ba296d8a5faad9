import { Logger } from '@nestjs/common';
import type { SubmissionsRepository } from '../submissions/submissions.repository';

/**
 * A grading worker's sign of life: while it grades, it renews the lease of every submission in hand
 * every third of the lease. A worker that dies (SIGKILL, a lost host) stops renewing, so another
 * worker may take its submissions as soon as the lease runs out, instead of after the longest a
 * grading could ever take.
 */
export class LeaseHeartbeat {
  private readonly logger = new Logger('Grading');
  private readonly inHand = new Set<string>();
  private readonly timer: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly submissions: SubmissionsRepository,
    private readonly leaseMs: number,
  ) {
    this.timer = setInterval(() => void this.beat(), Math.max(1000, Math.floor(leaseMs / 3)));
    this.timer.unref();
  }

  /** The submission ids being graded by this worker now. */
  get held(): readonly string[] {
    return [...this.inHand];
  }

  hold(submissionId: string): void {
    this.inHand.add(submissionId);
  }

  release(submissionId: string): void {
    this.inHand.delete(submissionId);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async beat(): Promise<void> {
    if (this.inHand.size === 0) return;
    try {
      await this.submissions.renewLeases([...this.inHand], this.leaseMs);
      if (this.failing) this.logger.log('renewing grading leases works again');
      this.failing = false;
    } catch (error) {
      // Once per failing stretch: a database outage would otherwise log every few seconds.
      if (!this.failing)
        this.logger.warn(
          `cannot renew the leases of ${this.inHand.size} submission(s) being graded (${(error as Error).message}); another worker may take them over once they run out`,
        );
      this.failing = true;
    }
  }
}
