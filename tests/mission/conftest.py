"""Mission tests over the demo organisation: `fresh_demo` (a new copy per test, hashing embedder)
is the brand tests' fixture (tests/brand/conftest.py)."""

from brand.conftest import fresh_demo  # noqa: F401  (the fixture, shared with tests/brand)
