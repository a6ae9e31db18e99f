"""The one exception of a config that cannot be used. A module of its own, importing nothing, so that the
command line can catch it without loading the settings' validation (pydantic) to answer `rasd --help`."""


class ConfigError(Exception):
    """A config file cannot be used; the message is the one line shown to the user: a `config.Told` when
    the command can say it in the reader's language (the file, the line, the key and what is wrong), else
    plain English."""


class NoSuchSource(ConfigError):
    """A source name typed on the command line (`--source`, `sources furniture NAME`) that no source of the
    config has: the reader's typing mistake, said as an error of the command ("error: no source … is named
    'Echo': did you mean 'Echo du Sais'?"), not as one of the config file, which is as it should be."""
