// Builds the static assets the pages need into public/ (git-ignored).
// Runs on `npm ci`/`npm install` (prepare) and `npm run build`; takes about a second.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'public');
const nm = path.join(root, 'node_modules');

fs.mkdirSync(path.join(out, 'stylesheets'), { recursive: true });
fs.mkdirSync(path.join(out, 'javascripts'), { recursive: true });

const result = sass.compile(path.join(root, 'src/platform/views/assets/app.scss'), {
  style: 'compressed',
  importers: [new sass.NodePackageImporter(root)],
  loadPaths: [root],
  quietDeps: true,
  logger: sass.Logger.silent,
  silenceDeprecations: ['import'],
});
fs.writeFileSync(path.join(out, 'stylesheets/app.css'), result.css);

const copies = [
  ['govuk-frontend/dist/govuk/govuk-frontend.min.js', 'javascripts/govuk-frontend.min.js'],
  ['@ministryofjustice/frontend/moj/moj-frontend.min.js', 'javascripts/moj-frontend.min.js'],
];
for (const [from, to] of copies) fs.copyFileSync(path.join(nm, from), path.join(out, to));
fs.copyFileSync(path.join(root, 'src/platform/views/assets/app.js'), path.join(out, 'javascripts/app.js'));
fs.copyFileSync(path.join(root, 'src/platform/views/assets/favicon.svg'), path.join(out, 'favicon.svg'));

console.log(`Built assets into ${path.relative(root, out)}/`);
