import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { CoursesRepository } from '../courses/courses.repository';
import type {
  CheckDefinition,
  ExerciseDefinition,
  ExerciseKind,
  ExerciseLimits,
} from './exercise-definition';

/** An exercise at its current version, as the API shows it and the grader runs it. */
export interface ExerciseRecord {
  id: string;
  slug: string;
  courseId: string;
  /** Id of the current version: what a new submission is graded against. */
  versionId: string;
  version: number;
  contentHash: string;
  title: string;
  kind: ExerciseKind;
  grader: string;
  exports: string[];
  statement: string;
  contract: string;
  starter: string;
  limits: ExerciseLimits;
  /** With their hidden flags; the API decides what students see. */
  checks: CheckDefinition[];
  settings: Record<string, unknown> | null;
  versionCreatedAt: Date;
}

export interface SyncResult {
  /** Slugs that got a new version (including their first). */
  newVersions: string[];
  unchanged: string[];
}

const VERSION_FIELDS = {
  id: true,
  version: true,
  contentHash: true,
  title: true,
  kind: true,
  grader: true,
  exports: true,
  statement: true,
  contract: true,
  starter: true,
  limits: true,
  checks: true,
  settings: true,
  createdAt: true,
  exercise: { select: { id: true, slug: true, courseId: true } },
} as const satisfies Prisma.ExerciseVersionSelect;

type VersionRow = Prisma.ExerciseVersionGetPayload<{ select: typeof VERSION_FIELDS }>;

/** The exercise catalog in the database: one row per exercise, one per content version. */
@Injectable()
export class ExercisesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Makes the database match the catalog. A changed content hash becomes a new version; a hash seen
   * before makes that version current again. Every step is one statement guarded by a unique
   * constraint (ON CONFLICT), so two API processes syncing at once converge without duplicates.
   */
  async sync(definitions: ExerciseDefinition[], courseSlug: string): Promise<SyncResult> {
    const course = await new CoursesRepository(this.prisma).ensureCourse(courseSlug);
    const result: SyncResult = { newVersions: [], unchanged: [] };
    for (const definition of definitions) {
      const changed = await this.syncOne(definition, course.id);
      (changed ? result.newVersions : result.unchanged).push(definition.slug);
    }
    return result;
  }

  private async syncOne(definition: ExerciseDefinition, courseId: string): Promise<boolean> {
    const [exercise] = await this.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO exercises (slug, course_id) VALUES (${definition.slug}, ${courseId}::uuid)
      ON CONFLICT (slug) DO UPDATE SET course_id = EXCLUDED.course_id
      RETURNING id`;
    // The next number is computed in the same statement; if another process took it, the
    // (exercise_id, version) constraint makes this a no-op and its row (same hash) is used instead.
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO exercise_versions
        (exercise_id, version, content_hash, title, kind, grader, exports, statement, contract, starter, limits, checks, settings)
      SELECT ${exercise.id}::uuid, COALESCE(MAX(version), 0) + 1, ${definition.contentHash}, ${definition.title},
        ${definition.kind}::exercise_kind, ${definition.grader}, ${definition.exports}::text[], ${definition.statement},
        ${definition.contract}, ${definition.starter}, ${JSON.stringify(definition.limits)}::jsonb,
        ${JSON.stringify(definition.checks)}::jsonb, ${definition.settings === undefined ? null : JSON.stringify(definition.settings)}::jsonb
      FROM exercise_versions WHERE exercise_id = ${exercise.id}::uuid
      ON CONFLICT DO NOTHING`;
    const moved = await this.prisma.$executeRaw`
      UPDATE exercises e SET current_version_id = v.id, updated_at = now()
      FROM exercise_versions v
      WHERE e.id = ${exercise.id}::uuid AND v.exercise_id = e.id AND v.content_hash = ${definition.contentHash}
        AND e.current_version_id IS DISTINCT FROM v.id`;
    return inserted > 0 || moved > 0;
  }

  async findBySlug(slug: string): Promise<ExerciseRecord | null> {
    const exercise = await this.prisma.exercise.findUnique({
      where: { slug },
      select: { currentVersion: { select: VERSION_FIELDS } },
    });
    return exercise?.currentVersion ? toExerciseRecord(exercise.currentVersion) : null;
  }

  /** Exercises at their current versions, by slug; only one course's when `courseId` is given. */
  async list(filter: { courseId?: string } = {}): Promise<ExerciseRecord[]> {
    const exercises = await this.prisma.exercise.findMany({
      where: { courseId: filter.courseId, currentVersionId: { not: null } },
      select: { currentVersion: { select: VERSION_FIELDS } },
      orderBy: { slug: 'asc' },
    });
    return exercises.flatMap((exercise) =>
      exercise.currentVersion ? [toExerciseRecord(exercise.currentVersion)] : [],
    );
  }

  /** A version by id, current or not: what a submission was made against. */
  async findVersion(versionId: string): Promise<ExerciseRecord | null> {
    const version = await this.prisma.exerciseVersion.findUnique({
      where: { id: versionId },
      select: VERSION_FIELDS,
    });
    return version ? toExerciseRecord(version) : null;
  }
}

function toExerciseRecord(row: VersionRow): ExerciseRecord {
  return {
    id: row.exercise.id,
    slug: row.exercise.slug,
    courseId: row.exercise.courseId,
    versionId: row.id,
    version: row.version,
    contentHash: row.contentHash,
    title: row.title,
    kind: row.kind,
    grader: row.grader,
    exports: row.exports,
    statement: row.statement,
    contract: row.contract,
    starter: row.starter,
    limits: row.limits as unknown as ExerciseLimits,
    checks: row.checks as unknown as CheckDefinition[],
    settings: (row.settings as Record<string, unknown> | null) ?? null,
    versionCreatedAt: row.createdAt,
  };
}
