import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config.ts';

/** Where a command-line command (npm run staff, keys, backup, …) writes: the terminal, or a test's buffer. */
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
}

export type Command = (args: readonly string[], env: Record<string, string | undefined>, io: CommandIo) => Promise<number>;

/** Runs `command` when `moduleUrl` is the script node was started with; the exit code is its answer. */
export function runWhenMain(moduleUrl: string, command: Command, failure: string): void {
  const entry = process.argv[1];
  if (entry === undefined || moduleUrl !== pathToFileURL(resolve(entry)).href) return;
  command(process.argv.slice(2), process.env, { out: (line) => console.log(line), err: (line) => console.error(line) })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      // One line, never a stack or the DATABASE_URL (ConfigError messages leave values out).
      console.error(err instanceof ConfigError ? err.message : `${failure}：${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    });
}
