"""Configuration from the environment: each bad value names its variable and why."""

from __future__ import annotations

import pytest

from registry_service.config import ConfigError, load_settings

TEST = {"OMNIFLATTR_ENV": "test"}


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"OMNIFLATTR_PORT": "８０８０"}, "OMNIFLATTR_PORT"),  # not ASCII digits
        ({"OMNIFLATTR_PORT": "8_080"}, "OMNIFLATTR_PORT"),
        ({"OMNIFLATTR_PORT": "70000"}, "OMNIFLATTR_PORT"),
        ({"MONGODB_URI": "mongodb://h:port/"}, "MONGODB_URI"),
        ({"MONGODB_URI": "mongodb://"}, "MONGODB_URI"),
        ({"MONGODB_URI": "postgres://x"}, "MONGODB_URI"),
        ({"OMNIFLATTR_DB_NAME": "a.b"}, "OMNIFLATTR_DB_NAME"),
        ({"OMNIFLATTR_DB_NAME": "a/b"}, "OMNIFLATTR_DB_NAME"),
        ({"OMNIFLATTR_DB_NAME": "x" * 64}, "OMNIFLATTR_DB_NAME"),
        ({**TEST, "OMNIFLATTR_CRAWL_HOST_MAP": "a.org=10.0.0.5:80"}, "OMNIFLATTR_CRAWL_HOST_MAP"),
        (
            {**TEST, "OMNIFLATTR_CRAWL_HOST_MAP": "a.org=169.254.169.254:80"},
            "OMNIFLATTR_CRAWL_HOST_MAP",
        ),
        ({**TEST, "OMNIFLATTR_CRAWL_HOST_MAP": "a.org=localhost:80"}, "OMNIFLATTR_CRAWL_HOST_MAP"),
        ({"OMNIFLATTR_CRAWL_HOST_MAP": "a.org=127.0.0.1:80"}, "OMNIFLATTR_CRAWL_HOST_MAP"),
    ],
)
def test_bad_values_name_their_variable(env, variable):
    with pytest.raises(ConfigError) as err:
        load_settings(env)
    assert str(err.value).startswith(variable + ":")


def test_good_values():
    settings = load_settings(
        {
            **TEST,
            "OMNIFLATTR_PORT": "8081",
            "MONGODB_URI": "mongodb://db1:27017,db2:27017/?replicaSet=rs0",
            "OMNIFLATTR_DB_NAME": "omniflattr_staging-2",
            "OMNIFLATTR_CRAWL_HOST_MAP": "Müller.DE=127.0.0.1:8001,b.org=[::1]:9",
        }
    )
    assert settings.port == 8081 and settings.db_name == "omniflattr_staging-2"
    assert settings.crawl_host_map == {"xn--mller-kva.de": ("127.0.0.1", 8001), "b.org": ("::1", 9)}


def test_trusted_proxies_are_checked():
    with pytest.raises(ConfigError) as err:
        load_settings({"OMNIFLATTR_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"})
    assert str(err.value).startswith("OMNIFLATTR_TRUSTED_PROXIES:")
    assert load_settings({"OMNIFLATTR_TRUSTED_PROXIES": "10.0.0.0/8, ::1"}).trusted_proxies
