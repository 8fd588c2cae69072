import sys

# pandera imports hypothesis (for synthesising data, which the pipeline never does) whenever it is
# installed: a tenth of a second of every command. Marking it absent makes pandera skip it.
sys.modules.setdefault("hypothesis", None)

from pipeline.cli import main  # noqa: E402

main()
