import base64

from registry_service.claims.tokens import contains_token, looks_like_token, new_token


def test_tokens_are_160_bit_base32_without_padding():
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        assert len(token) == 32 and "=" not in token and looks_like_token(token)
        assert len(base64.b32decode(token)) == 20


def test_contains_token_matches_whole_words_in_any_case():
    token = new_token()
    assert contains_token(f"bio text {token}.", token)
    assert contains_token(f"<p>{token.lower()}</p>", token)
    assert not contains_token(f"X{token}", token)
    assert not contains_token(f"{token}7", token)
    assert not contains_token(token[:-1], token)
