"""The exception tree of zhaoshang; every boundary translates these once.

    ZhaoshangError                  base of everything we raise on purpose
    ├── ConfigError                 a setting or config file is wrong
    ├── InputError                  bad input from a user, a file or an API body
    │   └── DocumentError           a document (HTML, PDF, DOCX...) cannot be read
    ├── NotFoundError               an id that does not exist
    ├── ConflictError               a concurrent edit or a state that forbids the action
    ├── StoreError                  the database failed or is not migrated
    └── ModelError                  the embedding model or an index cannot be built or loaded

The CLI prints ``error: <message>`` and exits 2 for InputError/ConfigError/NotFoundError,
1 for the rest. The API maps InputError→422, NotFoundError→404, ConflictError→409,
ConfigError/StoreError/ModelError→503.
"""

from __future__ import annotations


class ZhaoshangError(Exception):
    """Base class of all zhaoshang errors."""


class ConfigError(ZhaoshangError):
    """A setting, environment variable or configuration file is invalid."""


class InputError(ZhaoshangError):
    """Input from outside (file line, API body, CLI argument) is invalid."""


class DocumentError(InputError):
    """A fetched or uploaded document cannot be decoded or parsed."""


class NotFoundError(ZhaoshangError):
    """The requested object does not exist."""


class ConflictError(ZhaoshangError):
    """The object changed since it was read, or its state forbids the action."""


class StoreError(ZhaoshangError):
    """The store cannot be reached, migrated or written."""


class ModelError(ZhaoshangError):
    """An embedding model or index cannot be built, loaded or used."""
