"""What the pipeline keeps on disk: the output folders it owns, their locks, and its caches."""
