// Trims the production install (run in the image's build stage, after
// `pnpm install --prod`) to what the roles can load at run time:
// - packages reachable from the workspace packages through their dependencies,
//   except the Prisma CLI and type-only packages (the client is generated in the
//   build stage; nothing imports the CLI at run time, but @prisma/client's peer
//   link would otherwise ship it with its studio, React and TypeScript);
// - Prisma's query compilers for the schema's provider only;
// - declaration files and the dependencies' source maps.
import { lstat, readdir, readFile, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';

const root = process.cwd();
const store = path.join(root, 'node_modules', '.pnpm');
const SKIP = (name) => name === 'prisma' || name === 'typescript' || name.startsWith('@types/');

/** The package names linked in a node_modules directory (scoped ones included). */
async function linkedNames(dir) {
  const entries = await readdir(dir).catch(() => []);
  const names = [];
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) for (const sub of await readdir(path.join(dir, entry))) names.push(`${entry}/${sub}`);
    else names.push(entry);
  }
  return names;
}

/** The store entry (node_modules/.pnpm/<id>) a resolved package directory lives in, if any. */
function storeEntry(dir) {
  if (!dir.startsWith(`${store}${path.sep}`)) return undefined;
  return dir.slice(store.length + 1).split(path.sep)[0];
}

const kept = new Set();
async function visit(nodeModules) {
  for (const name of await linkedNames(nodeModules)) {
    if (SKIP(name)) continue;
    const target = await realpath(path.join(nodeModules, name)).catch(() => undefined);
    const entry = target && storeEntry(target);
    if (!entry || kept.has(entry)) continue;
    kept.add(entry);
    // A stored package's dependencies are linked beside it, in <id>/node_modules.
    await visit(path.join(store, entry, 'node_modules'));
  }
}

for (const pkg of await readdir(path.join(root, 'packages'))) await visit(path.join(root, 'packages', pkg, 'node_modules'));
let removed = 0;
for (const entry of await readdir(store)) {
  if (entry === 'node_modules' || entry.startsWith('lock') || kept.has(entry)) continue;
  if (!(await stat(path.join(store, entry))).isDirectory()) continue;
  await rm(path.join(store, entry), { recursive: true });
  removed++;
}
// pnpm's hoisted links to what was just removed.
for (const name of await linkedNames(path.join(store, 'node_modules'))) {
  const link = path.join(store, 'node_modules', name);
  if ((await lstat(link)).isSymbolicLink() && !(await stat(link).catch(() => undefined))) await rm(link);
}

const schema = await readFile(path.join(root, 'prisma', 'schema.prisma'), 'utf8');
const provider = /datasource\s+\w+\s*{[^}]*provider\s*=\s*"(\w+)"/.exec(schema)?.[1];
if (!provider) throw new Error('prune: no datasource provider in prisma/schema.prisma');
for (const entry of kept) {
  if (!entry.startsWith('@prisma+client@')) continue;
  const runtime = path.join(store, entry, 'node_modules', '@prisma', 'client', 'runtime');
  for (const file of await readdir(runtime)) {
    const other = /^query_compiler_\w+_bg\.(\w+)\./.exec(file)?.[1];
    if (other && other !== provider) await rm(path.join(runtime, file));
  }
}

async function dropFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await dropFiles(file);
    else if (entry.isFile() && /\.(d\.[cm]?ts|map)$/.test(entry.name)) await rm(file);
  }
}
await dropFiles(store);
process.stdout.write(`prune: kept ${kept.size} packages, removed ${removed}; query compilers: ${provider}\n`);
