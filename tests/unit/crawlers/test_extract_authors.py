from crawlers.extract import authors
from tests.unit.crawlers.helpers import page


def test_author_hints():
    found = authors.extract(
        page(
            '<meta name="author" content="Ann Author">'
            '<meta property="article:author" content="/people/ann">'
            '<meta name="twitter:creator" content="@ann">'
            '<link rel="author" href="https://blog.example.org/about">'
        )
    )
    assert found.hints == {
        "article_author": ["https://blog.example.org/people/ann"],
        "twitter_creator": ["@ann"],
        "author_name": ["Ann Author"],
        "author_link": ["https://blog.example.org/about"],
    }
    assert found.creators == []  # hints never pay
