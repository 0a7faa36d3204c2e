from urllib.parse import urlsplit

from crawlers.platforms import platform_for
from crawlers.platforms.video_sites import TWITCH, VIMEO
from tests.unit.crawlers import pages


def test_vimeo_video_owner_from_json_ld():
    url = urlsplit("https://vimeo.com/22439234")
    assert platform_for(url) is VIMEO
    assert VIMEO.extract(pages.VIMEO_VIDEO.encode(), url).platform_key == "vimeo:terjes"


def test_vimeo_owner_from_the_player_config_when_no_json_ld():
    html = (
        b"<script>window.vimeo.clip_page_config = "
        b'{"owner":{"id":1,"url":"https:\\/\\/vimeo.com\\/alice"}}</script>'
    )
    assert VIMEO.extract(html, urlsplit("https://vimeo.com/1")).platform_key == "vimeo:alice"


def test_twitch_video_owner_not_the_publisher():
    url = urlsplit("https://www.twitch.tv/videos/1234567890")
    assert platform_for(url) is TWITCH
    assert TWITCH.extract(pages.TWITCH_VIDEO.encode(), url).platform_key == "twitch:shroud"


def test_profile_urls_that_are_platform_pages_are_not_owners():
    assert VIMEO.owner_from_url("https://vimeo.com/channels") is None
    assert VIMEO.owner_from_url("https://vimeo.com/12345") is None
    assert TWITCH.owner_from_url("https://www.twitch.tv/directory") is None
    assert TWITCH.owner_from_url("https://evil.example/shroud") is None


def test_channel_pages_need_no_crawl():
    assert platform_for(urlsplit("https://www.twitch.tv/shroud")) is None
    assert platform_for(urlsplit("https://vimeo.com/alice")) is None
