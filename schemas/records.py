"""One record type per table, made from the pandera models: the column order lives in ``schemas/tables.py``
only, and every row the pipeline builds or reads names its columns.

``RECORDS[table]`` is a named tuple class whose fields are the table's columns in schema order; the names
below are the same classes, for the code that builds rows of one table (``SideEffectRow(side_effect_id=...,
name=..., ...)``).
"""

from __future__ import annotations

from collections import namedtuple

from schemas.tables import TABLES


def _record_type(name: str, model) -> type:
    columns = list(model.to_schema().columns)
    plural = model.__name__
    singular = plural[:-3] + "y" if plural.endswith("ies") else plural.removesuffix("s")
    return namedtuple(singular + "Row", columns)


RECORDS: dict[str, type] = {name: _record_type(name, model) for name, model in TABLES.items()}

DocumentRow = RECORDS["documents"]
TherapyRow = RECORDS["therapies"]
DocumentTherapyRow = RECORDS["document_therapies"]
ConditionRow = RECORDS["conditions"]
DocumentConditionRow = RECORDS["document_conditions"]
IndicationRow = RECORDS["indications"]
SideEffectRow = RECORDS["side_effects"]
DocumentSideEffectRow = RECORDS["document_side_effects"]
TherapySideEffectRow = RECORDS["therapy_side_effects"]
SideEffectExampleRow = RECORDS["side_effect_examples"]
DecisionFactorRow = RECORDS["decision_factors"]
FaqRow = RECORDS["faqs"]
SideEffectTermRow = RECORDS["side_effect_terms"]
ConditionTermRow = RECORDS["condition_terms"]
TermXrefRow = RECORDS["term_xrefs"]
OntologyRow = RECORDS["ontologies"]
