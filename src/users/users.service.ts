import { Injectable } from '@nestjs/common';
import { apiTokenDisplayPrefix, generateApiToken, hashApiToken, looksLikeApiToken } from '../auth/api-token';
import { CoursesRepository } from '../courses/courses.repository';
import { UserRecord, UserRole, UsersRepository } from './users.repository';

/** A token as issued: the plain value is shown this once and never stored. */
export interface IssuedToken {
  token: string;
  prefix: string;
  tokenId: string;
}

export interface BootstrapUsers {
  instructor: { user: UserRecord; token: string };
  student: { user: UserRecord; token: string };
}

// lastUsedAt is for humans ("used 3 minutes ago"); writing it on every request would turn reads into writes.
const TOUCH_INTERVAL_MS = 60_000;
// Serializes ensureBootstrapUsers between API processes starting together on one database.
const BOOTSTRAP_LOCK_KEY = 0x4c53_5442; // "LSTB"

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly courses: CoursesRepository,
  ) {}

  createUser(input: { name: string; email: string; role: UserRole }): Promise<UserRecord> {
    return this.users.create(input);
  }

  listUsers(): Promise<UserRecord[]> {
    return this.users.list();
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmail(email);
  }

  async issueToken(userId: string, users: UsersRepository = this.users): Promise<IssuedToken> {
    const token = generateApiToken();
    const prefix = apiTokenDisplayPrefix(token);
    const tokenId = await users.insertToken(userId, hashApiToken(token), prefix);
    return { token, prefix, tokenId };
  }

  /** The user a bearer token belongs to, or null for an unknown, malformed or revoked token. */
  async findUserByToken(token: string, now = new Date()): Promise<UserRecord | null> {
    if (!looksLikeApiToken(token)) return null;
    // The lookup is by hash through a unique index: no secret is ever compared byte by byte here.
    const owner = await this.users.findTokenOwner(hashApiToken(token));
    if (!owner) return null;
    if (!owner.lastUsedAt || now.getTime() - owner.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.users.touchToken(owner.tokenId, now, TOUCH_INTERVAL_MS);
    }
    return owner.user;
  }

  revokeToken(tokenId: string): Promise<number> {
    return this.users.revokeTokens({ tokenId });
  }

  /**
   * On an empty database, creates a first instructor and a demo student enrolled in the course and
   * returns their tokens, for the embedded server to print once. Null when any user exists.
   */
  async ensureBootstrapUsers(courseSlug: string): Promise<BootstrapUsers | null> {
    if ((await this.users.count()) > 0) return null;
    const course = await this.courses.ensureCourse(courseSlug);
    return this.users.withExclusiveLock(BOOTSTRAP_LOCK_KEY, async (transaction) => {
      const users = new UsersRepository(transaction);
      const courses = new CoursesRepository(transaction);
      if ((await users.count()) > 0) return null;
      const instructor = await users.create({
        name: 'Instructor',
        email: 'instructor@lockstep.local',
        role: 'instructor',
      });
      const student = await users.create({
        name: 'Demo Student',
        email: 'student@lockstep.local',
        role: 'student',
      });
      const instructorToken = await this.issueToken(instructor.id, users);
      const studentToken = await this.issueToken(student.id, users);
      await courses.enrol(instructor.id, course.id, 'instructor');
      await courses.enrol(student.id, course.id, 'student');
      return {
        instructor: { user: instructor, token: instructorToken.token },
        student: { user: student, token: studentToken.token },
      };
    });
  }
}
