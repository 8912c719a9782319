/**
 * GOV.UK pagination for a server-paged list: previous and next, the first and last pages, and the
 * pages either side of the current one, with ellipses between. Null when there is one page.
 * `landmarkLabel` names the navigation landmark ("Pages of results").
 */
export function pagination(page: number, pages: number, link: (p: number) => string, landmarkLabel: string) {
  if (pages <= 1) return null;
  const items: Array<{ number?: number; href?: string; current?: boolean; ellipsis?: boolean }> = [];
  let last = 0;
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - page) <= 1) {
      if (p - last > 1) items.push({ ellipsis: true });
      items.push({ number: p, href: link(p), current: p === page });
      last = p;
    }
  }
  return {
    items,
    ...(page > 1 ? { previous: { href: link(page - 1) } } : {}),
    ...(page < pages ? { next: { href: link(page + 1) } } : {}),
    landmarkLabel,
  };
}
