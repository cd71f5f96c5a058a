import { readRunningInstance } from '../startup/running-instance.ts';
import { passwordFile, readPassword } from './password-file.ts';

/**
 * The database URL of the `npm start` running on this data folder, password included, for a CLI
 * command or a worker that joins it; null when none runs. The record itself holds no password.
 */
export function runningDatabaseUrl(pgDir: string): string | null {
  const recorded = readRunningInstance(pgDir)?.databaseUrl;
  if (!recorded) return null;
  const url = new URL(recorded);
  const password = readPassword(passwordFile(pgDir));
  if (!url.password && password) url.password = password;
  return url.toString();
}
