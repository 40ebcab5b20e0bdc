"""Feature modules: each brings its REST routes (`api`) and its HTML pages (`pages`), calling its
service; `hoshin.app.create_app` includes them one by one (see docs/architecture.md)."""
