"""Page furniture, recognised by its structure and its words, never by a site's name: breadcrumb trails,
bylines and review credits, dates, share and print lines, image credits and captions, tables of contents,
adverts, newsletter and promotion boxes, related links. Each rule reads one line (or one short block) and says
what kind of furniture it is, if any."""

from __future__ import annotations

import functools
import re

# A trail of short parts joined by one of these: "Home › Health A to Z › Medicines".
# (A run of spaces is entered only at its start and never given back: linear in a run of any length.)
BREADCRUMB_SEPARATOR = re.compile(r"(?<!\s)\s++[›»>/|→]\s+|(?<!\s)\s*+[›»→]\s*")
BYLINE = re.compile(r"(?:by\s+\S|written\s+by\b|how\s+we\s+(?:reviewed|wrote|checked)\s+this\b|"
                    r"(?:medically\s+|peer\s+|clinically\s+)?reviewed\s+by\b|"
                    r"medically\s+reviewed\b|fact[- ]?checked\b|authors?:|(?:authored|contributed|edited)\s+by\b|"
                    r"(?:medical|clinical|expert)\s+review(?:ers?)?:|(?:developed|prepared|compiled)\s+by\b|"
                    r"this\s+(?:article|page|leaflet|information)\s+was\s+(?:created|written|prepared|reviewed)\s+by\b|"
                    r"meets\s+\S+\s+editorial\s+(?:guidelines|standards|policy))", re.IGNORECASE)
CREDIT = re.compile(r"(?:\bdisclaimer\s*$|©|\bcopyright\b|\ball rights reserved\b)", re.IGNORECASE)
DATE_WORDS = re.compile(r"(?:(?:page\s+)?last\s+(?:medically\s+)?(?:updated|reviewed|revised|modified|checked)|"
                        r"version\s+(?=\d)|"
                        r"updated(?:\s+on)?|published"
                        r"(?:\s+on)?|posted(?:\s+on)?|reviewed\s+on|(?:reviewed|revised)\s*/\s*(?:reviewed|revised)|next\s+review\s+due|current\s+version|date)\b[:\s-]*",
                        re.IGNORECASE)
# "Portions of this document last updated: 1 March 2025": the words of a date further into a short line.
LAST_CHANGED = re.compile(r"\b(?:last\s+(?:medically\s+)?(?:updated|reviewed|revised|modified|checked)|(?:was|were)\s+"
                          r"published\s+(?:in|on)|current\s+as\s+of)\b[:\s-]*", re.IGNORECASE)
# A date in words: "Nov. 14, 2024", "14 November 2024" (matched without regard to case).
_MONTH_DATE = (r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|"
               r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4})")
# A line that is a date and nothing else: "Nov. 14, 2024", "14 November 2024", "2024-11-14".
DATE_ONLY = re.compile(rf"^(?:{_MONTH_DATE}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{4}})\.?$", re.IGNORECASE)
DATE_VALUE = re.compile(r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
PAGE_OF = re.compile(r"\bpage\s+\d+\s+(?:of|/)\s+\d+\b", re.IGNORECASE)
SHARING_NOTE = re.compile(r"\bto\s+use\s+the\s+shar(?:e|ing)\s+(?:features|buttons|tools)\b|"
                          r"^download\b.*\(pdf\b", re.IGNORECASE)
# A line that is a person's name and their credentials, standing alone (under a quotation): "Ana Ruiz, MD".
CREDENTIALED = re.compile(r"^[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3},\s+(?:MD|DO|DPT|PT|PhD|RN|NP|PA-C|PharmD|MPH|"
                          r"FAAFP|FACP|MBBS|MRCGP|FRCP|DNP|MSN|BSN|CNM)(?:,\s+[A-Z][A-Za-z-]{1,7})*\.?$")
# A date opening a line, then who wrote it: "Mar 12, 2024 Alpha Health Staff".
DATED_BYLINE = re.compile(rf"^(?i:{_MONTH_DATE})\s+(?:[Bb]y\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){{0,4}}$")
# The line under a quotation that says whose it is: "– Sam, who takes it".
ATTRIBUTION = re.compile(r"^[–—-]\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?,\s+(?:who|aged|\d)")
SHARE_WORDS = frozenset("share shares tweet email e-mail print save facebook x twitter pinterest linkedin whatsapp "
                        "copy link pin reddit bookmark listen on via to this page article leaflet".split())
SHARE_FILLER = frozenset("on via to this page article leaflet".split())
IMAGE_CREDIT = re.compile(r"\((?:image|photo|illustration|picture)s?(?:\s+credit)?:[^)]*\)\s*$|"
                          r"^(?:image\s+content\b|view\s+image\b)|"
                          r"^(?:image|photo|illustration|picture)s?(?:\s+credits?)?\s*:|^fig(?:ure|\.)\s*\d+\s*:|"
                          r"\b(?:getty\s+images|istock(?:photo)?|shutterstock|alamy|adobe\s+stock)\b", re.IGNORECASE)
ADVERT = re.compile(r"(?:advertisement|advertising|sponsored(?:\s+content)?|ad)\s*$", re.IGNORECASE)
PROMO = re.compile(r"\b(?:newsletter|subscribe|in\s+your\s+inbox|to\s+your\s+inbox|coupons?|free\s+discounts?|"
                   r"compare\s+prices|sign\s+up\s+(?:for|to)\s+(?:our|the|free)|continue\s+reading\s+below|"
                   r"book\s+an\s+appointment\b.*\btoday|sent\s+to\s+your\s+(?:phone|inbox|email)|"
                   r"was\s+this\s+(?:page|article|information)\s+(?:helpful|useful)|advertising\s+on\s+our\s+site|"
                   r"does\s+not\s+endorse|"
                   r"do\s+not\s+endorse|products\s+(?:&|and)\s+services|sign[- ]?up\s*$|sign\s+me\s+up|"
                   r"call\s+(?:us|our\s+\w+)(?:\s+for\s+free|\s+free)?\s+on\s+\+?\d+|give\s+(?:us\s+)?feedback|"
                   r"rate\s+this\s+(?:page|article)|donate\s+(?:now|today|here|online|monthly)|your\s+gift\s+(?:supports|helps)|"
                   r"make\s+a\s+(?:gift|donation)|need\s+a\s+(?:doctor|specialist)\?|"
                   r"find\s+an?\s+(?:[\w-]+\s+){0,2}(?:doctor|specialist|provider|clinic|location)\s+(?:at|near)\b)\b",
                   re.IGNORECASE)
RELATED = re.compile(r"(?:browse\s|read\s*:\s|related(?:\s+(?:articles?|stories|content|topics|reading|links|"
                     r"medical\s+questions|"
                     r"information|conditions))?|read\s+(?:this\s+)?(?:more|next)|see\s+also|"
                     r"you\s+(?:may|might)\s+also\s+(?:like|enjoy|be\s+interested\s+in)|"
                     r"more\s+on\s+this\s+topic|learn\s+more\s+about|more\s+from|resources\s+(?:we\s+trust|and\s+"
                     r"references)|further\s+reading|(?:useful|helpful)\s+(?:links|resources))\b", re.IGNORECASE)
# The title of a box of links to the rest of a topic: "More in Alpha care".
MORE_IN = re.compile(r"more\s+(?:in|about)\s+\S[^.?!]*$", re.IGNORECASE)
# A byline that names nobody on its line: the name is the line below ("Written by", then the team's name).
BYLINE_ALONE = re.compile(r"(?:(?:written|reviewed|medically\s+reviewed|edited|authored)\s+by|authors?)\s*:?$",
                          re.IGNORECASE)
TOC = re.compile(r"(?:in\s+this\s+(?:article|section|page)|table\s+of\s+contents|contents|on\s+this\s+page|"
                 r"jump\s+to|article\s+contents|sections)\s*:?\s*$", re.IGNORECASE)
ABOUT_BOX = re.compile(r"about\s+\S", re.IGNORECASE)
# The heading of a box of credits: "Content Partner", "Acknowledgements", "Produced by".
CREDITS_BOX = re.compile(r"(?:content\s+partners?|acknowledge?ments?|produced\s+(?:by|with)|credits?)\s*:?$",
                         re.IGNORECASE)
ABOUT_THE_WRITER = re.compile(r"about\s+(?:the\s+|our\s+|this\s+)?(?:authors?|writers?|reviewers?|contributors?|"
                              r"experts?)\s*:?$", re.IGNORECASE)
MAX_FURNITURE_WORDS = 30
MAX_DATE_WORDS = 14  # ("This information was published in March 2024. We will revise it in 2027.")
SECTION_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+")


def words(text: str) -> list[str]:
    return text.split()


def breadcrumb(text: str) -> bool:
    """A trail: three or more short parts, or two when the first is a "Home"."""
    parts = [part for part in BREADCRUMB_SEPARATOR.split(text.strip()) if part]
    if len(parts) < 2 or any(len(part.split()) > 5 for part in parts):
        return False
    return len(parts) >= 3 or parts[0].lower() == "home"


def share(text: str) -> bool:
    tokens = [token.strip(":·|•,").lower() for token in re.split(r"[\s·|•,]+", text.strip())]
    tokens = [token for token in tokens if token]
    return bool(tokens) and all(token in SHARE_WORDS for token in tokens) and not all(
        token in SHARE_FILLER for token in tokens)  # ("On this page" shares nothing)


@functools.lru_cache(maxsize=8192)
def line_kind(text: str) -> str | None:
    """The kind of furniture a line (or a short paragraph) is, or None."""
    value = text.strip()
    if not value or len(words(value)) > MAX_FURNITURE_WORDS:
        return None
    if share(value) or SHARING_NOTE.search(value):
        return "share"
    if ATTRIBUTION.match(value) and len(words(value)) <= 12:
        return "byline"
    if CREDITS_BOX.match(value) and len(words(value)) <= 3:
        return "byline"  # ("Credits" standing alone over the lines of credits)
    if ADVERT.match(value):
        return "promo"
    if PAGE_OF.search(value) and DATE_VALUE.search(PAGE_OF.sub("", value)) and len(words(value)) <= 20:
        return "date"  # a printed page's running footer: "Alpha guide | Version 2 | May 2024 | Page 1 of 4"
    if breadcrumb(value):
        return "breadcrumb"
    date = DATE_WORDS.match(value)
    dated = bool(date and DATE_VALUE.search(value, date.end()))
    if not dated and (later := LAST_CHANGED.search(value)):
        dated = bool(DATE_VALUE.match(value, later.end()))
    if dated and len(words(value)) <= MAX_DATE_WORDS and not BYLINE.match(value):
        return "date"
    if BYLINE.match(value) and len(words(value)) <= 25:
        return "byline"
    if IMAGE_CREDIT.match(value) and len(words(value)) <= 25:
        return "image"  # ("Image: © A Photographer/An Agency": the image's credit, not the page's)
    if CREDIT.search(value) and len(words(value)) <= 15:
        return "byline"
    if DATE_ONLY.match(value) or DATED_BYLINE.match(value):
        return "date"
    if CREDENTIALED.match(value):
        return "byline"
    date = DATE_WORDS.match(value)
    if date and DATE_VALUE.search(value, date.end()) and len(words(value)) <= 12:
        return "date"
    if IMAGE_CREDIT.search(value) and len(words(value)) <= 25:
        return "image"
    if PROMO.search(value):
        return "promo"
    if RELATED.match(value) and (len(words(value)) <= 12 or value.lower().startswith(("read more", "related"))):
        return "related"
    return None


@functools.lru_cache(maxsize=8192)
def heads_a_box(text: str) -> str | None:
    """The kind of furniture a box of lines is when this is its first line: related links, a table of
    contents, an "About ..." box, a box of credits; or None."""
    value = text.strip().rstrip(":")
    if TOC.match(value) or TOC.match(text.strip()):
        return "toc"
    if (RELATED.match(value) or MORE_IN.match(value)) and len(words(value)) <= 6:
        return "related"
    if ABOUT_BOX.match(value) and len(words(value)) <= 5 and not value.endswith((".", "?")):
        return "promo"
    if CREDITS_BOX.match(value):
        return "byline"
    return None


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """A heading or an entry of a table of contents, compared without case, punctuation, spacing or a section
    number before it ("1. What X is" is the entry "What X is")."""
    return re.sub(r"[\W_]+", " ", SECTION_NUMBER.sub("", text.lower())).strip()


def repeats_headings(entries: list[str], headings: list[str]) -> bool:
    """Whether most of a list's entries repeat later headings: a table of contents."""
    later = {fold(heading) for heading in headings}
    if len(entries) < 2:
        return False
    hits = sum(1 for entry in entries if fold(entry) in later)
    return hits >= max(2, (len(entries) * 3 + 3) // 4)
