"""A pipeline that turns articles comparing two treatment approaches into a validated, tidy dataset."""


def load(out_dir="output") -> dict:
    """The dataset in ``out_dir`` as DataFrames by table name, with declared dtypes and ordered categories."""
    from pathlib import Path

    from pipeline.store.dataset import read_dataset

    return read_dataset(Path(out_dir))
