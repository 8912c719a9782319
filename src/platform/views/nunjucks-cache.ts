import nunjucks from 'nunjucks';

/**
 * Two caches Nunjucks lacks, for an environment whose templates do not change while it runs
 * (production and tests; development re-reads templates and gets neither).
 *
 * 1. Imports. `{% from "x.njk" import m %}` re-runs the whole of x.njk on every render to
 *    collect its macros, and every govuk-frontend component imports three or four others, so
 *    one page ran a template's top level hundreds of times. An import without context (the
 *    default, and the only kind govuk-frontend uses) cannot see the caller's variables, so
 *    its exports are the same every time: they are computed once per template.
 * 2. Relative template names ("./template.njk" from a component's macro) were resolved with
 *    path.resolve on every include; the answer depends only on the two names.
 *
 * bench/register: about a third of the register page's application CPU went on these.
 */
interface TemplateInternals {
  env: nunjucks.Environment & { [CACHE_EXPORTS]?: boolean };
  [EXPORTED]?: unknown;
}
type ExportCallback = (err: unknown, exported: unknown) => void;

const CACHE_EXPORTS = Symbol('aftercare.cacheExports');
const EXPORTED = Symbol('aftercare.exported');
let patched = false;

function patchTemplatePrototype(): void {
  if (patched) return;
  patched = true;
  const proto = (nunjucks.Template as unknown as { prototype: Record<string, unknown> }).prototype;
  const original = proto.getExported as (this: TemplateInternals, ...args: unknown[]) => void;
  proto.getExported = function getExported(this: TemplateInternals, ...args: unknown[]): void {
    // Called as getExported(cb) only for imports without context.
    if (args.length !== 1 || typeof args[0] !== 'function' || this.env[CACHE_EXPORTS] !== true) {
      original.apply(this, args);
      return;
    }
    const cb = args[0] as ExportCallback;
    if (this[EXPORTED] !== undefined) {
      cb(null, this[EXPORTED]);
      return;
    }
    original.call(this, (err: unknown, exported: unknown) => {
      if (!err) this[EXPORTED] = exported;
      cb(err, exported);
    });
  };
}

export function cacheImportsAndNames(env: nunjucks.Environment): void {
  patchTemplatePrototype();
  (env as TemplateInternals['env'])[CACHE_EXPORTS] = true;
  const internals = env as unknown as { resolveTemplate: (loader: unknown, parentName: string | null, filename: string) => string };
  const resolve = internals.resolveTemplate.bind(env);
  const byLoader = new WeakMap<object, Map<string, string>>();
  internals.resolveTemplate = (loader, parentName, filename) => {
    let resolved = byLoader.get(loader as object);
    if (!resolved) byLoader.set(loader as object, (resolved = new Map<string, string>()));
    const key = `${parentName ?? ''}\u0000${filename}`;
    let name = resolved.get(key);
    if (name === undefined) {
      name = resolve(loader, parentName, filename);
      resolved.set(key, name);
    }
    return name;
  };
}
