"""Ways to prove control of a domain: DNS TXT, an HTTPS file, a home-page meta tag."""
