import { ref } from 'vue';

/** The console routes on `location.hash` (`#/customers`, `#/customers/<id>`, `#/tags?q=`): reload and back keep the place. */
export interface Route {
  section: string;
  id: string | null;
  query: URLSearchParams;
}

function parse(): Route {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?');
  const [section = '', id = ''] = path.split('/');
  return { section: section || 'overview', id: id ? decodeURIComponent(id) : null, query: new URLSearchParams(query) };
}

export const route = ref<Route>(parse());
window.addEventListener('hashchange', () => {
  route.value = parse();
});

export function go(path: string, query: Record<string, string | number | null | undefined> = {}): void {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  location.hash = `#/${path}${s ? `?${s}` : ''}`;
}

export function href(path: string): string {
  return `#/${path}`;
}
