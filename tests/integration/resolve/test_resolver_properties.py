"""No input makes the database-backed resolver raise anything but `InvalidUrl`."""

import asyncio

from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st

from registry_service.clock import Clock
from registry_service.context import Context
from registry_service.resolve import InvalidUrl
from registry_service.resolve.resolver import Resolution, Resolver
from registry_service.store.database import open_client
from tests.unit.resolve.test_properties import url_like

inputs = st.lists(st.one_of(url_like(), st.text(max_size=80)), min_size=1, max_size=25)


@examples(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=inputs)
def test_resolve_and_resolve_many_only_raise_invalid_url(settings, batch):
    async def check() -> None:
        client = open_client(settings.mongodb_uri)
        context = Context(settings, Clock(), client, client[settings.db_name])
        resolver = Resolver(context)
        try:
            results = await resolver.resolve_many(batch, crawl=True)
            assert len(results) == len(batch)
            for raw, result in zip(batch, results, strict=True):
                assert isinstance(result, Resolution | InvalidUrl)
                try:
                    single = await resolver.resolve(raw)
                except InvalidUrl:
                    assert isinstance(result, InvalidUrl)
                else:
                    assert single.keys == result.keys and single.key == single.keys[0]
        finally:
            await client.close()

    asyncio.run(check())
