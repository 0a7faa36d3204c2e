"""The extension resolves keys locally (privacy mode) with the same rules as the service.

Runs the extension's `resolveLocally` under Node and the service's URL analysis on the same
URLs: same key, same "needs a crawl", same refusals. Also checks that the extension's
generated platform table is the one the service's adapters give today.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.support.service import ROOT

from registry_service.resolve import things

URLS = [
    "https://github.com/Alice",
    "https://github.com/alice/repo/issues/3",
    "https://gist.github.com/Alice/0123abcd",
    "https://gist.github.com/",
    "https://raw.githubusercontent.com/alice/repo/main/README.md",
    "https://raw.githubusercontent.com/",
    "https://alice.github.io/post",
    "https://www.alice.github.io/post",
    "https://github.com/orgs/Acme/repositories",
    "https://github.com/orgs/",
    "https://github.com/sponsors/bob",
    "https://github.com/sponsors",
    "https://github.com/users/bob/projects/1",
    "https://github.com/enterprise",
    "https://github.com/apps/dependabot",
    "https://github.com/collections/x",
    "https://github.com/trending",
    "https://github.com/marketplace/actions/x",
    "https://github.com/settings",
    "https://github.com/login/oauth",
    "https://github.com/",
    "https://gitlab.com/Group/project",
    "https://gitlab.com/groups/Foo",
    "https://gitlab.com/explore",
    "https://gitlab.com/users/sign_in",
    "https://gitlab.com/-/ide",
    "https://group.gitlab.io/project",
    "https://codeberg.org/Ann/repo",
    "https://codeberg.org/explore/repos",
    "https://codeberg.org/org/Acme",
    "https://codeberg.org/user/login",
    "https://ann.codeberg.page/",
    "https://www.youtube.com/channel/UCxYz_AbC",
    "https://youtube.com/@SomeHandle",
    "https://m.youtube.com/@SomeHandle/videos",
    "https://music.youtube.com/channel/UCabc",
    "https://www.youtube.com/watch?v=abc",
    "https://youtu.be/abc",
    "https://youtube.com/shorts/abc",
    "https://youtube.com/c/Name",
    "https://youtube.com/user/Name",
    "https://youtube.com/feed/trending",
    "https://youtube.com/",
    "https://twitter.com/Jack",
    "https://x.com/jack/status/20",
    "https://mobile.twitter.com/jack",
    "https://mobile.x.com/jack",
    "https://x.com/home",
    "https://x.com/i/flow/login",
    "https://x.com/hashtag/rust",
    "https://x.com/search?q=a",
    "https://x.com/settings",
    "https://x.com/intent/tweet",
    "https://x.com/explore",
    "https://x.com/notifications",
    "https://x.com/messages",
    "https://x.com/compose/post",
    "https://x.com/tos",
    "https://x.com/privacy",
    "https://mastodon.social/@Gargron",
    "https://mastodon.social/@Gargron/1123",
    "https://fosstodon.org/@ann",
    "https://hachyderm.io/@bob@example.social",
    "https://mastodon.social/users/Gargron/statuses/1",
    "https://mastodon.social/explore",
    "https://mastodon.social/",
    "https://mstdn.social/@x",
    "https://mas.to/@y",
    "https://infosec.exchange/@z",
    "https://techhub.social/@w",
    "https://mastodon.online/@v",
    "https://bsky.app/profile/Alice.bsky.social/post/3k",
    "https://bsky.app/profile/did:plc:abc123",
    "https://bsky.app/",
    "https://bsky.app/search",
    "https://www.twitch.tv/Streamer",
    "https://m.twitch.tv/Streamer",
    "https://twitch.tv/directory",
    "https://twitch.tv/settings/profile",
    "https://twitch.tv/p/en/about",
    "https://twitch.tv/videos/123",
    "https://twitch.tv/streamer/clip/abc",
    "https://clips.twitch.tv/abc",
    "https://www.reddit.com/user/Spez",
    "https://old.reddit.com/u/spez/comments",
    "https://new.reddit.com/user/x",
    "https://www.reddit.com/r/rust/",
    "https://reddit.com/",
    "https://medium.com/@writer/a-post-123",
    "https://writer.medium.com/a-post",
    "https://medium.com/some-publication/post",
    "https://medium.com/",
    "https://help.medium.com/x",
    "https://letters.substack.com/p/issue-1",
    "https://substack.com/@someone",
    "https://www.substack.com/",
    "https://on.substack.com/",
    "https://dev.to/ben/my-post",
    "https://dev.to/t/rust",
    "https://dev.to/",
    "https://artist.bandcamp.com/album/x",
    "https://bandcamp.com/discover",
    "https://daily.bandcamp.com/x",
    "https://soundcloud.com/someone/track",
    "https://soundcloud.com/discover",
    "https://soundcloud.com/",
    "https://m.soundcloud.com/someone",
    "https://mysite.wordpress.com/2024/01/post/",
    "https://wordpress.com/",
    "https://en.wordpress.com/x",
    "https://myblog.blogspot.com/2020/01/x.html",
    "https://myblog.blogspot.fr/",
    "https://myblog.blogspot.co.uk/",
    "https://www.blogger.com/",
    "https://vimeo.com/someuser",
    "https://vimeo.com/123456",
    "https://vimeo.com/channels/staffpicks/123",
    "https://vimeo.com/channels/staffpicks",
    "https://player.vimeo.com/video/123",
    "https://vimeo.com/",
    "https://blog.example.org/post",
    "https://www.bbc.co.uk/news",
    "https://shop.example.com.au/item",
    "https://someapp.herokuapp.com/",
    "https://www.someapp.herokuapp.com/",
    "https://xn--mller-kva.de/",
    "https://müller.de/",
    "https://a.b.c.example.org/x",
    "https://WWW.EXAMPLE.ORG/",
    "https://example.org./x",
    "https://user.tumblr.com/post/1",
    "https://itch.io/",
    "https://someone.itch.io/game",
    "https://git.sr.ht/~alice/repo",
    "https://sr.ht/~alice/",
    "https://www.github.com/alice",
    "https://githubusercontent.com/x",
    "https://foo.github.io",
    "https://www.kawasaki.jp/",
    "https://city.kawasaki.jp/",
    "https://x.city.kawasaki.jp/",
    "https://a.b.kawasaki.jp/",
    "https://example.co.uk/",
    "https://x.appspot.com/",
    "https://s3.amazonaws.com/bucket/x",
    "https://bucket.s3.amazonaws.com/x",
    "https://x.pages.dev/",
    "https://x.netlify.app/",
    "https://x.vercel.app/",
    "https://medium.com/@",
    "https://github.com/%41lice",
    "https://x.com/@jack",
    "https://bsky.app/profile/",
    "https://reddit.com/user/",
    "https://mastodon.social/@",
    "https://www.github.io/",
    "https://www.blogspot.com/",
    "https://www.uk.com/",
    "https://shop.uk.com/",
    "https://www.herokuapp.com/",
    "https://www.youtu.be/",
    "https://youtube-nocookie.com/embed/abc",
    "https://www.example.co.uk./a",
    "https://a.b.example.github.io/",
    "https://twitter.com/i",
    "https://codeberg.page/",
]

NODE_SCRIPT = """
import { resolveLocally } from './src/shared/keys.js';
const out = {};
for (const url of JSON.parse(process.argv[1])) {
  try {
    const r = resolveLocally(url);
    out[url] = { key: r.pending ? null : r.key, pending: r.pending };
  } catch (error) {
    out[url] = { error: error.reason ?? String(error) };
  }
}
console.log(JSON.stringify(out));
"""


def service_view(url: str) -> dict:
    try:
        thing = things.analyse(url)
    except Exception as exc:  # InvalidUrl: the service refuses the URL
        return {"error": type(exc).__name__}
    match = thing.platform
    if match is not None and match.needs_crawl:
        return {"key": None, "pending": True}
    return {"key": match.key if match and match.key else thing.domain_key, "pending": False}


@pytest.fixture(scope="module")
def extension_view() -> dict:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: run scripts/system-deps")
    done = subprocess.run(
        [node, "--input-type=module", "-e", NODE_SCRIPT, json.dumps(URLS)],
        cwd=ROOT / "extension",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("url", URLS)
def test_the_extension_and_the_service_agree(url, extension_view):
    ours, theirs = extension_view[url], service_view(url)
    if "error" in theirs:
        assert "error" in ours, f"the service refuses {url}, the extension gives {ours}"
    else:
        assert ours == theirs


def test_the_platform_table_is_generated_from_the_service_adapters(tmp_path):
    script = ROOT / "extension" / "scripts" / "build-platforms.py"
    committed = (ROOT / "extension" / "src" / "shared" / "platforms-data.js").read_text()
    done = subprocess.run(
        [sys.executable, str(script), "--stdout"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout == committed, (
        "the service's platform adapters changed: run "
        ".venv/bin/python extension/scripts/build-platforms.py"
    )
