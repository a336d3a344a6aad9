"""nlp: zhaoshang's text steps (normalise, segment, entities, leads)."""
