"""The chart: a horizontal stacked bar per therapy, its listed side effects by frequency and seriousness."""

from __future__ import annotations

import io
from collections import Counter

from PIL import Image, ImageDraw, ImageFont

from pipeline.tables import schema

CHART = "side_effects_by_therapy.png"
PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


def _label(value: str) -> str:
    return value.replace("_", " ")


CHART_MAX_BARS = 20
MAX_LABEL_CHARS = 48


def chart_counts(tables: dict) -> tuple[list[str], list[str], list[list[int]]]:
    """Therapy names, frequency · seriousness groups (in category order) and the count of each pair.

    A corpus with more than ``CHART_MAX_BARS`` therapies shows those with the most listed side effects
    (ties in the order of the therapies table).
    """


    listed = tables["therapy_side_effects"]
    therapies = tables["therapies"]
    ids = therapies["therapy_id"].tolist()
    name_of = dict(zip(ids, therapies["name"].tolist()))
    columns = schema("therapy_side_effects").columns
    groups = [(frequency, seriousness) for frequency in columns["frequency"].dtype.type.categories
              for seriousness in columns["seriousness"].dtype.type.categories]
    sizes = listed.groupby(["therapy_id", "frequency", "seriousness"], observed=True).size()
    tally = Counter({(therapy, str(frequency), str(seriousness)): int(count)
                     for (therapy, frequency, seriousness), count in sizes.items()})
    totals = Counter()
    for (therapy, _, _), count in tally.items():
        totals[therapy] += count
    order = {therapy: rank for rank, therapy in enumerate(dict.fromkeys(ids))}
    shown = sorted(totals, key=lambda therapy: (-totals[therapy], order.get(therapy, len(order))))
    shown = sorted(shown[:CHART_MAX_BARS], key=lambda therapy: order.get(therapy, len(order)))
    counts = [[tally[(therapy, *group)] for group in groups] for therapy in shown]
    used = [index for index in range(len(groups)) if any(row[index] for row in counts)]
    labels = [f"{_label(groups[i][0])} · {_label(groups[i][1])}" for i in used]
    return [name_of[t] for t in shown], labels, [[row[i] for i in used] for row in counts]


def _shortened(name: str) -> str:
    return name if len(name) <= MAX_LABEL_CHARS else name[:MAX_LABEL_CHARS - 1] + "…"


def chart_png(tables: dict) -> bytes:
    """A horizontal stacked bar per therapy: its listed side effects, split by frequency and seriousness.

    Any counts draw: a segment narrower than a pixel is drawn a pixel wide, a count is written only where
    it fits in its segment, and a long name is shortened."""
    names, groups, counts = chart_counts(tables)
    names = [_shortened(name) for name in names]
    font, small = ImageFont.load_default(size=15), ImageFont.load_default(size=13)
    title = "Side effects listed per therapy, by frequency · seriousness"
    label_width = max([int(font.getlength(name)) for name in names] + [60]) + 20
    bar, gap, top, plot_width = 28, 14, 48, 520
    legend_top = top + len(names) * (bar + gap) + 10
    width = label_width + plot_width + 40
    height = legend_top + 24 * len(groups) + 16
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((16, 14), title, fill="black", font=font)
    most = max([sum(row) for row in counts] + [1])
    scale = plot_width / most
    for row, (name, values) in enumerate(zip(names, counts)):
        y = top + row * (bar + gap)
        draw.text((label_width - 10, y + bar // 2), name, fill="black", font=font, anchor="rm")
        x = label_width
        for index, value in enumerate(values):
            if value:
                end = x + value * scale
                draw.rectangle([x, y, max(x, end - 1), y + bar], fill=PALETTE[index % len(PALETTE)])
                if small.getlength(str(value)) + 4 <= end - x:
                    draw.text(((x + end) / 2, y + bar // 2), str(value), fill="white", font=small, anchor="mm")
                x = max(end, x + 1)
        draw.text((x + 6, y + bar // 2), f"{sum(values)}", fill="black", font=small, anchor="lm")
    for index, group in enumerate(groups):
        y = legend_top + index * 24
        draw.rectangle([label_width, y, label_width + 16, y + 16], fill=PALETTE[index % len(PALETTE)])
        draw.text((label_width + 24, y + 8), group, fill="black", font=small, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
