"""Server-rendered pages for funders, creators, the public and admins."""
