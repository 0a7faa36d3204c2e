# ruff: noqa: E501  (fixture pages keep their real, long lines)
"""Realistic fixture pages (what these sites publish, trimmed), shared by unit and
integration tests. `{service}` stands for this service's base URL."""

from __future__ import annotations

CHANNEL_ID = "UCuAXFkgsw1L7xaCfnd5JJOw"
OTHER_CHANNEL = "UCBR8-60-B28hp2BmDPdntcQ"

BLOG_POST = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Hello, world — Alice's notes</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="canonical" href="https://blog.example.org/posts/hello">
  <meta name="omniflattr:creator" content="alice">
  <meta name="omniflattr:creator" content="@Bob">
  <link rel="payment" href="{service}/@alice" title="Support Alice">
  <link rel="payment" href="https://liberapay.com/alice/donate">
  <meta name="flattr:id" content="alice_old">
  <link rel="payment" href="https://flattr.com/submit/auto?user_id=alice_old&amp;url=https%3A%2F%2Fblog.example.org">
  <link rel="me" href="https://social.example.net/@alice">
  <link rel="ME author" href="https://github.com/alice">
  <meta name="fediverse:creator" content="@alice@social.example.net">
  <meta name="author" content="Alice Liddell">
  <meta property="article:author" content="https://blog.example.org/about">
  <meta name="twitter:creator" content="@alice">
  <link rel="author" href="/about">
  <link rel="monetization" href="https://wallet.example.com/alice">
  <link rel="alternate" type="application/rss+xml" title="Alice's notes" href="/feed.xml">
  <script type="application/ld+json">
  {{"@context": "https://schema.org", "@type": "BlogPosting", "headline": "Hello, world",
   "author": {{"@type": "Person", "name": "Alice Liddell", "url": "https://blog.example.org/about",
              "sameAs": ["https://social.example.net/@alice", "https://github.com/alice"]}},
   "publisher": {{"@type": "Organization", "name": "Alice's notes", "url": "https://blog.example.org/"}}}}
  </script>
  <style>body {{ font-family: serif; }}</style>
</head>
<body>
  <article><h1>Hello, world</h1><p>First post.</p></article>
  <section class="comments">
    <p>Great post! <a rel="me" href="https://evil.example.com/@mallory">me</a></p>
    <meta name="omniflattr:creator" content="mallory">
    <link rel="payment" href="{service}/@mallory">
  </section>
</body>
</html>
"""

BLOG_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:podcast="https://podcastindex.org/namespace/1.0">
  <channel>
    <title>Alice's notes</title>
    <link>https://blog.example.org/</link>
    <itunes:author>Alice Liddell</itunes:author>
    <itunes:owner><itunes:name>Alice L.</itunes:name><itunes:email>a@example.org</itunes:email></itunes:owner>
    <podcast:funding url="https://liberapay.com/alice">Support the show</podcast:funding>
    <item><title>Hello, world</title><dc:creator>Alice Liddell</dc:creator>
      <link>https://blog.example.org/posts/hello</link></item>
  </channel>
</rss>
"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Bob's log</title>
  <author><name>Bob Builder</name><uri>https://bob.example.org/</uri></author>
  <entry><title>One</title><author><name>Carol</name></author></entry>
</feed>
"""

FUNDING_JSON = """{
  "version": "v1.0.0",
  "entity": {"type": "individual", "role": "owner", "name": "Alice Liddell",
             "email": "alice@example.org", "webpageUrl": {"url": "https://blog.example.org"}},
  "projects": [],
  "funding": {
    "channels": [
      {"guid": "bank", "type": "bank", "address": "", "description": "Bank transfer"},
      {"guid": "lp", "type": "payment-provider", "address": "https://liberapay.com/alice"}
    ],
    "plans": []
  }
}
"""

YOUTUBE_WATCH = f"""<!DOCTYPE html><html style="font-size: 10px" lang="en"><head>
<meta http-equiv="origin-trial" content="AAAA">
<title>Rick Astley - Never Gonna Give You Up (Official Video) - YouTube</title>
<meta name="title" content="Rick Astley - Never Gonna Give You Up (Official Video)">
<meta name="description" content="The official video for Never Gonna Give You Up">
<link rel="canonical" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">
<meta property="og:site_name" content="YouTube">
<meta property="og:url" content="https://www.youtube.com/watch?v=dQw4w9WgXcQ">
<meta property="og:type" content="video.other">
<script nonce="x">var ytcfg = {{"INNERTUBE_CONTEXT_CLIENT_NAME": 1}};</script>
</head><body dir="ltr">
<div id="watch7-content" class="watch-main-col" itemscope itemid="" itemtype="http://schema.org/VideoObject">
<link itemprop="url" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">
<meta itemprop="name" content="Rick Astley - Never Gonna Give You Up (Official Video)">
<meta itemprop="duration" content="PT3M33S">
<span itemprop="author" itemscope itemtype="http://schema.org/Person"><link itemprop="url" href="http://www.youtube.com/@RickAstleyYT"><link itemprop="name" content="Rick Astley"></span>
<meta itemprop="channelId" content="{CHANNEL_ID}">
<meta itemprop="videoId" content="dQw4w9WgXcQ">
</div>
<script nonce="x">var ytInitialData = {{"contents": {{"secondaryResults": [
 {{"compactVideoRenderer": {{"videoId": "xyz", "channelId": "{OTHER_CHANNEL}"}}}}]}}}};</script>
<script nonce="x">var ytInitialPlayerResponse = {{"videoDetails": {{"videoId": "dQw4w9WgXcQ",
 "title": "Never Gonna Give You Up", "lengthSeconds": "213", "keywords": ["rick"],
 "channelId": "{CHANNEL_ID}", "author": "Rick Astley"}}, "microformat": {{"playerMicroformatRenderer":
 {{"ownerProfileUrl": "http://www.youtube.com/@RickAstleyYT", "externalChannelId": "{CHANNEL_ID}"}}}}}};</script>
</body></html>
"""

YOUTUBE_HANDLE = f"""<!DOCTYPE html><html lang="en"><head>
<title>Rick Astley - YouTube</title>
<link rel="canonical" href="https://www.youtube.com/channel/{CHANNEL_ID}">
<meta property="og:title" content="Rick Astley">
<meta property="og:url" content="https://www.youtube.com/channel/{CHANNEL_ID}">
<meta name="description" content="Never gonna give you up.">
</head><body>
<div itemscope itemtype="http://schema.org/Person"><meta itemprop="identifier" content="{CHANNEL_ID}">
<link itemprop="url" href="http://www.youtube.com/@RickAstleyYT"></div>
<script>var ytInitialData = {{"metadata": {{"channelMetadataRenderer": {{"title": "Rick Astley",
 "externalId": "{CHANNEL_ID}", "vanityChannelUrl": "http://www.youtube.com/@RickAstleyYT"}}}}}};</script>
</body></html>
"""

VIMEO_VIDEO = """<!DOCTYPE html><html lang="en"><head>
<meta charset="utf-8"><title>The Mountain on Vimeo</title>
<link rel="canonical" href="https://vimeo.com/22439234">
<meta property="og:site_name" content="Vimeo">
<meta property="og:type" content="video.other">
<script type="application/ld+json">
[{"@context": "http://schema.org", "@type": "VideoObject", "name": "The Mountain",
  "url": "https://vimeo.com/22439234", "duration": "PT00H03M10S",
  "author": {"@type": "Person", "name": "TSO Photography", "url": "https://vimeo.com/terjes"}},
 {"@context": "http://schema.org", "@type": "BreadcrumbList", "itemListElement": []}]
</script>
</head><body><div id="player"></div></body></html>
"""

TWITCH_VIDEO = """<!DOCTYPE html><html lang="en"><head>
<meta charset="utf-8"><title>Twitch</title>
<meta property="og:site_name" content="Twitch">
<meta property="og:title" content="Late night ranked - shroud on Twitch">
<meta property="og:url" content="https://www.twitch.tv/videos/1234567890">
<script type="application/ld+json">{"@context": "http://schema.org", "@graph": [
 {"@type": "VideoObject", "name": "Late night ranked", "uploadDate": "2026-01-01T00:00:00Z",
  "publisher": {"@type": "Organization", "name": "Twitch", "url": "https://www.twitch.tv/videos"},
  "author": {"@type": "Person", "name": "shroud", "url": "https://www.twitch.tv/shroud"}}]}</script>
</head><body><div id="root"></div></body></html>
"""

MASTODON_PROFILE = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Alice (@alice@social.example.net) - Example Social</title>
<meta content="Alice" property="og:title">
<meta content="profile" property="og:type">
<meta content="https://social.example.net/@alice" property="og:url">
<link href="https://blog.example.org/" rel="me">
<link href="https://social.example.net/users/alice" rel="alternate" type="application/activity+json">
</head><body><div id="mastodon"></div></body></html>
"""

NODEINFO_LINKS = """{"links": [
 {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
  "href": "https://social.example.net/nodeinfo/2.0"}]}"""

NODEINFO_DOC = """{"version": "2.0", "software": {"name": "mastodon", "version": "4.3.0"},
 "protocols": ["activitypub"], "usage": {"users": {"total": 12}}, "openRegistrations": false}"""

GITHUB_REPO = """<!DOCTYPE html><html lang="en" data-color-mode="auto"><head>
<meta charset="utf-8">
<title>GitHub - octo/widget: Widgets for everyone</title>
<meta name="description" content="Widgets for everyone.">
<meta property="og:url" content="https://github.com/octo/widget">
<meta name="octolytics-dimension-repository_nwo" content="octo/widget">
<link rel="canonical" href="https://github.com/octo/widget">
</head><body><main><h1>widget</h1></main></body></html>
"""

FUNDING_YML = """# These are supported funding model platforms
github: [octo, hubot]
patreon: octo
open_collective: widget
ko_fi: # empty entries are fine
liberapay: octo
custom: ["https://paypal.me/octo", octo.example.org/donate]
"""

HOME_PAGE = """<!doctype html><html><head><title>Home</title>
<meta name="omniflattr:creator" content="alice"></head><body>Welcome</body></html>"""


def blog_post(service: str) -> str:
    return BLOG_POST.format(service=service)
