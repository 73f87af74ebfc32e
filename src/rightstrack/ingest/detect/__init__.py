"""Stage 4: detectors. Each module finds one kind of thing in segmented passages."""
