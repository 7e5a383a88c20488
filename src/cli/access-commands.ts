import { InvalidArgumentError, Option, type Command } from 'commander';
import { createApiKey, SCOPES } from '../app/api-keys.js';
import { loadConfig } from '../config.js';
import { compose } from '../main.js';
import type { Scope } from '../domain/access.js';
import { changeUser, createUser } from '../app/users.js';
import { isRole, type Role } from '../domain/roles.js';

async function readPasswordFromStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

const role = (v: string): Role => {
  if (!isRole(v)) throw new InvalidArgumentError('use admin, support or accounting');
  return v;
};

/** `settle api-key …` and `settle user …`: the keys stores call with and the people who sign in. */
export function accessCommands(program: Command): void {
  const apiKey = program.command('api-key').description('manage API keys');

  apiKey
    .command('create')
    .description('create an API key; it is printed once and stored only as a hash')
    .requiredOption('--name <name>', 'who or what uses the key')
    .addOption(new Option('--scopes <list>', 'comma-separated: store, accounting, admin').default('store'))
    .action(async (opts: { name: string; scopes: string }) => {
      const scopes = opts.scopes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const bad = scopes.filter((s) => !SCOPES.includes(s as Scope));
      if (bad.length > 0 || scopes.length === 0)
        throw new InvalidArgumentError(`unknown scope(s): ${bad.join(', ') || '(none)'}; use store, accounting, admin`);
      if (opts.name.length < 1 || opts.name.length > 100)
        throw new InvalidArgumentError('--name must be 1 to 100 characters');
      const composed = compose(loadConfig());
      await composed.storage.migrate();
      const { key, record } = await createApiKey(composed.deps, { name: opts.name, scopes: scopes as Scope[] });
      console.log(key);
      console.error(
        `Created API key ${record.id} "${record.name}" with scopes ${record.scopes.join(', ')}. It is not shown again.`,
      );
      await composed.close();
    });

  /** The first line of standard input, for a password that must not appear in the shell's history. */

  const user = program.command('user').description('manage the people who sign in to the admin pages');

  user
    .command('create')
    .description(
      'create a user; prints a generated password once, or takes one from standard input with --password-stdin',
    )
    .requiredOption('--email <email>', 'what they sign in with')
    .requiredOption('--role <role>', 'admin, support or accounting', role)
    .option('--password-stdin', 'read the password (at least 12 characters) from the first line of standard input')
    .action(async (opts: { email: string; role: Role; passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await readPasswordFromStdin() : undefined;
      const composed = compose(loadConfig());
      await composed.storage.migrate();
      const r = await createUser(composed.deps, { email: opts.email, role: opts.role, password });
      await composed.close();
      if (!r.ok) {
        console.error(r.error.message);
        process.exit(2);
      }
      if (r.value.generated) console.log(r.value.password);
      console.error(
        `Created ${r.value.user.role} user ${r.value.user.email}.${r.value.generated ? ' The password above is not shown again.' : ''}`,
      );
    });

  user
    .command('update')
    .description("change a user's role or password, or disable or enable them; their sessions end")
    .requiredOption('--email <email>', 'the user')
    .option('--role <role>', 'admin, support or accounting', role)
    .option('--password-stdin', 'read a new password from the first line of standard input')
    .option('--disable', 'stop them signing in')
    .option('--enable', 'let them sign in again')
    .action(
      async (opts: { email: string; role?: Role; passwordStdin?: boolean; disable?: boolean; enable?: boolean }) => {
        if (opts.disable && opts.enable) throw new InvalidArgumentError('give --disable or --enable, not both');
        const password = opts.passwordStdin ? await readPasswordFromStdin() : undefined;
        const composed = compose(loadConfig());
        await composed.storage.migrate();
        const r = await changeUser(composed.deps, {
          email: opts.email,
          role: opts.role,
          password,
          disabled: opts.disable ? true : opts.enable ? false : undefined,
        });
        await composed.close();
        if (!r.ok) {
          console.error(r.error.message);
          process.exit(2);
        }
        console.error(`Updated ${r.value.email}: ${r.value.role}${r.value.disabledAt ? ', disabled' : ''}.`);
      },
    );
}
