from urllib.parse import urlsplit

from crawlers.platforms import github, nodeinfo
from tests.unit.crawlers import pages


def test_nodeinfo_document_and_software():
    href = nodeinfo.document_url(pages.NODEINFO_LINKS.encode(), "social.example.net")
    assert href == "https://social.example.net/nodeinfo/2.0"
    assert nodeinfo.software_of(pages.NODEINFO_DOC.encode()) == "mastodon"


def test_nodeinfo_prefers_the_newest_schema_on_the_same_host_only():
    links = b"""{"links": [
      {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": "https://h.example/2.0"},
      {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": "https://h.example/2.1"},
      {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.2", "href": "https://other.example/x"}
    ]}"""
    assert nodeinfo.document_url(links, "h.example") == "https://h.example/2.1"
    assert nodeinfo.document_url(b"garbage", "h.example") is None
    assert nodeinfo.software_of(b'{"software": {"name": "<script>"}}') is None


def test_account_paths():
    assert nodeinfo.account_of("/@alice") == "alice"
    assert nodeinfo.account_of("/@alice/1234") == "alice"
    assert nodeinfo.account_of("/about") is None


def test_github_repositories_and_their_funding_files():
    assert github.repository_of(urlsplit("https://github.com/octo/widget/issues/1")) == (
        "octo",
        "widget",
    )
    assert github.repository_of(urlsplit("https://github.com/features/actions")) is None
    assert github.repository_of(urlsplit("https://github.com/octo")) is None
    assert github.repository_of(urlsplit("https://gitlab.com/octo/widget")) is None
    urls = github.funding_file_urls("octo", "widget")
    assert urls[0] == "https://raw.githubusercontent.com/octo/widget/HEAD/.github/FUNDING.yml"
    assert "https://raw.githubusercontent.com/octo/.github/HEAD/FUNDING.yml" in urls
