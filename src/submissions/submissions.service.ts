import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CoursesRepository } from '../courses/courses.repository';
import { isDatabaseUnavailable } from '../database/database-unavailable';
import { GRADING_QUEUE, GradingQueue } from '../queue/grading-queue';
import type { UserRecord } from '../users/users.repository';
import type { CreateSubmissionBody } from './submission-request';
import { SubmissionRecord, SubmissionsRepository } from './submissions.repository';

/** A refusal that tells the client when to try again. */
export class RetryLaterException extends HttpException {
  constructor(
    message: string,
    status: HttpStatus.TOO_MANY_REQUESTS | HttpStatus.SERVICE_UNAVAILABLE,
    readonly retryAfterSeconds: number,
  ) {
    super({ statusCode: status, message, retryAfterSeconds }, status);
  }
}

/** The client closed its connection before anything was saved (nginx's 499): nobody reads the answer. */
export class ClientGoneException extends HttpException {
  constructor() {
    super('the client closed the request before the submission was saved; nothing was saved', 499);
  }
}

const STUDENT_RETRY_AFTER_S = 10;
const QUEUE_FULL_RETRY_AFTER_S = 30;
// Waiters wake when the queue says their job was handled; this slow re-read covers a missed notice.
const WAIT_REREAD_MS = 1000;

@Injectable()
export class SubmissionsService {
  private readonly logger = new Logger('Submissions');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GRADING_QUEUE) private readonly queue: GradingQueue,
    private readonly submissions: SubmissionsRepository,
    private readonly courses: CoursesRepository,
  ) {}

  /**
   * Commits the submission, then queues it. If queuing fails (Redis is away) the submission is still
   * safe in the database and the reconciler queues it later, so the client gets its id either way.
   * `clientGone` is asked just before the insert: a client that has given up is not left with a row
   * it was never told about.
   */
  async submit(
    user: UserRecord,
    body: CreateSubmissionBody,
    idempotencyKey?: string,
    clientGone: () => boolean = () => false,
  ): Promise<SubmissionRecord> {
    const { maxQueueDepth, maxQueuedPerStudent } = this.config.limits;
    const target = await this.submissions.findTarget(user.id, body.exercise, maxQueueDepth);
    if (!target)
      throw new NotFoundException(`there is no exercise "${body.exercise}"; GET /api/exercises lists them`);
    if (user.role !== 'admin' && !target.enrolled) {
      throw new ForbiddenException(
        `you are not enrolled in the course of "${body.exercise}"; ask your instructor to enrol you`,
      );
    }
    if (idempotencyKey) {
      const earlier = await this.submissions.findByIdempotencyKey(user.id, idempotencyKey);
      if (earlier) return this.sameRequestOrRefuse(earlier, body);
    }
    if (target.queuedSubmissions >= maxQueueDepth) {
      throw new RetryLaterException(
        'the grading queue is full; your submission was not saved, please try again shortly',
        HttpStatus.SERVICE_UNAVAILABLE,
        QUEUE_FULL_RETRY_AFTER_S,
      );
    }
    if (clientGone()) throw new ClientGoneException();
    const outcome = await this.submissions.create({
      userId: user.id,
      exerciseVersionId: target.exerciseVersionId,
      code: body.code,
      idempotencyKey,
      maxActive: user.role === 'student' ? maxQueuedPerStudent : undefined,
    });
    if (outcome.kind === 'existing') return this.sameRequestOrRefuse(outcome.submission, body);
    if (outcome.kind === 'over-limit') {
      throw new RetryLaterException(
        `you already have ${outcome.active} submissions waiting to be graded (the limit is ${maxQueuedPerStudent}); try again when one is graded`,
        HttpStatus.TOO_MANY_REQUESTS,
        STUDENT_RETRY_AFTER_S,
      );
    }
    const { submission } = outcome;
    await this.queue.enqueue({ submissionId: submission.id }).catch((error: Error) => {
      // The queue logs the outage once; one line per submission would flood the log meanwhile.
      this.logger.debug(`submission ${submission.id} is saved but not queued yet (${error.message})`);
    });
    return submission;
  }

  /** The submission if `viewer` may see it; otherwise null, so ids of others' work are not confirmed. */
  async findVisible(id: string, viewer: UserRecord): Promise<SubmissionRecord | null> {
    const submission = await this.submissions.findById(id);
    if (!submission || !(await this.canSee(viewer, submission))) return null;
    return submission;
  }

  /**
   * Re-reads the submission each time the queue reports its job handled (and at least every
   * WAIT_REREAD_MS) until it is graded (or failed) or `seconds` pass. Polling every 100 ms instead cost
   * ten database reads a second per waiting request, the largest share of the API's work under load.
   */
  async waitUntilFinished(
    submission: SubmissionRecord,
    seconds: number,
    cancelled: () => boolean,
  ): Promise<SubmissionRecord> {
    const deadline = Date.now() + seconds * 1000;
    let current = submission;
    while (!isFinished(current) && Date.now() < deadline && !cancelled()) {
      await this.queue.jobHandled(current.id, Math.min(WAIT_REREAD_MS, deadline - Date.now()));
      try {
        current = (await this.submissions.findById(current.id)) ?? current;
      } catch (error) {
        // The submission is saved: answer with what is known (202 and its id), never with an error
        // that would make the client think it was lost and send it again.
        if (!isDatabaseUnavailable(error)) throw error;
        return current;
      }
    }
    return current;
  }

  private async canSee(viewer: UserRecord, submission: SubmissionRecord): Promise<boolean> {
    if (viewer.role === 'admin' || viewer.id === submission.userId) return true;
    if (viewer.role !== 'instructor') return false;
    return (await this.courses.roleIn(viewer.id, submission.courseId)) === 'instructor';
  }

  private sameRequestOrRefuse(earlier: SubmissionRecord, body: CreateSubmissionBody): SubmissionRecord {
    if (earlier.exerciseSlug === body.exercise && earlier.code === body.code) return earlier;
    throw new UnprocessableEntityException(
      `this Idempotency-Key was already used for submission ${earlier.id} with a different exercise or code; use a new key for a new submission`,
    );
  }
}

export function isFinished(submission: SubmissionRecord): boolean {
  return submission.status === 'graded' || submission.status === 'error';
}
