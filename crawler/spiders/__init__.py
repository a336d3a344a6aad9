"""Spiders: one generic portal spider driven by a source config (crawler/sources/*.yaml)."""
