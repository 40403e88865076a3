"""What a Prior or a Stage class must be before it is registered as a component."""


def check_component_class(cls, base, register, example):
    """Raises TypeError unless `cls` subclasses `base`, and ValueError unless its `name` is a dotted
    component name; `register` and `example` name the caller and a good name in the message."""
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise TypeError(f"{register}: expected a subclass of xrecon.{base.__name__}, got {cls!r}")
    if not isinstance(cls.name, str) or "." not in cls.name:
        raise ValueError(f"{cls.__name__}.name: expected a dotted component name such as '{example}', got {cls.name!r}")
