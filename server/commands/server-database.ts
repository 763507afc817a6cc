import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DatabaseConfig, openDatabase, SQLITE_FILE_NAME, type Storage } from '../db/database.ts';

/**
 * The running server's database, for a command that changes or reports on what the server holds (keys,
 * retention). With SQLite, a file that is not there means DATA_DIR names another directory than the
 * server's (typically: the command was run without the server's environment file); a new, empty
 * database would take the command's work unseen, so the command says so instead (undefined).
 */
export async function openServersDatabase(config: DatabaseConfig, err: (line: string) => void): Promise<Storage | undefined> {
  if (!config.databaseUrl) {
    const file = join(resolve(config.dataDir), SQLITE_FILE_NAME);
    if (!existsSync(file)) {
      err(`找不到服务器的数据库 ${file}：请以服务器的 DATA_DIR 或 DATABASE_URL 运行此命令（例如先载入服务器的环境文件）。`);
      return undefined;
    }
  }
  return openDatabase(config);
}
