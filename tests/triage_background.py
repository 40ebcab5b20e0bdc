"""A small background of generic activities for triage tests with the hashing embedder: what a
mission's scores are calibrated against, short enough that the tests' own ideas decide the tiers."""

GENERIC_ACTIVITIES = [
    "Baking bread for local cafes",
    "Repairing bicycle gears",
    "Selling used cars",
    "Teaching piano to children",
    "Accounting services for small firms",
    "Growing tomatoes in greenhouses",
    "Printing wedding invitations",
    "Cleaning office buildings at night",
    "Brewing craft beer",
    "Designing websites for hotels",
    "Catering for weddings",
    "Translating legal contracts",
]
