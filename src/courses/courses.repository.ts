import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

export type CourseRole = 'student' | 'instructor';

export interface CourseRecord {
  id: string;
  slug: string;
  title: string;
  createdAt: Date;
}

const COURSE_FIELDS = { id: true, slug: true, title: true, createdAt: true } as const;

/** Courses and who is enrolled in them, as what. */
@Injectable()
export class CoursesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The course with this slug, created if missing; safe when two processes start together. */
  async ensureCourse(slug: string, title: string = titleFromSlug(slug)): Promise<CourseRecord> {
    await this.prisma
      .$executeRaw`INSERT INTO courses (slug, title) VALUES (${slug}, ${title}) ON CONFLICT (slug) DO NOTHING`;
    return this.prisma.course.findUniqueOrThrow({ where: { slug }, select: COURSE_FIELDS });
  }

  findBySlug(slug: string): Promise<CourseRecord | null> {
    return this.prisma.course.findUnique({ where: { slug }, select: COURSE_FIELDS });
  }

  /** Enrols the user, or changes their role in the course if already enrolled. */
  async enrol(userId: string, courseId: string, role: CourseRole): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO enrolments (user_id, course_id, role) VALUES (${userId}::uuid, ${courseId}::uuid, ${role}::course_role)
      ON CONFLICT (user_id, course_id) DO UPDATE SET role = EXCLUDED.role`;
  }

  coursesTaughtBy(userId: string): Promise<CourseRecord[]> {
    return this.prisma.course.findMany({
      where: { enrolments: { some: { userId, role: 'instructor' } } },
      select: COURSE_FIELDS,
      orderBy: { slug: 'asc' },
    });
  }

  async isEnrolled(userId: string, courseId: string): Promise<boolean> {
    const enrolment = await this.prisma.enrolment.findUnique({
      where: { userId_courseId: { userId, courseId } },
      select: { role: true },
    });
    return enrolment !== null;
  }

  async roleIn(userId: string, courseId: string): Promise<CourseRole | null> {
    const enrolment = await this.prisma.enrolment.findUnique({
      where: { userId_courseId: { userId, courseId } },
      select: { role: true },
    });
    return enrolment?.role ?? null;
  }
}

function titleFromSlug(slug: string): string {
  return slug.replace(/-/g, ' ').replace(/^./, (first) => first.toUpperCase());
}
