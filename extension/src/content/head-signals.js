// Injected into the page only when the person clicks the toolbar button
// (scripting.executeScript with activeTab). It reads the page's <head>, never the body,
// and returns what it found; it keeps nothing and sends nothing itself.
// The function must be self-contained: the browser serialises it into the page.
export function readHeadSignals() {
  const head = document.head;
  if (!head) return null;
  const web = (href) => (typeof href === 'string' && /^https?:\/\//i.test(href) ? href : null);
  const uniq = (list) => [...new Set(list.filter(Boolean))].slice(0, 10);
  const metas = (selector) => uniq([...head.querySelectorAll(selector)].map((m) => (m.getAttribute('content') || '').trim()));
  const links = (rel) => uniq([...head.querySelectorAll('link[rel]')]
    .filter((l) => l.rel.toLowerCase().split(/\s+/).includes(rel))
    .map((l) => web(l.href)));
  const people = [];
  for (const script of head.querySelectorAll('script[type="application/ld+json"]')) {
    let data;
    try {
      data = JSON.parse(script.textContent);
    } catch {
      continue;
    }
    const nodes = [data].flat().flatMap((n) => (n && Array.isArray(n['@graph']) ? n['@graph'] : [n]));
    for (const node of nodes) {
      for (const role of ['author', 'publisher', 'creator']) {
        for (const who of [node?.[role]].flat()) {
          if (!who) continue;
          if (typeof who === 'string') people.push({ role, name: who.slice(0, 200) });
          else if (typeof who === 'object') {
            people.push({
              role,
              name: typeof who.name === 'string' ? who.name.slice(0, 200) : undefined,
              url: web(who.url) ?? undefined,
              same_as: [who.sameAs].flat().map(web).filter(Boolean).slice(0, 5),
            });
          }
        }
      }
    }
  }
  return {
    title: (document.title || '').slice(0, 300),
    canonical: links('canonical')[0] ?? null,
    og_url: web(metas('meta[property="og:url"]')[0]) ?? null,
    creators: metas('meta[name="omniflattr:creator"]'),
    payment: links('payment'),
    flattr_id: metas('meta[name="flattr:id"]')[0] ?? null,
    me: links('me'),
    fediverse_creator: metas('meta[name="fediverse:creator"]'),
    authors: uniq([...metas('meta[name="author"]'), ...metas('meta[property="article:author"]')]),
    twitter_creator: metas('meta[name="twitter:creator"]')[0] ?? null,
    author_links: links('author'),
    monetization: uniq([...links('monetization'), ...metas('meta[name="monetization"]')]),
    funding: links('funding'),
    json_ld: people.slice(0, 10),
  };
}
