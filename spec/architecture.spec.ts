// ARCHITECTURE.md is read by newcomers first: its folder table must match lib/ (every
// folder listed, nothing listed that is gone) and every path it names must exist.
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const doc = readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8');

/** The backticked first cells of the table under "## Folders". */
function listedFolders(): string[] {
  const section = doc.split(/^## /m).find((s) => s.startsWith('Folders'));
  expect(section, 'ARCHITECTURE.md has a "## Folders" section').to.not.equal(undefined);
  return [...section!.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
}

function libFolders(dir = 'lib'): string[] {
  const found = [`${dir}/`];
  for (const entry of readdirSync(path.join(root, dir))) {
    if (statSync(path.join(root, dir, entry)).isDirectory()) found.push(...libFolders(`${dir}/${entry}`));
  }
  return found;
}

describe('ARCHITECTURE.md', () => {
  it('lists every folder of lib/, and only folders that exist', () => {
    const listed = listedFolders();
    expect(listed.length).to.be.greaterThan(5);
    expect([...listed].sort()).to.deep.equal(libFolders().sort());
  });

  it('is layered as its table says: no file imports from a folder listed above its own', () => {
    // A file's layer is its top folder under lib/ (lib/ itself for the entry points).
    const layers = [...new Set(listedFolders().map((f) => f.split('/').slice(0, 2).join('/').replace(/\/$/, '')))];
    const layerOf = (file: string) => {
      const parts = path.relative(root, file).split(path.sep);
      return parts.length <= 2 ? 'lib' : `lib/${parts[1]}`;
    };
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const upward: string[] = [];
    let imports = 0;
    for (const file of files(path.join(root, 'lib'))) {
      const own = layers.indexOf(layerOf(file));
      for (const m of readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^'";]*?from '(\.[^']+)'/gm)) {
        imports += 1;
        const target = layers.indexOf(layerOf(path.resolve(path.dirname(file), `${m[1]}.ts`)));
        if (target < own) upward.push(`${path.relative(root, file)} imports ${m[1]}`);
      }
    }
    expect(imports, 'relative imports found in lib/').to.be.greaterThan(200);
    expect(upward, 'imports from a layer listed above the importing file').to.deep.equal([]);
  });

  it('names only paths that exist', () => {
    const named = new Set([...doc.matchAll(/`((?:lib|spec)\/[^`<>*\s]*)`/g)].map((m) => m[1]));
    // Paths in the diagram, outside backticks.
    for (const m of doc.matchAll(/\b((?:lib|spec)\/[\w./-]*[\w/])/g)) if (!m[1].includes('<')) named.add(m[1]);
    expect(named.size).to.be.greaterThan(20);
    const missing = [...named].filter((p) => !existsSync(path.join(root, p)));
    expect(missing, 'paths named in ARCHITECTURE.md that do not exist').to.deep.equal([]);
  });

  it("draws a report's path through the parts that carry it, in order", () => {
    const section = doc.split(/^## /m).find((s) => s.startsWith('A request and a report'));
    expect(section, 'ARCHITECTURE.md has a "## A request and a report" section').to.not.equal(undefined);
    const order = ['stack()', 'errorReporter', 'client.offer', 'Worker', 'StoreWriter', 'Store.save', 'Announcer', 'AlertThrottle', 'notifier pipeline', 'IssueStore'];
    const at = order.map((name) => section!.indexOf(name));
    expect(at.filter((i) => i < 0).length, `the diagram names ${order.join(', ')}`).to.equal(0);
    expect([...at].sort((a, b) => a - b)).to.deep.equal(at);
  });

  it('is linked from the README', () => {
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).to.match(/\]\(\.?\/?ARCHITECTURE\.md\)/);
  });
});
