from urllib.parse import urlsplit

import pytest

from crawlers.platforms import platform_for
from crawlers.platforms.youtube import channel_id_of
from tests.unit.crawlers import pages


def extract(url: str, html: str):
    platform = platform_for(urlsplit(url))
    assert platform is not None and platform.name == "youtube"
    return platform.extract(html.encode(), urlsplit(url))


def test_a_video_gives_its_owners_channel_not_a_recommended_one():
    found = extract("https://www.youtube.com/watch?v=dQw4w9WgXcQ", pages.YOUTUBE_WATCH)
    assert found.platform_key == f"youtube:{pages.CHANNEL_ID}"
    assert found.aliases == {"youtube:@rickastleyyt": f"youtube:{pages.CHANNEL_ID}"}


def test_a_video_without_microdata_falls_back_to_the_player_data():
    html = pages.YOUTUBE_WATCH.replace('itemprop="channelId"', 'itemprop="other"')
    html = html.replace('itemprop="url" href="http://www.youtube.com/@', 'itemprop="x" href="')
    assert channel_id_of(html, video=True) == pages.CHANNEL_ID


def test_a_handle_page_gives_the_channel_id_and_an_alias():
    found = extract("https://www.youtube.com/@RickAstleyYT/videos", pages.YOUTUBE_HANDLE)
    assert found.platform_key == f"youtube:{pages.CHANNEL_ID}"
    assert found.aliases == {"youtube:@rickastleyyt": f"youtube:{pages.CHANNEL_ID}"}


def test_a_page_without_a_channel_id_says_nothing():
    found = extract("https://www.youtube.com/watch?v=x", "<html><head></head></html>")
    assert found.platform_key is None and found.aliases == {}


@pytest.mark.parametrize(
    "url",
    [
        "https://youtu.be/dQw4w9WgXcQ",
        "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/abcdefghijk",
        "https://youtube.com/@someone",
    ],
)
def test_which_youtube_pages_need_a_crawl(url):
    assert platform_for(urlsplit(url)) is not None


def test_channel_ids_must_have_the_right_shape():
    html = '<meta itemprop="channelId" content="UCtooShort">'
    assert channel_id_of(html, video=True) is None
