import { Injectable } from '@nestjs/common';
import { PrismaService, transactionScoped } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import {
  decodeCursor,
  encodeCursor,
  fromSql,
  isUuid,
  SUBMISSION_COLUMNS,
  SUBMISSION_FIELDS,
  SubmissionSqlRow,
  toSubmissionRecord,
} from './submission-rows';
import type {
  CreateOutcome,
  GradeOutcome,
  NewSubmission,
  ListSubmissionsQuery,
  SubmissionRecord,
  SubmissionTarget,
  SubmissionViewer,
} from './submission-record';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './submission-record';

// Lock space of the per-author lock in create() (the two-int form of Postgres's advisory locks).
const AUTHOR_LOCK_SPACE = 0x4c53;

// The record types live beside the rows they are read from; callers keep importing them from here.
export * from './submission-record';

/** Submissions and their grading life cycle: queued → running → graded | error. */
@Injectable()
export class SubmissionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts a queued submission. With an idempotency key, a repeat returns the first submission
   * (`existing`); the (user_id, idempotency_key) constraint decides, so concurrent repeats are safe.
   * With `maxActive`, the author's queued and running submissions are counted and the row inserted
   * only below that limit, as one decision: a per-author lock held to the end of the transaction
   * makes concurrent submissions of one author count one after another.
   */
  async create(input: NewSubmission): Promise<CreateOutcome> {
    const inserted =
      input.maxActive === undefined
        ? await this.insert(this.prisma, input)
        : await this.prisma.$transaction(async (tx) => {
            await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUTHOR_LOCK_SPACE}::int, hashtext(${input.userId}))`;
            return this.insert(transactionScoped(tx), input);
          });
    if (inserted) return { kind: 'created', submission: inserted };
    if (input.idempotencyKey) {
      const existing = await this.findByIdempotencyKey(input.userId, input.idempotencyKey);
      if (existing) return { kind: 'existing', submission: existing };
    }
    return { kind: 'over-limit', active: await this.countActive(input.userId) };
  }

  private async insert(db: PrismaService, input: NewSubmission): Promise<SubmissionRecord | null> {
    const key = input.idempotencyKey ?? null;
    const limit = input.maxActive ?? null;
    const [inserted] = await db.$queryRaw<SubmissionSqlRow[]>`
      WITH active AS (
        SELECT count(*)::int AS n FROM submissions
        WHERE ${limit}::int IS NOT NULL AND user_id = ${input.userId}::uuid AND status IN ('queued', 'running')),
      s AS (
        INSERT INTO submissions (user_id, exercise_version_id, code, idempotency_key)
        SELECT ${input.userId}::uuid, ${input.exerciseVersionId}::uuid, ${input.code}, ${key}
        FROM active WHERE ${limit}::int IS NULL OR active.n < ${limit}::int
        ON CONFLICT (user_id, idempotency_key) DO NOTHING
        RETURNING *)
      SELECT ${SUBMISSION_COLUMNS}
      FROM s JOIN exercise_versions v ON v.id = s.exercise_version_id JOIN exercises e ON e.id = v.exercise_id`;
    return inserted ? fromSql(inserted) : null;
  }

  /**
   * The exercise's current version, the author's enrolment in its course and the depth of the queue
   * (queued submissions, counted up to `queuedCap`, so a full queue costs no more to read than the
   * cap), for POST /api/submissions: one statement. Null when no exercise has this slug (or it has
   * no version yet).
   */
  async findTarget(
    userId: string,
    exerciseSlug: string,
    queuedCap: number,
  ): Promise<SubmissionTarget | null> {
    const [target] = await this.prisma.$queryRaw<SubmissionTarget[]>`
      SELECT e.current_version_id AS "exerciseVersionId", e.course_id AS "courseId",
        EXISTS (SELECT 1 FROM enrolments n WHERE n.user_id = ${userId}::uuid AND n.course_id = e.course_id) AS enrolled,
        (SELECT count(*)::int FROM (SELECT 1 FROM submissions s WHERE s.status = 'queued' LIMIT ${queuedCap}::int) q)
          AS "queuedSubmissions"
      FROM exercises e
      WHERE e.slug = ${exerciseSlug} AND e.current_version_id IS NOT NULL`;
    return target ?? null;
  }

  /** The submission a user already made with this Idempotency-Key, if any. */
  async findByIdempotencyKey(userId: string, idempotencyKey: string): Promise<SubmissionRecord | null> {
    const row = await this.prisma.submission.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey } },
      select: SUBMISSION_FIELDS,
    });
    return row ? toSubmissionRecord(row) : null;
  }

  async findById(id: string): Promise<SubmissionRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.prisma.$queryRaw<SubmissionSqlRow[]>`
      SELECT ${SUBMISSION_COLUMNS}
      FROM submissions s JOIN exercise_versions v ON v.id = s.exercise_version_id JOIN exercises e ON e.id = v.exercise_id
      WHERE s.id = ${id}::uuid`;
    return row ? fromSql(row) : null;
  }

  /**
   * Newest first, keyset-paginated on (createdAt, id). Students see their own submissions,
   * instructors those to exercises of courses they teach, admins all.
   */
  async list(query: ListSubmissionsQuery): Promise<{ items: SubmissionRecord[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE);
    const conditions: Prisma.SubmissionWhereInput[] = [visibleTo(query.viewer)];
    if (query.exerciseSlug !== undefined)
      conditions.push({ exerciseVersion: { exercise: { slug: query.exerciseSlug } } });
    if (query.userId !== undefined)
      conditions.push(isUuid(query.userId) ? { userId: query.userId } : { id: { in: [] } });
    if (query.status !== undefined) conditions.push({ status: query.status });
    if (query.cursor !== undefined) {
      const after = decodeCursor(query.cursor);
      conditions.push({
        OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
      });
    }
    const rows = await this.prisma.submission.findMany({
      where: { AND: conditions },
      select: SUBMISSION_FIELDS,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const items = rows.slice(0, limit).map(toSubmissionRecord);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  /** Queued plus running: what counts against a student's limit. */
  countActive(userId: string): Promise<number> {
    return this.prisma.submission.count({ where: { userId, status: { in: ['queued', 'running'] } } });
  }

  /**
   * Takes a submission for grading: queued, or running under an expired lease (its worker died).
   * One UPDATE decides, so of two workers claiming at once exactly one gets it; the other gets null.
   * The lease is measured on the database clock, the one clock every worker shares. The claimed row
   * comes back from the same statement (joined to its exercise), so a claim is one round trip.
   */
  async claim(id: string, leaseMs: number): Promise<SubmissionRecord | null> {
    if (!isUuid(id)) return null;
    const [claimed] = await this.prisma.$queryRaw<SubmissionSqlRow[]>`
      UPDATE submissions s
      SET status = 'running', attempts = s.attempts + 1, started_at = now(),
          lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
      FROM exercise_versions v JOIN exercises e ON e.id = v.exercise_id
      WHERE s.id = ${id}::uuid AND v.id = s.exercise_version_id
        AND (s.status = 'queued' OR (s.status = 'running' AND s.lease_expires_at < now()))
      RETURNING ${SUBMISSION_COLUMNS}`;
    return claimed ? fromSql(claimed) : null;
  }

  /** Writes the outcome unless one was written already (a grade is written once). True if it wrote. */
  async complete(id: string, outcome: GradeOutcome): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { count } = await this.prisma.submission.updateMany({
      where: { id, status: { in: ['queued', 'running'] } },
      data: {
        status: outcome.status,
        report:
          outcome.report === null ? Prisma.DbNull : (outcome.report as unknown as Prisma.InputJsonValue),
        graderVersion: outcome.graderVersion,
        durationMs: Math.round(outcome.durationMs),
        errorMessage: outcome.errorMessage ?? null,
        gradedAt: new Date(),
        leaseExpiresAt: null,
      },
    });
    return count === 1;
  }

  /** Gives a running submission back to the queue for another attempt. True if it was running. */
  async requeue(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { count } = await this.prisma.submission.updateMany({
      where: { id, status: 'running' },
      data: { status: 'queued', leaseExpiresAt: null },
    });
    return count === 1;
  }

  /**
   * Gives a running submission back without counting the attempt: grading was interrupted by this
   * worker's shutdown, not by anything the submission did. True if it was running.
   */
  async handBack(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const count = await this.prisma.$executeRaw`
      UPDATE submissions SET status = 'queued', attempts = greatest(attempts - 1, 0),
        started_at = NULL, lease_expires_at = NULL
      WHERE id = ${id}::uuid AND status = 'running'`;
    return count === 1;
  }

  /**
   * Extends the leases of submissions this worker is grading (its heartbeat): a worker that dies
   * stops renewing, so its submissions are free again `leaseMs` later. Returns how many it renewed.
   */
  async renewLeases(ids: readonly string[], leaseMs: number): Promise<number> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return 0;
    return this.prisma.$executeRaw`
      UPDATE submissions
      SET lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
      WHERE id = ANY(${valid}::uuid[]) AND status = 'running'`;
  }

  /** For the reconciler: queued since before `queuedBefore`, or running with a lease expired before `now`. Oldest first. */
  async findStale(query: { queuedBefore: Date; now: Date; limit: number }): Promise<string[]> {
    const rows = await this.prisma.submission.findMany({
      where: {
        OR: [
          { status: 'queued', createdAt: { lt: query.queuedBefore } },
          { status: 'running', leaseExpiresAt: { lt: query.now } },
        ],
      },
      select: { id: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: query.limit,
    });
    return rows.map((row) => row.id);
  }
}

function visibleTo(viewer: SubmissionViewer): Prisma.SubmissionWhereInput {
  if (viewer.role === 'admin') return {};
  if (viewer.role === 'instructor') {
    return {
      exerciseVersion: {
        exercise: { course: { enrolments: { some: { userId: viewer.id, role: 'instructor' } } } },
      },
    };
  }
  return { userId: viewer.id };
}
