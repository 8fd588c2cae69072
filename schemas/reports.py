"""The build's own records beside the dataset: the articles a ``--keep-going`` build set aside."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pdr
from pandera.typing import Series


class Rejected(pdr.DataFrameModel):
    file: Series[str] = pdr.Field(str_length={"min_value": 1}, title="File",
                                  description="The article's file name inside the raw folder.")
    line: Series[pd.Int64Dtype] = pdr.Field(nullable=True, ge=1, title="Line",
                                            description="1-based line the reason points at; empty where the "
                                                        "reason is about the whole file.")
    reason: Series[str] = pdr.Field(str_length={"min_value": 1}, title="Reason",
                                    description="Why the article was set aside: the error a strict build "
                                                "would have stopped on.")

    class Config:
        strict = True
        title = "Rejected articles"
        description = ("Articles that a `--keep-going` build could not read, parse or validate, and left out "
                       "of every other table.")
        unique = ["file"]
