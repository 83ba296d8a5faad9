import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import type { GradeReport } from '../grading/grade-report';

export type SubmissionStatus = 'queued' | 'running' | 'graded' | 'error';
export const SUBMISSION_STATUSES: readonly SubmissionStatus[] = ['queued', 'running', 'graded', 'error'];

export interface SubmissionRecord {
  id: string;
  userId: string;
  exerciseSlug: string;
  exerciseVersion: number;
  exerciseVersionId: string;
  courseId: string;
  code: string;
  status: SubmissionStatus;
  report: GradeReport | null;
  attempts: number;
  idempotencyKey: string | null;
  createdAt: Date;
  startedAt: Date | null;
  gradedAt: Date | null;
  graderVersion: string | null;
  durationMs: number | null;
  errorMessage: string | null;
}

export interface SubmissionViewer {
  id: string;
  role: 'student' | 'instructor' | 'admin';
}

export interface ListSubmissionsQuery {
  viewer: SubmissionViewer;
  exerciseSlug?: string;
  userId?: string;
  status?: SubmissionStatus;
  /** Default 20, at most 100. */
  limit?: number;
  /** From a previous page's nextCursor. */
  cursor?: string;
}

export interface GradeOutcome {
  status: 'graded' | 'error';
  report: GradeReport | null;
  graderVersion: string;
  durationMs: number;
  errorMessage?: string | null;
}

/** What a new submission needs to know about its exercise and its author, read in one statement. */
export interface SubmissionTarget {
  /** The exercise's current version: what the submission is graded against. */
  exerciseVersionId: string;
  courseId: string;
  /** Whether the author is enrolled (in any role) in the exercise's course. */
  enrolled: boolean;
  /** The author's queued plus running submissions (see countActive). */
  activeSubmissions: number;
}

/** A cursor that this repository did not produce (the API answers 400). */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  constructor() {
    super('cursor is not one this server returned');
  }
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const SUBMISSION_FIELDS = {
  id: true,
  userId: true,
  exerciseVersionId: true,
  code: true,
  status: true,
  report: true,
  attempts: true,
  idempotencyKey: true,
  createdAt: true,
  startedAt: true,
  gradedAt: true,
  graderVersion: true,
  durationMs: true,
  errorMessage: true,
  exerciseVersion: { select: { version: true, exercise: { select: { slug: true, courseId: true } } } },
} as const satisfies Prisma.SubmissionSelect;

type SubmissionRow = Prisma.SubmissionGetPayload<{ select: typeof SUBMISSION_FIELDS }>;

/**
 * SUBMISSION_FIELDS as one SQL select over `s` (submissions) joined to `v` (its exercise version) and
 * `e` (its exercise). Prisma reads the nested select above in three round trips, one per table; the hot
 * path (create, claim, read by id) uses this instead, so each of those is one statement.
 */
const SUBMISSION_COLUMNS = Prisma.raw(`
  s.id, s.user_id, s.exercise_version_id, s.code, s.status::text AS status, s.report, s.attempts,
  s.idempotency_key, s.created_at, s.started_at, s.graded_at, s.grader_version, s.duration_ms,
  s.error_message, v.version AS exercise_version, e.slug AS exercise_slug, e.course_id`);

interface SubmissionSqlRow {
  id: string;
  user_id: string;
  exercise_version_id: string;
  code: string;
  status: SubmissionStatus;
  report: unknown;
  attempts: number;
  idempotency_key: string | null;
  created_at: Date;
  started_at: Date | null;
  graded_at: Date | null;
  grader_version: string | null;
  duration_ms: number | null;
  error_message: string | null;
  exercise_version: number;
  exercise_slug: string;
  course_id: string;
}

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

function toSubmissionRecord(row: SubmissionRow): SubmissionRecord {
  return {
    id: row.id,
    userId: row.userId,
    exerciseSlug: row.exerciseVersion.exercise.slug,
    exerciseVersion: row.exerciseVersion.version,
    exerciseVersionId: row.exerciseVersionId,
    courseId: row.exerciseVersion.exercise.courseId,
    code: row.code,
    status: row.status,
    report: (row.report as unknown as GradeReport | null) ?? null,
    attempts: row.attempts,
    idempotencyKey: row.idempotencyKey,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    gradedAt: row.gradedAt,
    graderVersion: row.graderVersion,
    durationMs: row.durationMs,
    errorMessage: row.errorMessage,
  };
}

function fromSql(row: SubmissionSqlRow): SubmissionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    exerciseSlug: row.exercise_slug,
    exerciseVersion: row.exercise_version,
    exerciseVersionId: row.exercise_version_id,
    courseId: row.course_id,
    code: row.code,
    status: row.status,
    report: (row.report as GradeReport | null) ?? null,
    attempts: row.attempts,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
    startedAt: row.started_at,
    gradedAt: row.graded_at,
    graderVersion: row.grader_version,
    durationMs: row.duration_ms,
    errorMessage: row.error_message,
  };
}

function encodeCursor(last: SubmissionRecord): string {
  return Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const date = new Date(String(createdAt));
    if (typeof id === 'string' && isUuid(id) && !Number.isNaN(date.getTime())) return { createdAt: date, id };
  } catch {
    // fall through: not JSON
  }
  throw new InvalidCursorError();
}

/** Ids are uuids; anything else cannot exist, and Postgres would reject the cast. */
function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
