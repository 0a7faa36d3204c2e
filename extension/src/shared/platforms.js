// Platform keys (creator-keys.md section 2): multi-tenant hosts where the site owner is
// not the creator. Each platform is a few settings over two shapes: the creator named by
// the URL's path (github.com/alice) or by a subdomain (alice.github.io).

/** A URL whose creator only a crawl can tell (a video: its channel). */
export const NEEDS_CRAWL = Symbol('needs-crawl');

const lower = (s) => s.toLowerCase();

/**
 * A platform whose first path segment names the creator.
 * - `reserved`: first segments that belong to the platform itself (its own domain key);
 * - `prefixes`: segments after which the creator comes (`/orgs/{org}`, `/u/{user}`);
 * - `atHandles`: `/@name` is the creator; `onlyAt`: nothing else is;
 * - `custom(segments)`: a key, NEEDS_CRAWL, null (the platform's own), or undefined (go on).
 */
function pathPlatform(namespace, hosts, options = {}) {
  const reserved = new Set(options.reserved ?? []);
  const prefixes = new Set(options.prefixes ?? []);
  return {
    namespace,
    matches: (host) => hosts.includes(host),
    key(segments, host) {
      if (options.custom) {
        const custom = options.custom(segments, host);
        if (custom !== undefined) return custom;
      }
      let [first, second] = segments;
      if (first === undefined) return null;
      if (prefixes.has(lower(first))) {
        if (second === undefined) return null;
        first = second;
      } else if (first.startsWith('@') && options.atHandles) {
        first = first.slice(1);
      } else if (options.onlyAt || reserved.has(lower(first))) {
        return null;
      }
      return first ? `${namespace}:${lower(first)}` : null;
    },
  };
}

/** A platform where `{name}.{parent}` is the creator's site. */
function subdomainPlatform(namespace, parents, reservedNames = []) {
  const reserved = new Set(['www', ...reservedNames]);
  const nameOf = (host) => {
    for (const parent of parents) {
      const suffix = `.${parent}`;
      if (host.endsWith(suffix)) {
        const rest = host.slice(0, -suffix.length);
        return rest.slice(rest.lastIndexOf('.') + 1);
      }
    }
    return null;
  };
  return {
    namespace,
    matches: (host) => nameOf(host) !== null,
    key: (_segments, host) => {
      const name = nameOf(host);
      return reserved.has(name) ? null : `${namespace}:${lower(name)}`;
    },
  };
}

const GITHUB_RESERVED = [
  'about', 'account', 'apps', 'codespaces', 'collections', 'contact', 'copilot',
  'customer-stories', 'dashboard', 'discussions', 'enterprise', 'enterprises', 'events',
  'explore', 'features', 'home', 'issues', 'join', 'login', 'logout', 'marketplace', 'new',
  'notifications', 'organizations', 'password_reset', 'pricing', 'pulls', 'readme',
  'resources', 'search', 'security', 'sessions', 'settings', 'signup', 'site', 'solutions',
  'sponsors', 'stars', 'team', 'topics', 'trending', 'watching',
];

// Large fediverse instances known without a crawl (the service also learns hosts that
// answer NodeInfo; the extension cannot, so elsewhere `/@user` stays a domain key locally).
export const FEDIVERSE_INSTANCES = [
  'mastodon.social', 'mastodon.online', 'mstdn.social', 'fosstodon.org', 'hachyderm.io',
  'infosec.exchange', 'mas.to', 'techhub.social', 'mastodon.world', 'mastodon.art',
  'mstdn.jp', 'pawoo.net', 'mastodon.cloud', 'chaos.social', 'social.vivaldi.net',
  'troet.cafe', 'universeodon.com', 'mastodon.green', 'ioc.exchange', 'aus.social',
  'mastodonapp.uk', 'mindly.social', 'sfba.social', 'toot.community', 'floss.social',
  'kolektiva.social', 'social.coop', 'mathstodon.xyz', 'tech.lgbt', 'masto.ai',
];

function fediverseKey(segments, host) {
  const [first, second] = segments;
  let account = null;
  if (first?.startsWith('@') && first.length > 1) account = first.slice(1);
  else if (lower(first ?? '') === 'users' && second) account = second;
  if (!account) return null;
  // `/@bob@other.host` is a remote account shown on this instance: it belongs to other.host.
  const [user, ...domain] = account.split('@');
  if (!user) return null;
  return `mastodon:${lower(user)}@${lower(domain.length ? domain.join('@') : host)}`;
}

function youtubeKey(segments, host) {
  const [first, second] = segments;
  if (host === 'youtu.be') return first ? NEEDS_CRAWL : null;
  if (first === undefined) return null;
  if (first === 'channel' && second) return `youtube:${second}`; // channel ids keep their case
  if (first.startsWith('@') && first.length > 1) return `youtube:${lower(first)}`;
  if (['watch', 'shorts', 'live', 'embed', 'v', 'c', 'user'].includes(lower(first))) {
    return NEEDS_CRAWL;
  }
  return null;
}

function vimeoKey(segments) {
  const [first] = segments;
  if (first === undefined) return null;
  if (/^\d+$/.test(first)) return NEEDS_CRAWL;
  if (['channels', 'groups', 'video', 'showcase', 'album'].includes(lower(first))) {
    return segments.some((s) => /^\d+$/.test(s)) ? NEEDS_CRAWL : null;
  }
  return undefined;
}

export const PLATFORMS = [
  pathPlatform('github', ['github.com'], {
    reserved: GITHUB_RESERVED,
    prefixes: ['orgs', 'users'],
    custom: (segments) =>
      lower(segments[0] ?? '') === 'sponsors' && segments[1] && segments[1] !== 'explore'
        ? `github:${lower(segments[1])}`
        : undefined,
  }),
  pathPlatform('github', ['gist.github.com', 'raw.githubusercontent.com'], {
    reserved: ['discover', 'search', 'starred', 'auth', 'login', 'mine', 'forked'],
  }),
  subdomainPlatform('github', ['github.io']),
  pathPlatform('gitlab', ['gitlab.com'], {
    reserved: ['explore', 'users', 'help', 'dashboard', '-', 'search', 'admin', 'api',
      'projects', 'snippets', 'profile', 'abuse_reports', 'pricing', 'sign_in', 'sign_up'],
    prefixes: ['groups'],
  }),
  subdomainPlatform('gitlab', ['gitlab.io']),
  pathPlatform('codeberg', ['codeberg.org'], {
    reserved: ['explore', 'user', 'about', 'repo', 'admin', 'api', 'notifications', 'issues',
      'pulls', 'milestones', 'assets', 'attachments', 'avatars', 'swagger', '-'],
    prefixes: ['org'],
  }),
  subdomainPlatform('codeberg', ['codeberg.page']),
  { namespace: 'youtube', matches: (h) => ['youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtu.be'].includes(h), key: youtubeKey },
  pathPlatform('twitter', ['twitter.com', 'x.com', 'mobile.twitter.com', 'mobile.x.com', 'm.twitter.com'], {
    reserved: ['home', 'explore', 'search', 'i', 'settings', 'intent', 'hashtag', 'login',
      'logout', 'signup', 'notifications', 'messages', 'compose', 'tos', 'privacy', 'share',
      'account', 'jobs', 'download'],
  }),
  { namespace: 'mastodon', matches: (h) => FEDIVERSE_INSTANCES.includes(h), key: fediverseKey },
  pathPlatform('bluesky', ['bsky.app'], {
    custom: (segments) =>
      lower(segments[0] ?? '') === 'profile' && segments[1] ? `bluesky:${lower(segments[1])}` : null,
  }),
  pathPlatform('twitch', ['twitch.tv', 'm.twitch.tv'], {
    reserved: ['directory', 'settings', 'p', 'downloads', 'jobs', 'turbo', 'search',
      'subscriptions', 'inventory', 'wallet', 'drops', 'friends', 'messages', 'prime', 'store',
      'products', 'bits', 'login', 'signup', 'videos', 'popout', 'moderator', 'team'],
    custom: (segments) => (lower(segments[0] ?? '') === 'videos' && segments[1] ? NEEDS_CRAWL : undefined),
  }),
  pathPlatform('reddit', ['reddit.com', 'old.reddit.com', 'new.reddit.com', 'np.reddit.com', 'm.reddit.com'], {
    custom: (segments) => {
      const [first, second] = segments;
      return ['user', 'u'].includes(lower(first ?? '')) && second ? `reddit:${lower(second)}` : null;
    },
  }),
  pathPlatform('medium', ['medium.com'], { atHandles: true, onlyAt: true }),
  subdomainPlatform('medium', ['medium.com'], ['help', 'policy', 'blog', 'api', 'cdn', 'm', 'link', 'go']),
  subdomainPlatform('substack', ['substack.com'], ['on', 'support', 'api', 'cdn', 'email', 'open', 'reader']),
  pathPlatform('devto', ['dev.to'], {
    reserved: ['t', 'top', 'search', 'settings', 'enter', 'about', 'faq', 'privacy', 'terms',
      'code-of-conduct', 'latest', 'new', 'dashboard', 'readinglist', 'listings', 'videos',
      'podcasts', 'tags', 'shop', 'api', 'notifications', 'signout_confirm', 'contact'],
  }),
  subdomainPlatform('bandcamp', ['bandcamp.com'], ['daily', 'blog', 'm', 'get']),
  pathPlatform('soundcloud', ['soundcloud.com', 'm.soundcloud.com'], {
    reserved: ['discover', 'search', 'upload', 'you', 'stream', 'charts', 'pages',
      'terms-of-use', 'settings', 'messages', 'notifications', 'signin', 'mobile', 'people',
      'tags', 'stations', 'feed', 'jobs', 'imprint', 'popular'],
  }),
  subdomainPlatform('wordpress', ['wordpress.com'], ['subscribe', 'public-api', 'developer', 'apps', 'jetpack', 'dashboard', 'en']),
  {
    namespace: 'blogger',
    matches: (h) => /(^|\.)[^.]+\.blogspot\.[a-z.]+$/.test(h) && !h.startsWith('blogspot.'),
    key: (_segments, host) => {
      const labels = host.split('.');
      const name = labels[labels.indexOf('blogspot') - 1];
      return name && name !== 'www' ? `blogger:${lower(name)}` : null;
    },
  },
  pathPlatform('vimeo', ['vimeo.com', 'player.vimeo.com'], {
    reserved: ['categories', 'watch', 'ondemand', 'features', 'upgrade', 'log_in', 'join',
      'search', 'blog', 'help', 'about', 'jobs', 'stock', 'create', 'manage', 'settings',
      'channels', 'groups', 'video', 'showcase', 'album', 'home', 'explore', 'pricing'],
    custom: vimeoKey,
  }),
];

function decodeSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The platform key a URL names: a key string, NEEDS_CRAWL, null when the page belongs to
 * the platform itself (its home page, a reserved path), or undefined when the host is not
 * a platform.
 */
export function platformKey(host, pathname) {
  const bare = host.startsWith('www.') ? host.slice(4) : host;
  const platform = PLATFORMS.find((p) => p.matches(bare));
  if (!platform) return undefined;
  const segments = pathname.split('/').filter(Boolean).map(decodeSegment);
  return platform.key(segments, bare);
}
