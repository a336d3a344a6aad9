"""Entities: org, location, money, time and stage recognisers over normalised text."""
