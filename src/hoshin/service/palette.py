"""One colour per chart series, the same on the dashboard pages and in the board report.

The colours are Okabe-Ito's, which people with the common colour-vision deficiencies tell apart and
which stay apart in greyscale print. Every series that can stand next to another has a colour of
its own: the unit bars and the idea trend line used to be the same blue, in the report and on the
page, so a reader could not tell from colour alone which chart a key belonged to.
"""

from __future__ import annotations

__all__ = ["OKABE_ITO", "SERIES_COLOURS", "TIER_COLOURS"]

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
TIER_COLOURS = {"core": "#009E73", "adjacent": "#E69F00", "off": "#D55E00"}
SERIES_COLOURS = {"units": "#0072B2", "trend": "#CC79A7", **TIER_COLOURS}
