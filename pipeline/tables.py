"""The dataset's tables as the schemas declare them: names, column order, keys and dtypes, and the
conversions between named rows, Arrow tables and DataFrames."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from schemas.tables import TABLES

# The tables an article's rows make (the others are made from these), and the entity tables made from them: one
# row per id across the corpus, from the per-article table, its id column and the label of its mentions.
ARTICLE_TABLES = ("documents", "document_therapies", "therapy_aliases", "document_conditions", "indications",
                  "document_side_effects", "therapy_side_effects", "side_effect_aliases", "side_effect_examples",
                  "decision_factors", "faqs", "mentions", "relations")
ENTITIES = {"therapies": ("document_therapies", "therapy_id", "THERAPY"),
            "conditions": ("document_conditions", "condition_id", "CONDITION"),
            "side_effects": ("document_side_effects", "side_effect_id", "SIDE_EFFECT")}


def models() -> dict:
    """Table name → pandera model, in the dataset's order."""
    return TABLES


@cache
def schema(name: str):
    return models()[name].to_schema()


def metadata(name: str) -> dict:
    return models()[name].__config__.metadata or {}


def to_frame(name: str, rows: list):
    """Named rows of a table (:mod:`schemas.records`) → a DataFrame with the declared dtypes."""
    columns = schema(name).columns
    frame = pd.DataFrame.from_records(rows, columns=list(columns), nrows=len(rows))
    return frame.astype({column: spec.dtype.type for column, spec in columns.items()})


@cache
def row_schema(name: str):
    """The Arrow schema of a table's rows as the extractor makes them: text (categories too), integers,
    fractions or booleans."""
    fields = []
    for column, spec in schema(name).columns.items():
        kind = str(spec.dtype.type).lower()
        arrow = (pa.int64() if kind == "int64" else pa.float64() if kind.startswith("float") else
                 pa.bool_() if kind == "bool" else pa.string())
        fields.append(pa.field(column, arrow))
    return pa.schema(fields)


def text_array(values, large: bool = False):
    """A column (a pandas Series or an Arrow array) as one Arrow string array, ``large_string`` if asked,
    null where a value is missing: categories decoded, any other type cast. A column of mixed values (one
    that fails its schema) is taken value by value as text, so that its other checks still run."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        array = values
    else:
        try:
            array = pa.array(values, from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            array = pa.array([None if value is None or value != value else str(value) for value in values],
                             type=pa.string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.dictionary_decode()
    wanted = pa.large_string() if large else pa.string()
    return array if array.type == wanted else array.cast(wanted)


def arrow_to_frame(name: str, table):
    """An Arrow table of :func:`row_schema` → a DataFrame with the declared dtypes, the same as
    :func:`to_frame` gives for those rows."""
    columns = schema(name).columns
    frame = table.to_pandas()
    dtypes = {column: spec.dtype.type for column, spec in columns.items()}
    for column, dtype in dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype) and column in frame:
            # The codes found by Arrow: pandas would hash every text again. A value outside the categories
            # gets code -1, a missing value, as with astype.
            codes = pc.index_in(table[column], value_set=pa.array(dtype.categories.tolist(), pa.string()))
            frame[column] = pd.Categorical.from_codes(pc.fill_null(codes, -1).to_numpy(zero_copy_only=False),
                                                      dtype=dtype)
    return frame.astype(dtypes)


def with_declared_categories(name: str, frame):
    """A table read back from Parquet, its categorical columns given the schema's categories again where
    every value is one of them (an empty or all-missing column comes back with none). A column with
    other values is left as it is, for validation to report."""
    if name not in models():
        return frame
    for column, spec in schema(name).columns.items():
        declared = spec.dtype.type
        if column not in frame or not isinstance(declared, pd.CategoricalDtype):
            continue
        values = frame[column]
        if values.dtype != declared and set(values.dropna().astype(str)) <= set(declared.categories.astype(str)):
            frame[column] = values.astype(str).where(values.notna()).astype(declared)
    return frame
