// Runs before `npm start`, `npm test`, `npm run cli` and `npm run worker` (their npm `pre` hooks).
// Plain JavaScript with no imports outside Node on purpose: it must work exactly when the
// dependencies (tsx included) are missing, where npm would otherwise end in "tsx: not found"
// or a module-resolution stack trace.
import { existsSync, readFileSync } from 'node:fs';

const MIN_NODE = 20;

function stop(line) {
  console.error(`[pixeldrive] ${line}`);
  process.exit(1);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < MIN_NODE) stop(`Node ${process.versions.node} is too old: PixelDrive needs Node ${MIN_NODE} or newer`);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
if (!existsSync('node_modules')) stop('the dependencies are not installed: run npm ci first');

// Compared with the lock file, not package.json's ranges: after a git pull that changed
// dependencies, node_modules is stale even though every package is present.
const direct = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
const wrong = [];
for (const name of direct) {
  const want = lock.packages?.[`node_modules/${name}`]?.version;
  const file = `node_modules/${name}/package.json`;
  const have = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : null;
  if (want && have !== want) wrong.push(`${name} ${have ? `${have} installed, ${want} locked` : 'missing'}`);
}
if (wrong.length)
  stop(`node_modules does not match package-lock.json (${wrong.slice(0, 3).join('; ')}${wrong.length > 3 ? `; ${wrong.length - 3} more` : ''}): run npm ci`);
// Written by npm ci's postinstall (prisma generate), not by the package download itself.
if (!existsSync('server/generated/prisma/client.ts')) stop('the database client is not generated (npm ci was interrupted?): run npm ci');
