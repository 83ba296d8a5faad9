import { parseArgs } from 'node:util';
import { AppConfig } from '../config/app-config';
import { ConfigError, loadConfig } from '../config/load-config';
import { CoursesRepository } from '../courses/courses.repository';
import { openDatabase, runMigrations } from '../database/database-connection';
import { PrismaService } from '../database/prisma.service';
import { USER_ROLES, UserRole, UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const USAGE = `usage:
  lockstep users create --name NAME --email EMAIL --role student|instructor|admin [--course SLUG]
  lockstep users token --email EMAIL`;

interface Output {
  out(line: string): void;
  err(line: string): void;
}

const consoleOutput: Output = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * `lockstep users ...` (argv after `users`). Exit codes: 0 done, 1 failed (unknown email, taken
 * email, database), 2 bad arguments. Uses the same configuration as the server and migrates first.
 */
export async function runUsersCommand(
  argv: string[],
  config?: AppConfig,
  output: Output = consoleOutput,
): Promise<number> {
  const [action, ...rest] = argv;
  const parsed = parseOptions(rest);
  if (!parsed || (action !== 'create' && action !== 'token')) return usage(output);
  const { name, email, role, course } = parsed;
  if (!email || (action === 'create' && (!name || !isRole(role)))) return usage(output);

  let appConfig: AppConfig;
  try {
    appConfig = config ?? loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return failed(output, error.message);
    throw error;
  }
  const connection = await openDatabase(appConfig.database);
  try {
    await runMigrations(connection);
    const prisma = await PrismaService.connect(connection);
    try {
      const courses = new CoursesRepository(prisma);
      const users = new UsersService(new UsersRepository(prisma), courses);
      if (action === 'create') {
        if (await users.findByEmail(email))
          return failed(
            output,
            `A user with email ${email} already exists; use 'lockstep users token --email ${email}' for a new token.`,
          );
        const user = await users.createUser({ name: name!, email, role: role as UserRole });
        if (course) {
          const enrolledIn = await courses.ensureCourse(course);
          await courses.enrol(user.id, enrolledIn.id, user.role === 'student' ? 'student' : 'instructor');
        }
        const { token } = await users.issueToken(user.id);
        output.out(
          `Created ${user.role} ${user.name} <${user.email}> (${user.id})${course ? `, enrolled in ${course}` : ''}.`,
        );
        output.out(`API token (shown once, store it now): ${token}`);
        return 0;
      }
      const user = await users.findByEmail(email);
      if (!user) return failed(output, `No user with email ${email}.`);
      const { token } = await users.issueToken(user.id);
      output.out(`New API token for ${user.name} <${user.email}> (shown once, store it now): ${token}`);
      return 0;
    } finally {
      await prisma.close();
    }
  } catch (error) {
    await connection.close();
    return failed(output, error instanceof Error ? error.message : String(error));
  }
}

function parseOptions(args: string[]): Record<string, string | undefined> | null {
  try {
    const { values } = parseArgs({
      args,
      options: {
        name: { type: 'string' },
        email: { type: 'string' },
        role: { type: 'string' },
        course: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    return values;
  } catch {
    return null;
  }
}

function isRole(value: string | undefined): value is UserRole {
  return USER_ROLES.includes(value as UserRole);
}

function usage(output: Output): number {
  output.err(USAGE);
  return 2;
}

function failed(output: Output, message: string): number {
  output.err(message);
  return 1;
}
