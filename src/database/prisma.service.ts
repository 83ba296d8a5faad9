import { OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';
import type { DatabaseConnection } from './database-connection';

/**
 * The Prisma client, on Postgres or the embedded database alike. Closed in the last shutdown phase:
 * a grading worker still writes to the database while it stops (it hands back what it was grading).
 */
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(private readonly connection: DatabaseConnection) {
    // No application query takes long; one that does is waiting on a server that stopped answering
    // (SIGSTOP, a cut network). Migrations run on a client of their own, without this bound.
    const queryTimeout = connection.kind === 'postgres' ? { query_timeout: 30_000 } : {};
    super({
      adapter: new PrismaPg({ ...connection.clientConfig, ...queryTimeout, max: connection.poolMax }),
    });
  }

  /** Connects now, so a database that does not answer stops start-up with a sentence, not a later 500. */
  static async connect(connection: DatabaseConnection): Promise<PrismaService> {
    const prisma = new PrismaService(connection);
    try {
      await prisma.$queryRawUnsafe('SELECT 1');
    } catch (error) {
      await prisma.close();
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`Cannot reach the ${connection.kind} database (${describe(connection)}): ${reason}`);
    }
    return prisma;
  }

  async close(): Promise<void> {
    await this.$disconnect();
    await this.connection.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

function describe(connection: DatabaseConnection): string {
  const { connectionString, host, port } = connection.clientConfig;
  if (connectionString) return connectionString.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  return `${host}:${port}`;
}

/**
 * A transaction's client where repositories expect PrismaService: repositories use only model
 * delegates and $queryRaw/$executeRaw, which a transaction client has too.
 */
export function transactionScoped(transaction: Prisma.TransactionClient): PrismaService {
  return transaction as unknown as PrismaService;
}
