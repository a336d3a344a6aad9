"""core: settings, schemas, errors and the store; imports nothing else of zhaoshang."""
