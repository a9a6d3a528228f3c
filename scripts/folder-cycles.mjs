#!/usr/bin/env node
/**
 * Folder-level import graph of a package's `src/`, and a check that no two folders import each
 * other (directly or round a longer circle). A file at the top of `src/` counts as its own node.
 * Prints the graph as text (`from -> to (number of imports)`) and exits 1 when there is a circle.
 *
 *   node scripts/folder-cycles.mjs packages/core/src
 *
 * Imports are read as text (`from '…'`, `import('…')`, `export … from '…'`), relative ones only:
 * enough for this code base, where every import between folders is relative.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'packages/core/src');
const ignore = new Set(['generated']);

function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!ignore.has(name)) yield* sourceFiles(path);
    } else if (/\.(ts|mts|js|mjs)$/.test(name) && !/\.d\.ts$/.test(name)) yield path;
  }
}

/** The node a file belongs to: its top folder under src/, or the file itself at the top. */
const nodeOf = (path) => relative(root, path).split(sep)[0];

const edges = new Map(); // "from\0to" -> count
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
for (const file of sourceFiles(root)) {
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(IMPORT)) {
    const target = resolve(dirname(file), match[1]);
    if (!target.startsWith(root + sep)) continue;
    const from = nodeOf(file);
    const to = nodeOf(target);
    if (from === to || ignore.has(to)) continue;
    const key = `${from}\0${to}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
}

const graph = new Map();
for (const key of edges.keys()) {
  const [from, to] = key.split('\0');
  if (!graph.has(from)) graph.set(from, new Set());
  if (!graph.has(to)) graph.set(to, new Set());
  graph.get(from).add(to);
}

// Tarjan's strongly connected components: any component of two or more nodes is a circle.
let index = 0;
const indices = new Map();
const lowlink = new Map();
const stack = [];
const onStack = new Set();
const circles = [];
function connect(node) {
  indices.set(node, index);
  lowlink.set(node, index++);
  stack.push(node);
  onStack.add(node);
  for (const next of graph.get(node)) {
    if (!indices.has(next)) {
      connect(next);
      lowlink.set(node, Math.min(lowlink.get(node), lowlink.get(next)));
    } else if (onStack.has(next)) lowlink.set(node, Math.min(lowlink.get(node), indices.get(next)));
  }
  if (lowlink.get(node) === indices.get(node)) {
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) circles.push(component.sort());
  }
}
for (const node of [...graph.keys()].sort()) if (!indices.has(node)) connect(node);

console.log(`Folder imports in ${relative(process.cwd(), root) || '.'}:`);
for (const [key, count] of [...edges].sort()) {
  const [from, to] = key.split('\0');
  const back = edges.has(`${to}\0${from}`) ? '   <- both ways' : '';
  console.log(`  ${from} -> ${to} (${count})${back}`);
}
if (circles.length === 0) {
  console.log('No folder imports another that imports it back, directly or round a circle.');
} else {
  for (const circle of circles) console.error(`Circle between folders: ${circle.join(', ')}`);
  process.exit(1);
}
