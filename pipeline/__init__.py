"""A pipeline that turns articles comparing two treatment approaches into a validated, tidy dataset."""
