import { Prisma } from '../generated/prisma/client';
import type { GradeReport } from '../grading/grade-report';
import { InvalidCursorError, type SubmissionRecord, type SubmissionStatus } from './submission-record';

// How submission rows come out of the database and become SubmissionRecords: through Prisma's nested
// select (the filtered list) and through one joined SQL statement (the hot path), plus the list cursor.

export const SUBMISSION_FIELDS = {
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
export const SUBMISSION_COLUMNS = Prisma.raw(`
  s.id, s.user_id, s.exercise_version_id, s.code, s.status::text AS status, s.report, s.attempts,
  s.idempotency_key, s.created_at, s.started_at, s.graded_at, s.grader_version, s.duration_ms,
  s.error_message, v.version AS exercise_version, e.slug AS exercise_slug, e.course_id`);

export interface SubmissionSqlRow {
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

export function toSubmissionRecord(row: SubmissionRow): SubmissionRecord {
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

export function fromSql(row: SubmissionSqlRow): SubmissionRecord {
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

export function encodeCursor(last: SubmissionRecord): string {
  return Buffer.from(JSON.stringify([last.createdAt.toISOString(), last.id])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
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
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
