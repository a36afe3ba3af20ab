// Builds the /ui ops page into a folder driftgate serves (node build.mjs OUT_DIR; default ui/dist).
// No bundler: the page is a few ES modules. Each module and style sheet is written to OUT/assets/ under
// a name carrying its content hash (imports rewritten to match, uPlot vendored from node_modules), so
// the server can let browsers keep assets for a year; index.html names them and is revalidated.
// Node built-ins only, so it runs wherever npm does.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, 'dist'));
const assets = join(out, 'assets');

// Bare specifiers the sources may import, and where the browser gets them from.
const VENDOR = {
  uplot: join(here, 'node_modules/uplot/dist/uPlot.esm.js'),
};
const STYLES = [
  ['uplot', join(here, 'node_modules/uplot/dist/uPlot.min.css')],
  ['style', join(here, 'src/style.css')],
];

const hash = (text) => createHash('sha256').update(text).digest('base64url').slice(0, 10);
const written = new Map();  // absolute source path → hashed file name

function emit(stem, ext, text) {
  const name = `${stem}.${hash(text)}.${ext}`;
  writeFileSync(join(assets, name), text);
  return name;
}

// Writes a module and, first, everything it imports; returns its hashed name.
function emitModule(file, stack = []) {
  if (written.has(file)) return written.get(file);
  if (stack.includes(file)) throw new Error(`import cycle: ${[...stack, file].join(' → ')}`);
  const source = readFileSync(file, 'utf8');
  const text = source.replace(
    /(\bimport\s+(?:[\w{}\s,*]+\s+from\s+)?|\bexport\s+[\w{}\s,*]+\s+from\s+)(['"])([^'"]+)\2/g,
    (all, head, quote, spec) => {
      let target;
      if (spec.startsWith('./') || spec.startsWith('../')) target = resolve(dirname(file), spec);
      else if (VENDOR[spec]) target = VENDOR[spec];
      else throw new Error(`${file}: cannot resolve import '${spec}' (add it to VENDOR in build.mjs)`);
      return `${head}${quote}./${emitModule(target, [...stack, file])}${quote}`;
    },
  );
  const stem = file === VENDOR.uplot ? 'uplot' : file.split('/').pop().replace(/\.m?js$/, '');
  const name = emit(stem, 'js', text);
  written.set(file, name);
  return name;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

const entry = emitModule(join(here, 'src/main.js'));
const sheets = STYLES.map(([stem, file]) => emit(stem, 'css', readFileSync(file, 'utf8')));
// uPlot is MIT-licensed: its notice travels with the copy.
copyFileSync(join(here, 'node_modules/uplot/LICENSE'), join(assets, 'uplot.LICENSE.txt'));
copyFileSync(join(here, 'public/favicon.svg'), join(out, 'favicon.svg'));

const links = sheets.map((s) => `<link rel="stylesheet" href="/ui/assets/${s}" />`).join('\n    ');
let html = readFileSync(join(here, 'index.html'), 'utf8');
const script = '<script type="module" src="/src/main.js"></script>';
if (!html.includes(script)) throw new Error(`index.html must load the entry as ${script}`);
html = html
  .replace(script, `${links}\n    <script type="module" src="/ui/assets/${entry}"></script>`)
  .replaceAll('href="/favicon.svg"', 'href="/ui/favicon.svg"')
  .replaceAll('src="/favicon.svg"', 'src="/ui/favicon.svg"');
writeFileSync(join(out, 'index.html'), html);

console.log(`ui: ${written.size} modules, ${sheets.length} style sheets → ${out}`);
