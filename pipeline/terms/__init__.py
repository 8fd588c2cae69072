"""Standard terms: side effects, their examples and conditions linked to ontology ids, offline (see
:mod:`pipeline.terms.link`, :mod:`pipeline.terms.ontology` and :mod:`pipeline.terms.index`)."""
