import { Prisma } from '../generated/prisma/client';

// Driver adapter error kinds (@prisma/adapter-pg) that say the database is away, not that a query is wrong.
const UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
// Prisma's own codes for the same: can't reach, timed out, closed the connection.
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
// SQLSTATE class 08 (connection exception) and a server shutting down or starting up (57P01-57P03).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123])$/;
// pg's own words for a connection lost mid-query or never made within connectionTimeoutMillis.
const PG_CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout/i;

/**
 * Whether `error` means the database could not be reached or went away (stopped, restarted,
 * overloaded), as opposed to a bad query: the first is answered 503 with Retry-After, never 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNREACHABLE_CODES.has(error.code)) return true;
    const cause = (error.meta?.driverAdapterError as { cause?: { kind?: string; code?: string } } | undefined)
      ?.cause;
    if (cause?.kind && UNREACHABLE_KINDS.has(cause.kind)) return true;
    return cause?.kind === 'postgres' && UNAVAILABLE_SQLSTATE.test(cause.code ?? '');
  }
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientUnknownRequestError || error instanceof Error)
    return PG_CONNECTION_MESSAGES.test(error.message);
  return false;
}
