import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
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
  GradeOutcome,
  ListSubmissionsQuery,
  SubmissionRecord,
  SubmissionTarget,
  SubmissionViewer,
} from './submission-record';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './submission-record';

// The record types live beside the rows they are read from; callers keep importing them from here.
export * from './submission-record';

/** Submissions and their grading life cycle: queued → running → graded | error. */
@Injectable()
export class SubmissionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Inserts a queued submission. With an idempotency key, a repeat returns the first submission and
   * created=false; the (user_id, idempotency_key) constraint decides, so concurrent repeats are safe.
   */
  async create(input: {
    userId: string;
    exerciseVersionId: string;
    code: string;
    idempotencyKey?: string | null;
  }): Promise<{ submission: SubmissionRecord; created: boolean }> {
    const key = input.idempotencyKey ?? null;
    const [inserted] = await this.prisma.$queryRaw<SubmissionSqlRow[]>`
      WITH s AS (
        INSERT INTO submissions (user_id, exercise_version_id, code, idempotency_key)
        VALUES (${input.userId}::uuid, ${input.exerciseVersionId}::uuid, ${input.code}, ${key})
        ON CONFLICT (user_id, idempotency_key) DO NOTHING
        RETURNING *)
      SELECT ${SUBMISSION_COLUMNS}
      FROM s JOIN exercise_versions v ON v.id = s.exercise_version_id JOIN exercises e ON e.id = v.exercise_id`;
    if (inserted) return { submission: fromSql(inserted), created: true };
    const existing = await this.prisma.submission.findUniqueOrThrow({
      where: { userId_idempotencyKey: { userId: input.userId, idempotencyKey: key as string } },
      select: SUBMISSION_FIELDS,
    });
    return { submission: toSubmissionRecord(existing), created: false };
  }

  /**
   * The exercise's current version, the author's enrolment in its course and their active count, for
   * POST /api/submissions: one statement where reading them apart took five round trips. Null when no
   * exercise has this slug (or it has no version yet).
   */
  async findTarget(userId: string, exerciseSlug: string): Promise<SubmissionTarget | null> {
    const [target] = await this.prisma.$queryRaw<SubmissionTarget[]>`
      SELECT e.current_version_id AS "exerciseVersionId", e.course_id AS "courseId",
        EXISTS (SELECT 1 FROM enrolments n WHERE n.user_id = ${userId}::uuid AND n.course_id = e.course_id) AS enrolled,
        (SELECT count(*)::int FROM submissions s
          WHERE s.user_id = ${userId}::uuid AND s.status IN ('queued', 'running')) AS "activeSubmissions"
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

  countQueued(): Promise<number> {
    return this.prisma.submission.count({ where: { status: 'queued' } });
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
