"""Reddit: reddit.com/user/{u} and /u/{u}; subreddits and posts are reddit.com's own."""

from registry_service.resolve.platforms.base import Platform, Rule


class Reddit(Platform):
    namespace = "reddit"
    label = "Reddit"
    hosts = ("reddit.com",)
    prefixes = ("old.", "new.", "np.", "m.", "i.")
    id_pattern = r"[a-z0-9_-]{3,20}"
    rules = (Rule("/user/{id}"), Rule("/u/{id}"))
    # /user/me is whoever is signed in, not an account.
    reserved = frozenset({"me"})
