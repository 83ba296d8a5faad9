import { Injectable } from '@nestjs/common';
import { PrismaService, transactionScoped } from '../database/prisma.service';

export type UserRole = 'student' | 'instructor' | 'admin';
export const USER_ROLES: readonly UserRole[] = ['student', 'instructor', 'admin'];

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  role: UserRole;
  createdAt: Date;
}

/** A live (not revoked) token and the user it belongs to. */
export interface TokenOwner {
  tokenId: string;
  lastUsedAt: Date | null;
  user: UserRecord;
}

const USER_FIELDS = { id: true, name: true, email: true, role: true, createdAt: true } as const;

interface TokenOwnerRow {
  token_id: string;
  last_used_at: Date | null;
  id: string;
  name: string;
  email: string;
  role: UserRole;
  created_at: Date;
}

/** Users and their API tokens (hashes only). */
@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Emails are stored lower-cased, so the unique constraint ignores case. */
  create(input: { name: string; email: string; role: UserRole }): Promise<UserRecord> {
    return this.prisma.user.create({
      data: { ...input, email: normalizeEmail(input.email) },
      select: USER_FIELDS,
    });
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { id }, select: USER_FIELDS });
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { email: normalizeEmail(email) }, select: USER_FIELDS });
  }

  list(): Promise<UserRecord[]> {
    return this.prisma.user.findMany({ select: USER_FIELDS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  count(): Promise<number> {
    return this.prisma.user.count();
  }

  async insertToken(userId: string, tokenHash: string, prefix: string): Promise<string> {
    const token = await this.prisma.apiToken.create({
      data: { userId, tokenHash, prefix },
      select: { id: true },
    });
    return token.id;
  }

  async findTokenOwner(tokenHash: string): Promise<TokenOwner | null> {
    // Every API request authenticates, so this is one joined statement (Prisma's nested select is two).
    const [row] = await this.prisma.$queryRaw<TokenOwnerRow[]>`
      SELECT t.id AS token_id, t.last_used_at, u.id, u.name, u.email, u.role::text AS role, u.created_at
      FROM api_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = ${tokenHash} AND t.revoked_at IS NULL`;
    if (!row) return null;
    return {
      tokenId: row.token_id,
      lastUsedAt: row.last_used_at,
      user: { id: row.id, name: row.name, email: row.email, role: row.role, createdAt: row.created_at },
    };
  }

  /** Records a use unless one was recorded less than `minIntervalMs` ago: one conditional UPDATE. */
  async touchToken(tokenId: string, now: Date, minIntervalMs: number): Promise<void> {
    const recentEnough = new Date(now.getTime() - minIntervalMs);
    await this.prisma.apiToken.updateMany({
      where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: recentEnough } }] },
      data: { lastUsedAt: now },
    });
  }

  /** Revokes one token, or every live token of a user when only the user is given. */
  async revokeTokens(where: { tokenId?: string; userId?: string }, now = new Date()): Promise<number> {
    const { count } = await this.prisma.apiToken.updateMany({
      where: { id: where.tokenId, userId: where.userId, revokedAt: null },
      data: { revokedAt: now },
    });
    return count;
  }

  /**
   * Runs `work` in one transaction holding an advisory lock, so two processes cannot both run it;
   * `work` gets a client scoped to that transaction to build repositories on.
   */
  withExclusiveLock<T>(lockKey: number, work: (transaction: PrismaService) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${lockKey}::bigint)`;
      return work(transactionScoped(tx));
    });
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
