from .support import database_url, org  # noqa: F401  (fixtures shared with tests/web)
