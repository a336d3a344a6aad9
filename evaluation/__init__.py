"""Evaluation: gold judgments and scorers that measure the extraction and search steps."""
