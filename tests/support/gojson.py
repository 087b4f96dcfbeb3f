"""Decoding JSON as Go's ``encoding/json`` does into a struct, strictly typed.

The vendor's Go SDK (smspartnerfr/SMS-API-GO) declares its answers as structs;
Go refuses a JSON string where a struct says ``int``, a fraction where it says
``int``, a number where it says ``string``, and so on. This module applies the
same rules to JSON already parsed by Python, with the structs written as
dataclasses whose fields carry their JSON names (``field(metadata=tag(...))``):

- a key matches a field by its JSON name, exactly or else ignoring case; other
  keys are ignored, as Go ignores them;
- ``null`` leaves a field at its zero value;
- ``int`` takes a JSON integer only (within 64 bits), ``str`` a JSON string,
  ``bool`` a JSON boolean, ``list[T]`` a JSON array of ``T``, ``dict[str, T]``
  (``map[string]T``) an object of ``T``, a dataclass an object; ``Any``
  (``interface{}``) takes anything, numbers as ``float``, as Go.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any, TypeVar

T = TypeVar("T")


class UnmarshalTypeError(TypeError):
    """What Go's ``json.Unmarshal`` would return: a value of the wrong JSON type."""


def unmarshal(value: Any, go_type: type[T], where: str = "") -> T:
    """``value`` (parsed JSON) decoded into ``go_type`` by Go's rules, or raise."""
    return typing.cast(T, _decode(value, go_type, where or go_type.__name__))


def _decode(value: Any, go_type: Any, where: str) -> Any:
    if go_type is Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if value is None:
        return _zero(go_type)
    origin = typing.get_origin(go_type)
    if origin is dict:  # map[string]T
        if not isinstance(value, dict):
            raise UnmarshalTypeError(f"cannot unmarshal {_kind(value)} into {where} of type map")
        item = typing.get_args(go_type)[1]
        return {k: _decode(v, item, f"{where}[{k}]") for k, v in value.items()}
    if origin is list:
        if not isinstance(value, list):
            raise UnmarshalTypeError(f"cannot unmarshal {_kind(value)} into {where} of type slice")
        (item,) = typing.get_args(go_type)
        return [_decode(v, item, f"{where}[{n}]") for n, v in enumerate(value)]
    if dataclasses.is_dataclass(go_type):
        if not isinstance(value, dict):
            raise UnmarshalTypeError(f"cannot unmarshal {_kind(value)} into {where} (struct)")
        return _struct(value, typing.cast(type, go_type), where)
    if go_type is bool:
        if not isinstance(value, bool):
            raise UnmarshalTypeError(f"cannot unmarshal {_kind(value)} into {where} of type bool")
        return value
    if go_type is int:
        if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) <= value < 2**63:
            raise UnmarshalTypeError(f"cannot unmarshal {_kind(value)} into {where} of type int")
        return value
    if go_type is str:
        if not isinstance(value, str):
            raise UnmarshalTypeError(f"cannot unmarshal {_kind(value)} into {where} of type string")
        return value
    raise AssertionError(f"no Go equivalent for {go_type!r}")


def _struct(value: dict[str, Any], go_type: type, where: str) -> Any:
    hints = typing.get_type_hints(go_type)
    decoded: dict[str, Any] = {}
    for field in dataclasses.fields(go_type):
        name = field.metadata.get("json", field.name)
        key = name if name in value else next((k for k in value if k.lower() == name.lower()), None)
        field_type = hints[field.name]
        if key is None:
            decoded[field.name] = _zero(field_type)
        else:
            decoded[field.name] = _decode(value[key], field_type, f"{where}.{field.name}")
    return go_type(**decoded)


def _zero(go_type: Any) -> Any:
    if typing.get_origin(go_type) is list:
        return []
    if dataclasses.is_dataclass(go_type):
        return None
    return {bool: False, int: 0, str: ""}.get(go_type)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return f"number {value}"
    return {str: "string", list: "array", dict: "object"}.get(type(value), type(value).__name__)


def tag(name: str) -> dict[str, str]:
    """The metadata of a struct field with the JSON name ``name`` (Go's ``json:"name"``)."""
    return {"json": name}
