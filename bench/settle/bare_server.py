"""The baseline for the flattr benchmark: an aiohttp handler doing one raw insert."""

from __future__ import annotations

import sys

from aiohttp import web
from pymongo import AsyncMongoClient


def main() -> None:
    uri, db_name, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    client = AsyncMongoClient(uri, tz_aware=True)
    collection = client[db_name].bare_flattrs

    async def flattr(request: web.Request) -> web.Response:
        body = await request.json()
        doc = {
            "url": body["url"],
            "weight": body.get("weight", 1),
            "token": request.headers.get("Authorization", ""),
        }
        result = await collection.insert_one(doc)
        return web.json_response({"id": str(result.inserted_id)}, status=201)

    app = web.Application()
    app.router.add_post("/api/v1/flattrs", flattr)
    app.router.add_get("/readyz", lambda request: web.json_response({"status": "ready"}))
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


if __name__ == "__main__":
    main()
