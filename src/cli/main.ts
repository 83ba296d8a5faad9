/**
 * The `lockstep` command (bin/lockstep.js requires the compiled file): picks the subcommand and
 * sets the exit code. Subcommands load lazily, so `lockstep exercises` never loads the database code.
 */
import { readCliEnvironment } from './cli-environment';

const USAGE = `usage:
  lockstep grade --exercise <slug> <file.ts> [--json] [--seed <seed>]
  lockstep exercises
  lockstep validate <exercise folder or slug> [--seeds s1,s2,...] [--pool <processes>]
  lockstep users create --name <name> --email <email> --role student|instructor|admin [--course <slug>]
  lockstep users token --email <email>`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Command> = {
  grade: () => (argv) => require('./grade.command').runGradeCommand(argv, readCliEnvironment()),
  exercises: () => (argv) => require('./exercises.command').runExercisesCommand(argv, readCliEnvironment()),
  validate: () => (argv) => require('./validate.command').runValidateCommand(argv, readCliEnvironment()),
  users: () => (argv) => require('../users/users.command').runUsersCommand(argv),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command) {
    process.stderr.write(`${name === undefined ? '' : `lockstep: unknown command '${name}'\n`}${USAGE}\n`);
    return 2;
  }
  try {
    return await command()(rest);
  } catch (error) {
    process.stderr.write(`lockstep ${name}: ${(error as Error)?.message ?? String(error)}\n`);
    return 1;
  }
}

if (require.main === module || require.main?.filename.endsWith('lockstep.js')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
