"""The plain-language markers the rules read, and the finders of what a piece of text states: a frequency band, a
rate, a severity, a seriousness, an action. Every finder returns the words that say it, as a span, or None:
nothing said, nothing found (the dataset never guesses)."""

from __future__ import annotations

import re
from typing import NamedTuple

from pipeline.document import Span
from pipeline.extract.text import at

# --- what a heading, a lead-in or a sentence is about ----------------------------------------------------------

# Side effects and their kin (a heading about risks or reactions is a side-effects heading too).
SIDE_EFFECTS = re.compile(r"\b(?:side[- ]effects?|adverse\s+(?:effects?|events?|reactions?)|risks?|complications?|"
                          r"reactions?|cause\s+(?:any\s+)?problems)\b", re.IGNORECASE)
SIDE_EFFECT_WORDS = re.compile(r"\b(?:side[- ]effects?|adverse\s+(?:effects?|events?|reactions?))\b", re.IGNORECASE)
# A lead-in that says its list is what something causes: "Both treatments can cause:".
CAUSES_LIST = re.compile(r"\bcause[sd]?\s*:\s*$", re.IGNORECASE)
# A heading of effects that does not say "side effects" ("Other possible effects", "Long-term effects"): it says
# what the section is about only with the heading above it.
EFFECTS_ONLY = re.compile(r"\beffects\b|^(?:(?:rare|uncommon|common|serious|severe|other|possible|more|less)\b[\s,]*"
                          r"(?:(?:but|and|or)\s+)?)+(?:problems|issues)\s*$", re.IGNORECASE)
# A label that marks a notice, not a name: "Important: ...", "Note: ...".
NOTICE_LABEL = re.compile(r"^(?:important|note|please\s+note|(?:boxed\s+|black\s+box\s+)?warning|caution|tip|remember|"
                          r"attention)\s*$",
                          re.IGNORECASE)

# A lead-in that tells the reader what to do if they notice something introduces symptoms to watch for.
WATCH_FOR = re.compile(r"\b(?:if|when)\b[^:]*\b(?:you|they|a person|any)\b[^:]*\b(?:have|has|get|gets|notice|notices|"
                       r"experience|experiences|develop|develops|occur|occurs|see|feel)\b|\bif(?:\s+you|\s+they)?\s*:\s*$|"
                       r"\b(?:watch|look)\s+(?:out\s+)?for\b|\bsigns?\s+(?:of|include)\b|\bsymptoms?\b.*\binclude\b",
                       re.IGNORECASE)


# What a list is not, whatever its heading says: cautions, interactions, instructions, tips, overdose.
YOU_TAKE = r"\bif\s+(?:you\s+(?:also\s+)?|you[’']re\s+|you\s+are\s+)(?:take|taking|use|using)\b"
NOT_SIDE_EFFECTS = re.compile(r"\bbefore\b|" + YOU_TAKE + r"|\boverdose|\btoo\s+much\b|"
                              # "Ask whether it is safe for you if you have:"
                              r"\b(?:whether|if)\b[^.:;]{0,40}\bsafe\b|"
                              r"\binteract|\btips?\b|\bto\s+(?:reduce|prevent|avoid|ease|manage|cope|lower|limit)\b|"
                              r"\bhow\s+to\b|\bways?\s+to\b|\bshow\s+you\b|\byou\s+can\b|\btry\s+to\b|\btake\s+\w+\s+"
                              r"(?:tablets|capsules|with)\b|\bkey\s+(?:takeaways|facts|points)\b|\bcan\s+help\b",
                              re.IGNORECASE)

# A heading over tips ("How to reduce side effects"): its lists are advice, not side effects.
TIPS_HEADING = re.compile(r"\b(?:how\s+to|ways?\s+to|tips?|reduc\w*|prevent\w*|manag\w*|cop\w*|avoid\w*|lower\w*)\b",
                          re.IGNORECASE)

# A section about choosing between the approaches, and a lead-in to what the choice depends on.
# ("About this decision tool" is about the leaflet; "What matters most to you?" asks what to weigh)
CHOOSING = re.compile(r"\b(?:choos\w*|chose|decid\w*|decision(?!\s+(?:aids?|tools?)\b)|"
                      r"what\s+matters\s+(?:most\s+)?to\s+you|right\s+for|better\s+for|best\s+for|which\s+(?:is|one|"
                      r"treatment|option|medicine|drug)\b.*\b(?:best|better|right)|things\s+to\s+consider|consider\w*|"
                      r"factors?|compare\s+(?:your\s+|the\s+)?options|weigh(?:ing)?\s+(?:up\s+)?(?:your\s+)?options)\b",
                      re.IGNORECASE)
DEPENDS_ON = re.compile(r"\b(?:depends?\s+on|depending\s+on|based\s+on|factors?\s+(?:such\s+as|like|include|including)|"
                        r"(?:think|ask)\s+about|consider(?:s|ing|ed)?|weigh(?:s|ing|ed)?)\b[^:]*:\s*$", re.IGNORECASE)

# A section about uses ("Uses", "What conditions are treated with X?"), not about how to use it.
USES_HEADING = re.compile(r"\b(?:uses?|used\s+for|treats?|treated|treating|prescribed|conditions?|indications?|"
                          r"why\s+(?:it[’']?s|it\s+is|is\s+it|they[’']re|they\s+are|are\s+they)\s+(?:done|used|needed|"
                          r"given))\b",
                          re.IGNORECASE)
NOT_USES_HEADING = re.compile(r"^\s*how\b|\bside[- ]effects?\b|\binteract", re.IGNORECASE)

# What an approach is said to treat: the verbs and phrases that lead to the conditions.
USES_LEAD = re.compile(r"\b(?:used\s+(?:alone\s+|together\s+|on\s+its\s+own\s+)?(?:(?:mainly|mostly|usually|often|"
                       r"commonly|chiefly|primarily|largely|also|sometimes|most\s+often)\s+)?(?:to\s+(?:treat|prevent|manage|"
                       r"relieve|control)(?:\s+(?:or|and)\s+(?:treat|prevent|manage|relieve|control))?|for|in)|"
                       r"approved\s+(?:[^:.]*?\s)?(?:to\s+treat|for)|prescribed?\s+(?:it\s+|them\s+)?for|"
                       r"prescribes?\s+(?:[\w’'-]+\s+){1,4}?for(?=\s*:)|"
                       r"(?:recommends?|suggests?|offers?)\s+(?:[\w’'-]+\s+){1,4}?if\s+you\s+have(?=\s*:)|"
                       r"part\s+of\s+(?:the\s+)?treatment\s+for|can\s+(?:also\s+)?treat|(?:also\s+)?treats?|"
                       r"can\s+(?:also\s+)?(?:relieve|ease)|works?\s+(?:better|best|well)\s+for|"
                       r"(?:a|the)\s+(?:[\w-]+\s+)?choice\s+for|"
                       r"helps?\s+(?:with|treat|to\s+treat)|helpful\s+(?:for|with|in))\b", re.IGNORECASE)

# In a section about uses, an enumeration after these (``to treat A and B``, ``protects against A``).
_USE_VERBS = r"(?:treat|prevent|relieve|ease|manage|lower|control)"
USES_VERB = re.compile(rf"\bto\s+{_USE_VERBS}\b(?:\s+(?:and|or)\s+{_USE_VERBS}\b)?|\btreat(?:s|ing)?\b|"
                       r"\bprescribed?\s+(?:it|them)\s+for\b|\bused\s+for\b|\bprotects?\s+against\b", re.IGNORECASE)

# In a section about uses, the examples a sentence gives: "autoimmune diseases such as A, B and C".
SUCH_AS = re.compile(r",?\s+(?:including|such\s+as|like)\s+", re.IGNORECASE)

# Words that give a list to every approach, or to one alone.
# ("either of these" alone points at the items that follow: "if you have either of these after a session:")
# A paragraph that speaks of what comes after it: "the signs below", "in the following sections".
POINTS_AHEAD = re.compile(r"\b(?:below|following|as\s+follows)\b", re.IGNORECASE)
BOTH = re.compile(r"\b(?:both|whichever|either(?!\s+of\s+(?:these|those|the\s+following)\b(?!\s+(?:\w+\s+)?(?:drugs?|"
                  r"medicines?|medications?|treatments?|therap\w+|options?|approaches|procedures?|types?)\b))|"
                  r"each\s+(?:of\s+(?:them|these|the\s+\w+)|treatment|approach|option|medicine|"
                  r"drug|class)|all\s+(?:three|four|of\s+them|these))\b", re.IGNORECASE)
ONLY = re.compile(r"^\s*only\b", re.IGNORECASE)

# Kinds and members of an approach: "types of X include", "examples of X include", "X such as".
TYPES_OF = re.compile(r"\b(?:types?|kinds?|forms?|classes|categories|groups)\s+of\s+", re.IGNORECASE)
MEMBERS = re.compile(r"\b(?:include|includes|including|such\s+as|like|are)\b:?", re.IGNORECASE)
EXAMPLES_OF = re.compile(r"\bexamples?\s+of\s+", re.IGNORECASE)
# A subject before "include" that is not a group of medicines ("Medicines that may interact with X include").
NOT_MEMBERS = re.compile(r"\b(?:side[- ]effects?|symptoms?|conditions?|diseases?|problems?|risks?|complications?|"
                         r"reactions?|interact\w*|"
                         r"uses?|treat\w*|cause\w*|can|may|might|will|should|could|is|was|affect\w*|change\w*|"
                         r"absorb\w*|levels?|reduce\w*|lower\w*|signs?|are|were|been|be|infections?|cancers?|"
                         r"disorders?|illness\w*|syndromes?)\b", re.IGNORECASE)

# Brand names: a "Brand names" label or heading, "this version is called A".
BRAND_LEAD = re.compile(r"\bbrand(?:\s+names?)?\b", re.IGNORECASE)
CALLED = re.compile(r"\b(?:version|brand|form|product)\s+(?:is\s+)?(?:called|named|sold\s+as)\s+", re.IGNORECASE)

# A heading that asks (not a side effect's name), and a numbered heading ("1. Trouble sleeping").
QUESTION_START = re.compile(r"^\s*(?:what|which|how|why|when|who|where|is|are|can|do|does|should|will)\b",
                            re.IGNORECASE)
NUMBERED_HEADING = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")

# What an approach does to the immune response, as its sentence's verb says it.
IMMUNE = re.compile(r"\bimmun", re.IGNORECASE)
ENHANCE = re.compile(r"\b(?:enhanc\w*|boost\w*|strengthen\w*|stimulat\w*|activat\w*|amplif\w*|revs?\s+up|revving\s+up|"
                     r"switch(?:es|ing)?\s+on|turns?\s+on|turning\s+on|powers?\s+up|ramps?\s+up)", re.IGNORECASE)
SUPPRESS = re.compile(r"\b(?:suppress\w*|dampen\w*|inhibit\w*|lower\w*|reduc\w*|decreas\w*|weaken\w*|calm\w*|"
                      r"holds?\s+back|holding\s+back|tam(?:e|es|ing)\b|quiet\w*|turns?\s+down)", re.IGNORECASE)

# A sentence whose subject is the approach of the sentence before ("It can also cause ...").
PRONOUN_SUBJECT = re.compile(r"^(?:it|they|this\s+(?:medicine|medication|drug|treatment|therapy|approach)|these\s+"
                             r"(?:medicines|medications|drugs|treatments))\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:not|never|no|cannot|without)\s+(?:\w+\s+)?$|n[’']t\s+(?:\w+\s+)?$", re.IGNORECASE)

# --- what a text says of a side effect -------------------------------------------------------------------------

# The frequency bands, the longer phrase first ("very common" before "common", "uncommon" apart from it).
FREQUENCY = re.compile(
    r"\b(?P<very_common>very\s+common(?:ly)?|very\s+frequent(?:ly)?)\b|"
    r"\b(?P<very_rare>very\s+rare(?:ly)?)\b|"
    r"\b(?P<less_common>less\s+common(?:ly)?|less\s+often|less\s+frequent(?:ly)?)\b|"
    r"\b(?P<uncommon>uncommon(?:ly)?|infrequent(?:ly)?)\b|"
    r"\b(?P<rare>rare(?:ly)?|in\s+rare\s+cases)\b|"
    r"\b(?P<common>(?:more|most)\s+common(?:ly)?|common(?:ly)?|frequent(?:ly)?)\b",
    re.IGNORECASE)

# Rates: "7%", "5% to 10%", "more than 1 in 100", "2 to 3 in 100", "between 1 in 100 and 1 in 1,000", "about one
# in five".
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "a hundred": 100, "a thousand": 1000}
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|" \
          r"a\s+thousand)"
RATE = re.compile(
    r"(?:\b(?P<mod>more\s+than|over|at\s+least|greater\s+than|up\s+to|fewer\s+than|less\s+than|under|at\s+most|"
    r"about|around|approximately|roughly|nearly|almost|between)\s+)?"
    r"(?:(?P<p1>\d+(?:\.\d+)?)\s?%?\s*(?:to|-|–|and)\s*(?P<p2>\d+(?:\.\d+)?)\s?%|(?P<p>\d+(?:\.\d+)?)\s?%|"
    rf"\b(?P<r1>{_NUMBER})\s*(?:to|-|–)\s*(?P<r2>{_NUMBER})\s+(?:in|out\s+of)\s+(?P<rm>{_NUMBER})|"  # ("2 to 3 in 100")
    rf"\b(?P<n>{_NUMBER})\s+(?:in|out\s+of)\s+(?P<m>{_NUMBER})(?:\s+(?:and|to|-|–)\s+(?P<n2>{_NUMBER})\s+(?:in|out\s+of)\s+"
    rf"(?P<m2>{_NUMBER}))?)"
    r"(?!\w)", re.IGNORECASE)

# A table cell that marks its row as its column's (a side effect an approach has, a condition it treats).
MARK = re.compile(r"^\s*(?:✓|✔|☑|✅|✗|x|yes|y|•|●|\+|common|off[- ]label)\s*$", re.IGNORECASE)
CHECK = re.compile(r"^\s*(?:✓|✔|☑|✅)\s*$")
CROSS = re.compile(r"^\s*(?:✗|✘|x|×)\s*$", re.IGNORECASE)


def marker(rows) -> "callable":
    """Whether a cell of these table rows marks its row: in a table that also has check marks, a cross says no."""
    crosses_say_no = any(CHECK.match(cell.value) for row in rows for cell in row[1:])
    return lambda cell: bool(MARK.match(cell.value)) and not (crosses_say_no and CROSS.match(cell.value))
# The first header cell of a table whose rows are conditions, marked in each approach's column.
CONDITIONS_HEADER = re.compile(r"^\s*(?:conditions?|diseases?|disorders?|indications?|uses?|(?:approved|used)\s+"
                               r"(?:for|to\s+treat)|treats?)\b", re.IGNORECASE)

# Intensity (ICH E2A's severity), kept apart from seriousness; a condition for acting ("if it is severe") is neither.
SEVERITY = re.compile(r"\b(?P<life_threatening>life[- ]threatening)\b|\b(?P<severe>severe(?:ly)?)\b|"
                      r"\b(?P<moderate>moderate(?:ly)?)\b|\b(?P<mild>mild(?:ly)?)\b", re.IGNORECASE)
SERIOUS = re.compile(r"\bserious(?:ly)?\b", re.IGNORECASE)
NOT_SERIOUS = re.compile(r"(?:\b(?:not|less|non|never)[\s-]+(?:\w+\s+)?)$", re.IGNORECASE)
# ("call if it gets severe", "if the pain is severe": a condition; "if you have any of these rare but severe signs"
# names how severe they are)
CONDITIONAL = re.compile(r"\b(?:if|unless|whether)\b[^,;]*$", re.IGNORECASE)
DESCRIBED_SIGNS = re.compile(r"\b(?:these|the\s+following|any\s+of\s+(?:these|the))\s+"
                             r"(?:(?!(?:are|is|was|were|gets?|get|becomes?|feels?|seems?)\b)[\w-]+\s+){0,3}$",
                             re.IGNORECASE)

# What to do: emergency care (999, 911, A&E, the emergency room) before a doctor, nurse, pharmacist or 111.
EMERGENCY = re.compile(r"\b(?:call\s+(?:999|911|112|000|triple\s+zero|an\s+ambulance|emergency\s+services)|"
                       r"dial\s+(?:999|911|112|000)|for\s+an\s+ambulance\b|"
                       r"go\s+to\s+(?:a\s*&\s*e|the\s+(?:nearest\s+)?(?:emergency|er)\b[^.;:]*)|"
                       r"(?:get|seek|need|call\s+for)\s+(?:\w+\s+)?emergency\b[^.;:,]*|"
                       r"emergency\s+(?:care|help|treatment|room|department|medical\s+(?:help|care|attention)))",
                       re.IGNORECASE)
DOCTOR = re.compile(r"\b(?:call|contact|tell|talk|speak|see|check|ask|consult|let|inform|notify|phone|report)\b"
                    r"[^.;:!?]{0,40}?"
                    r"\b(?:doctor|gp|nurse|pharmacist|prescriber|provider|care\s+team|medical\s+team|surgeon|clinic|"
                    r"health\s*care\s+(?:professional|provider|team)|specialist)s?\b(?:[’']s\s+office)?|"
                    r"\bcall\s+111\b|\bget\s+medical\s+(?:advice|help)\b|\b(?:make|book)\s+an\s+appointment\b",
                    re.IGNORECASE)
ACTION_NEGATED = re.compile(r"\b(?:do\s+not|don[’']t|no\s+need\s+to|not)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


class Found(NamedTuple):
    """What a text states (a category of the schema's vocabulary) and the words that state it."""

    value: str
    words: Span


class Rate(NamedTuple):
    lower: float | None
    upper: float | None
    words: Span


def _number(text: str) -> float:
    text = " ".join(text.lower().split())
    return float(NUMBER_WORDS[text]) if text in NUMBER_WORDS else float(text.replace(",", ""))


def frequency(span: Span | None) -> Found | None:
    if span is None:
        return None
    for found in FREQUENCY.finditer(span.value):
        before = span.value[max(0, found.start() - 12):found.start()]
        if re.search(r"\b(?:not|never|isn[’']t|aren[’']t)\s+$", before, re.IGNORECASE):
            continue
        return Found(found.lastgroup, at(span, found.start(), found.end()))
    return None


def rate(span: Span | None) -> Rate | None:
    if span is None or not any(c.isdigit() for c in span.value) and " in " not in span.value:
        return None
    for found in RATE.finditer(span.value):
        mod = " ".join((found.group("mod") or "").lower().split())
        if found.group("p1"):
            low, high = float(found.group("p1")) / 100, float(found.group("p2")) / 100
        elif found.group("p"):
            low = high = float(found.group("p")) / 100
        elif found.group("r1"):
            low, high = (_number(found.group(g)) / _number(found.group("rm")) for g in ("r1", "r2"))
        else:
            first = _number(found.group("n")) / _number(found.group("m"))
            if found.group("n2"):
                second = _number(found.group("n2")) / _number(found.group("m2"))
                low, high = min(first, second), max(first, second)
            else:
                low = high = first
        if low > 1 or high > 1:
            continue
        if mod in ("more than", "over", "at least", "greater than"):
            high = None
        elif mod in ("up to", "fewer than", "less than", "under", "at most"):
            low = None
        return Rate(_round(low), _round(high), at(span, found.start(), found.end()))
    return None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def severity(span: Span | None) -> Found | None:
    if span is None:
        return None
    for found in SEVERITY.finditer(span.value):
        if CONDITIONAL.search(span.value, max(0, found.start() - 200), found.start()) and not DESCRIBED_SIGNS.search(
                span.value, max(0, found.start() - 60), found.start()):
            continue  # "call if it is severe": a condition for acting, not the effect's intensity
        return Found(found.lastgroup, at(span, found.start(), found.end()))
    return None


def seriousness(span: Span | None) -> Found | None:
    if span is None:
        return None
    for found in SERIOUS.finditer(span.value):
        if NOT_SERIOUS.search(span.value, max(0, found.start() - 20), found.start()):
            continue
        return Found("serious", at(span, found.start(), found.end()))
    return None


def action(span: Span | None) -> Found | None:
    """The most urgent action the text states: emergency care before a doctor."""
    if span is None:
        return None
    for pattern, value in ((EMERGENCY, "seek_emergency_care"), (DOCTOR, "contact_doctor")):
        for found in pattern.finditer(span.value):
            if ACTION_NEGATED.search(span.value, max(0, found.start() - 24), found.start()):
                continue
            return Found(value, at(span, found.start(), found.end()))
    return None
