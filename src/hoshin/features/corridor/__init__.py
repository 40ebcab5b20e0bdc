"""The innovation corridor (ideas): everything a reviewer does with ideas, over REST and as pages.

- `ideas.py`: the inbox (`GET /api/v1/ideas`, /ideas), submitting and editing an idea, a reviewer's
  tier override and funnel status, the corridor preview.
- `review.py`: similar ideas, duplicate groups with merge and undo, the corridor chart, teaching
  the corridor with labelled examples, and export of each view.

The use cases are in `hoshin.service.corridor` (and its neighbours `corridor_*`, `duplicates`);
the batch command `hoshin corridor triage` is in `hoshin.cli.corridor`.
"""

from hoshin.features.corridor import ideas, review

__all__ = ["ideas", "review"]
