"""Pandera models of the dataset's tables (see :mod:`schemas.tables`)."""
