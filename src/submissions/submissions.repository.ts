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
    const [inserted] = await this.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO submissions (user_id, exercise_version_id, code, idempotency_key)
      VALUES (${input.userId}::uuid, ${input.exerciseVersionId}::uuid, ${input.code}, ${key})
      ON CONFLICT (user_id, idempotency_key) DO NOTHING
      RETURNING id`;
    if (inserted) return { submission: await this.findByIdOrThrow(inserted.id), created: true };
    const existing = await this.prisma.submission.findUniqueOrThrow({
      where: { userId_idempotencyKey: { userId: input.userId, idempotencyKey: key as string } },
      select: SUBMISSION_FIELDS,
    });
    return { submission: toSubmissionRecord(existing), created: false };
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
    const row = await this.prisma.submission.findUnique({ where: { id }, select: SUBMISSION_FIELDS });
    return row ? toSubmissionRecord(row) : null;
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
   * The lease is measured on the database clock, the one clock every worker shares.
   */
  async claim(id: string, leaseMs: number): Promise<SubmissionRecord | null> {
    if (!isUuid(id)) return null;
    const [claimed] = await this.prisma.$queryRaw<{ id: string }[]>`
      UPDATE submissions
      SET status = 'running', attempts = attempts + 1, started_at = now(),
          lease_expires_at = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
      WHERE id = ${id}::uuid
        AND (status = 'queued' OR (status = 'running' AND lease_expires_at < now()))
      RETURNING id`;
    return claimed ? this.findById(claimed.id) : null;
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

  private async findByIdOrThrow(id: string): Promise<SubmissionRecord> {
    return toSubmissionRecord(
      await this.prisma.submission.findUniqueOrThrow({ where: { id }, select: SUBMISSION_FIELDS }),
    );
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
