/** The environment of a user who set nothing (no test database, no NODE_ENV=test from vitest), for spawning `npm start`. */
export function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|PIXELDRIVE_|NODE_ENV$|DATABASE_URL$|PORT$|HOST$)/.test(k)));
  const out: Record<string, string | undefined> = { ...env, PIXELDRIVE_AUTO_EVAL: '0', ...extra };
  return out as NodeJS.ProcessEnv;
}
