"""The words the principles check reads by: concepts and their words, and the cues that reduce, skip,
defer, belittle, hide or accept the cost of what a principle protects.

Plain data, stemmed on load; `hoshin.domain.principles` does the reading.
"""

from __future__ import annotations

import re

from hoshin.domain.lexicon import cue_list, stem

__all__ = ["CONCEPTS", "CONCEPT_PROTOTYPES"]

# What else a sentence may name when it touches a protected value. Plain words; stemmed on load.
_CONCEPT_WORDS = {
    "safety": "safe, safety, test, tests, testing, check, checks, inspection, inspect, hazard, risk, "
    "pressure, "
    "certification, certified, accident, injury, protect, protection, guard, alarm, fire, recall, audit, "
    "helmet, harness, leak, fail-safe, unsafe, danger, dangerous, sign-off, verify, verified, "
    "calibrate, calibration, maintenance, durability, protective, emergency, warning, hygiene, "
    "contamination, expiry, rules, procedure, supervision, recalibrate, hat, hats, "
    "goggles, gloves, ppe",
    "quality": "quality, test, testing, inspection, inspect, check, defect, defects, durable, standard, "
    "standards, finish, materials, tolerance, rework, review, accuracy, accurate, error, errors, "
    "mistake, mistakes, verify, confirm, fact-check, proofread, fresh, durability, sign-off",
    "privacy": "privacy, data, personal, consent, track, tracking, cookies, share, profile, surveillance, "
    "advertisers, email, addresses, records, files, confidential, details, information, location, "
    "permission",
    "environment": "environment, planet, emissions, waste, recycling, energy, carbon, pollution, plastic, "
    "packaging, climate, water, diesel",
    "honesty": "honesty, honest, truth, disclose, disclosure, transparent, mislead, hide, lie, report, "
    "reporting, claims, advertising, tell, told, inform, explain, mention, results, fees, prices, terms, "
    "risks, figures",
    "people": "people, staff, employees, team, overtime, hours, wage, wages, pay, workload, health, "
    "wellbeing, breaks, shifts, holidays, contracts, rest, break, sleep, fatigue, stress, burnout, "
    "counselling, sick leave",
    "customers": "customers, customer, service, complaints, refund, refunds, support, clients",
    "fairness": "fair, fairness, wage, wages, price, prices, suppliers, farmers, pay, payments, paid, "
    "growers",
    "repair": "repair, repairs, repaired, repairable, spare, parts, technicians, manuals",
    "animals": "animal, animals, welfare, enclosure, enclosures, habitat, enrichment, yard, cage, cages, "
    "pen, pens, space, shelter, vet, pain, suffering, distress, comfort, quiet, retreat",
    # how people are treated face to face, and whether all of them alike (issue 21 item 4)
    "dignity": "dignity, respect, respectful, disrespect, courtesy, courteous, polite, politely, rude, "
    "rudely, kindness, patience, patient, humiliate, humiliating, insult, mock, embarrass, embarrassing",
    "equality": "equal, equally, same, fair, fairly, unfair, everyone, whoever, whatever, background, "
    "discriminate, discrimination, bias, biased, favour, favor, favouritism, exclude, excluded, "
    "priority, merit",
}
# One sentence per concept, for placing a principle's value among them by meaning.
CONCEPT_PROTOTYPES = {
    "safety": "keeping people safe from accidents, injury and harm",
    "quality": "quality, accuracy and careful, correct work",
    "privacy": "privacy and confidentiality of personal data and records",
    "environment": "protecting the environment, nature and the climate",
    "honesty": "honesty, telling the truth and disclosing the facts openly",
    "people": "the health, rest and wellbeing of the people in our care",
    "customers": "serving customers well and answering their complaints",
    "fairness": "paying fair prices and treating partners fairly",
    "repair": "repairing things so they last instead of replacing them",
    "dignity": "treating people with dignity, respect and courtesy",
    "equality": "treat everyone the same whoever they are, whatever background",
    "animals": "the welfare, health and comfort of the animals in our care",
}
CONCEPTS: dict[str, frozenset[str]] = {
    name: frozenset(stem(w.strip()) for w in words.split(",")) for name, words in _CONCEPT_WORDS.items()
}
SYNONYMS = {
    stem(w.strip()): concept
    for concept, words in _CONCEPT_WORDS.items()
    for w in (concept, *words.split(",")[:2])
}
SYNONYMS.update(
    {
        stem("life"): "safety",  # "risking a life", "lives come first"
        stem("lives"): "safety",
        stem("employees"): "people",
        stem("staff"): "people",
        stem("workers"): "people",
        stem("data"): "privacy",
        stem("planet"): "environment",
        stem("truth"): "honesty",
        stem("tested"): "quality",
        stem("patient"): "privacy",
        stem("accuracy"): "quality",
        stem("accurate"): "quality",
        stem("fresh"): "quality",
        stem("wellbeing"): "people",
        stem("well-being"): "people",
        stem("health"): "people",
        stem("rest"): "people",
        stem("confidential"): "privacy",
        stem("confidentiality"): "privacy",
        stem("records"): "privacy",
        stem("transparent"): "honesty",
        stem("truthful"): "honesty",
        stem("truthfully"): "honesty",
        # "the same treatment, whoever they are", "whatever their background": everyone alike
        stem("same"): "equality",
        stem("whoever"): "equality",
        stem("background"): "equality",
        stem("alike"): "equality",
        stem("transparency"): "honesty",
    }
)

REDUCE = cue_list(
    """cut, cuts, cutting, reduce, reduced, reducing, halve, in half, skip, skipping, drop, remove, eliminate,
    shorten, shrink, shrinks, shrank, fewer, less, loosen, relax, bypass, waive, scrap, stop, cancel,
    postpone, downgrade, trim,
    lower, weaken, ignore, abolish, outsource, instead of, no longer, without, only one,
    cancelled, canceled, scrapped, stopped, dropped, removed, halved, delay, delays, delayed, postpone,
    postponed, anymore, skipped, disable, disabled, switch off, switched off, turn off, turned off,
    suspend, suspended, defer, deferred, abandon, abandoned"""
)
# Give-up verbs whose object is given up whatever it is: with an object close in meaning to the value
# they break a principle without a motive ("skip the fridge temperature log"), unlike "cut" or "reduce",
# which as often act on a harm ("cut theft").
STRONG_GIVE_UP = frozenset(
    c.phrase
    for c in cue_list(
        """skip, skipping, skipped, bypass, waive, disable, disabled, switch off, switched off, turn off,
        turned off, ignore, suspend, suspended, postpone, postponed, defer, deferred, delay, delayed,
        abandon, abandoned, scrap, scrapped"""
    )
)
# Words that break a principle by themselves (a negated one keeps it: "no hidden fees"), by concept.
VIOLATE = {
    "honesty": cue_list(
        "hide, hid, hidden, conceal, concealed, mislead, misleading, lie, lied, cover up, small print, "
        "don't mention, do not mention, fake, withhold, withheld, omit, omitted, fine print, keep quiet, "
        "never told, never tell, not tell, didn't tell, did not tell, without telling, round down, "
        "rounded down, show only, only show, publish only, report only, only publish, only report, "
        "look better than, exaggerate, inflate, inflated, leave out, left out, bury, buried"
    ),
    "quality": cue_list("untested, rushing, rushed, sloppy, shoddy, cut corners, gone downhill"),
    "safety": cue_list("unsafe, untested, without harnesses, skip checks, cut corners"),
    "privacy": cue_list("share, sharing, track, tracking, sell, selling, without consent", 0.5)
    + cue_list(
        "shared, sold, pass on, passed on, pass, passed, hand over, handed over, give, gave, send, sent, "
        "email, emailed, post, posted, publish, published, out loud, aloud, in public, publicly, "
        "disclose, disclosed, expose, exposed, leak, leaked, browse, by default, tell, tells, told, reveal, "
        "reveals, revealed, shout, shouted, call out, called out",
        0.5,
    ),
    # Everyday words of contempt: they break a principle of respect only in a sentence about it.
    "dignity": cue_list(
        "mock, mocks, mocked, mocking, ridicule, ridiculed, laugh at, laughed at, laughing at, make fun of, "
        "made fun of, joke about, joked about, joking about, jokes about, shout at, shouted at, shouting at, "
        "shout, shouted, yell, yelled, yelling, insult, insulted, insulting, humiliate, humiliated, "
        "belittle, belittled, talk down to, talked down to, in front of everyone, in front of other, "
        "in front of the, rude, rudely, disrespect, disrespectful, embarrass, embarrassed, shame, shamed",
        0.5,
    ),
    # Treating some people worse for who they are: the words; principle_regard reads the shapes.
    "equality": cue_list(
        "discriminate, discriminated, discriminating, favour, favoured, favor, favored, favouritism, "
        "favoritism, exclude, excluded, excluding, shut out, bar, barred, blacklist, blacklisted",
        0.5,
    ),
}
# Weight 0.5 marks everyday words ("share") that break a principle only next to something it protects.
# Cues that carry their own negation: "isn't offered anymore" reduces, it is not a negated reduction.
SELF_NEGATED = frozenset({"anymore", "no longer"})
# A reduction counts only when what it reduces is protected: a protected word among the few words
# after the cue ("cut the test programme") or just before it ("checks will be skipped").
OBJECT_AFTER, OBJECT_BEFORE = 5, 3
# Dismissing what follows ("whatever the emissions") breaks a principle that protects it.
DISMISS = cue_list(
    "regardless of, whatever the, who cares about, never mind, no matter, don't bother with, "
    "do not bother with"
)
# Phrases where a reducing word means something else ("a power cut", "cut open a sample"); matched
# with the reducing cues so that, being longer, they hide the word inside them.
NOT_REDUCING = cue_list(
    "power cut, power is cut, cut open, cut off the power, stop the line, drop test, cuts power, cut power, "
    "cutting power, cuts the power, cut the power, cuts off"
)
BOUNDARY = frozenset(
    "during if when while before after so because then until unless whether which and".split()
)
PASSIVE = frozenset("is are was were be been being get gets got".split())
# Things a principle wants less of: cutting them keeps the principle, adding to them breaks it.
HARMS = frozenset(
    stem(w)
    for w in "emissions waste pollution plastic accidents injuries defects risk risks leaks complaints "
    "overtime workload shifts errors mistakes infections contamination breaches fraud fatigue stress "
    "burnout noise hazards dangers".split()
)
INCREASE = cue_list(
    """add, adding, extra, second, more, double, strengthen, improve, tighten, expand, introduce, extend,
    increase, upgrade, invest in, train, additional, every, each, always, new, stricter, better, audit"""
)
MOTIVE = cue_list(
    """ship sooner, sooner, faster, speed up, save money, save, savings, cost, costs, cheaper, budget,
    deadline, deadlines, on time, margin, margins, profit, profits, quicker, fast, cheap, cheapest,
    lower-priced, low-cost, money, spend, spending, price, price point, expensive, bill, fees, quickly,
    schedule, on schedule, late, rush, hurry, be first, beat, throughput, free up, more time, slow,
    slowing, revenue, sales, easier, simpler, hassle, annoying, annoys, inconvenient, effort, bother,
    tedious"""
)

# ---- the stance any field expresses (read only in sentences close to the principle) ----
# Something flawed in use: the principle gives way unless the flawed thing is being got rid of.
FLAWED = cue_list(
    """failed, fails, failing, not passed, uncertified, untested, unverified, unchecked, unlicensed,
    unqualified, expired, out of date, past its, past their, past the, broken, faulty, defective, damaged,
    worn out, wore out, wears out, unsafe, substandard, counterfeit, open defect"""
)
SELF_NEGATED_FLAWS = frozenset({"not passed"})
GET_RID = cue_list(
    """replace, replaced, replacing, reject, rejected, recall, recalled, ground, grounded, discard,
    discarded, throw out, threw out, thrown out, throw away, threw away, scrap, scrapped, taken off,
    take off, pulled, withdraw, withdrew, withdrawn, return, returned, fix, fixed, repair, repaired,
    quarantine, destroy, destroyed, never, refuse, refused, stop, stopped, cancel, cancelled"""
)
# The value dismissed: a luxury, not worth it, in the way, unnoticed if dropped.
BELITTLE = cue_list(
    """not worth, isn't worth, is not worth, waste of time, waste of money, luxury, overkill, red tape,
    slow us down, slows us down, slowing us down, holds us up, too expensive, too costly, costs too much,
    cost too much, too slow, too high, nobody can tell, no one can tell, nobody will notice,
    no one will notice, won't notice, will not notice, nobody will see, no one will see, nobody will know,
    no one will know, fewer people notice, nobody checks, no one checks,
    don't need, do not need, can't afford, cannot afford, can do without, nice to have, optional,
    more than it is worth, more than it's worth, not needed"""
)
NOT_BELITTLING = cue_list("not worth the risk, can't afford to, cannot afford to, don't need to worry")
# Checks and other deeds that deliver a value; negated ("will not be recalibrated", "never told her")
# they give it up, done after the fact ("check the quotes later") or after the act they should guard
# ("pour the slab before the engineer has inspected") they give it up too.
DEEDS = frozenset(
    stem(w)
    for w in """test tested testing check checked checking inspect inspected inspection verify verified
    confirm confirmed certify certified calibrate calibrated recalibrate recalibrated review reviewed audit
    audited approve approved sign-off fact-check tell told inform informed disclose disclosed explain
    explained consent agree agreed pay paid maintain maintained service serviced train
    trained certificate certification licence license permit""".split()
)
DEFER = cue_list(
    "later, afterwards, after the fact, at a later date, next time, some other time, can wait, wait until, "
    "until after"
)
AHEAD = cue_list("before, ahead of, prior to")
# The cost accepted for the value: "even if it costs us the slot", "we paid more", "at its own cost".
CONCEDE = cue_list(
    """even if, even though, even when, even with, even in, although, despite, whatever, at a cost,
    at the cost, at its own cost, at our own cost, at their own cost, at its own expense,
    at our own expense"""
)
LOSS = frozenset(
    stem(w)
    for w in """cost costs costing meant means mean lose lost loss fewer less late later slower longer
    delay delayed sale sales price money expense deadline peak busy""".split()
)
PAID_MORE = cue_list(
    """paid more, pay more, pays more, paying more, spend more, spent more, spending more, costs more,
    cost more, invest, invested, investing, at any cost, whatever it costs, whatever the cost"""
)
CONSENT = cue_list(
    """with consent, with their consent, with permission, only if they agree, only when they agree,
    asks before, ask before, asks first, ask first, opt in, opt-in, defaults to no"""
)
GIVE_UP = [c for c in REDUCE if c.phrase != "without"] + cue_list(
    """stretch, less often, less frequently, take down, took down, taken down, switch off, turn off,
    do away with, get rid of, anyway, regardless, thinner, weaker, lower grade, lower-grade, inferior,
    second-rate"""
)
# Pressing on with a flawed thing: "fly with the broken radar rather than cancel".
PRESS_ON = cue_list("rather than, anyway, regardless, still, even though, although, despite")
PERIL = frozenset(stem(w) for w in "risk risks danger dangerous unsafe harm hazard injury injuries".split())
HIDING_VERBS = frozenset(stem(w) for w in "hide conceal withhold omit bury cover lie mislead".split())
# A principle whose act is telling or showing ("We report results as they are", "Every ingredient is
# listed on the label") protects the truth of what it tells, whatever its words for it.
TELLING_VERBS = frozenset(
    stem(w)
    for w in "report reports disclose discloses list listed publish publishes tell say declare".split()
)
PURPOSE = frozenset("so to for until".split())
LINKS = frozenset("to and or with for".split())
NEGATING = frozenset("not no never without nobody none".split())
# Time pressure: a cut made "when the queue is long" or "on busy days" is made for speed.
PRESSURE = cue_list(
    "queue, busy, rush, peak, backlog, short-staffed, understaffed, behind schedule, waiting, in a hurry"
)
# Where the object of a cut ends: "the hand-washing step | between orders", "the side airbags | from".
OBJECT_END = frozenset("from in on at by between during across within".split())
PRONOUNS = frozenset("it them this that these those".split())
ABSENT = frozenset("no without lacks lacking".split())  # "has no certificate", not "not the people"
FORBID = re.compile(r"\b(?:never|not|no|don't|do not|won't|will not|refuse to)\s+(\w+)", re.IGNORECASE)
TRADE = re.compile(
    r"(?:trade|trades|sacrifice|sacrifices|compromise|compromises)\s+(?:on\s+)?(?P<protected>[\w\s'’-]+?)"
    r"\s+(?:for|to)\s+(?P<traded>[\w\s'’-]+)",
    re.IGNORECASE,
)
# "Drivers' rest is never traded for delivery speed": the passive says the same.
TRADED = re.compile(
    r"(?P<protected>[\w\s'’-]+?)\s+(?:is|are)\s+(?:never|not)\s+(?:traded|sacrificed|compromised)\s+"
    r"(?:for|to)\s+(?P<traded>[\w\s'’-]+)",
    re.IGNORECASE,
)
# "No production target justifies risking a miner's life": what comes first is ranked lower.
JUSTIFY = re.compile(
    r"\b(?:no|nothing|never)\s+(?:a\s+)?(?P<traded>[\w\s'’-]+?)\s+"
    r"(?:justifies|justify|is worth|warrants|excuses)\s+(?P<protected>[\w\s'’-]+)",
    re.IGNORECASE,
)
OVER = re.compile(
    r"(?P<protected>[\w\s'’-]+?)\s+(?:before|over|above|ahead of)\s+(?P<traded>[\w\s'’-]+)", re.IGNORECASE
)
# Light verbs in what is traded ("to keep to the schedule", "to save money"): the thing is the noun.
LIGHT = frozenset(stem(w) for w in "keep save make get stay meet hit be have reach win gain".split())
GENERIC = frozenset(
    stem(w)
    for w in "we always never value values principle principles our us trade sacrifice "
    "compromise come comes first matter matters everything ever put build builds make makes product "
    "products".split()
)
MOTIVE_WORDS = frozenset(c.phrase for c in MOTIVE)
