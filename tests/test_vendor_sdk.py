"""The vendor's Go SDK (smspartnerfr/SMS-API-GO) decodes carnet's answers unchanged.

Go is not at hand, so the SDK's types (``v1/stops.go``, ``v1/errors.go``) are
written below as dataclasses and carnet's JSON is decoded into them by Go's
rules (:mod:`support.gojson`): an ``int`` takes a JSON integer and nothing else.
The calls are made as the SDK makes them (paths, parameters, ``%d`` ids).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from support.api import Api
from support.gojson import UnmarshalTypeError, tag, unmarshal

# -- v1/stops.go ------------------------------------------------------------------


@dataclass
class DataItem:
    ID: int = field(metadata=tag("id"))
    PhoneNumber: str = field(metadata=tag("phoneNumber"))
    CreatedAt: str = field(metadata=tag("createdAt"))


@dataclass
class StopSMSResp:
    Success: bool = field(metadata=tag("success"))
    Code: int = field(metadata=tag("code"))
    NbOfData: int = field(metadata=tag("nbData"))
    Data: list[DataItem] = field(metadata=tag("data"))


# -- v1/errors.go -----------------------------------------------------------------


@dataclass
class ValidationError:
    ElementID: str = field(metadata=tag("elementId"))
    Message: str = field(metadata=tag("message"))


@dataclass
class RemoteAPIError:
    Success: bool = field(metadata=tag("success"))
    Code: int = field(metadata=tag("code"))
    Message: str = field(metadata=tag("message"))
    VError: list[ValidationError] = field(
        metadata=tag("error")
    )  # the SDK's tag; upstream's docs say "errors"


def test_the_sdks_types_are_strict_as_go_is() -> None:
    # What carnet answered before: a string id is refused by Go's decoder.
    with pytest.raises(UnmarshalTypeError):
        unmarshal({"success": True, "code": 200, "nbData": 1, "data": [{"id": "AbC"}]}, StopSMSResp)
    with pytest.raises(UnmarshalTypeError):
        unmarshal({"id": 19.5}, DataItem)
    assert unmarshal({"ID": 19, "other": [1]}, DataItem) == DataItem(19, "", "")


def test_the_stop_list_add_and_delete_as_the_sdk_calls_them(api: Api) -> None:
    # AddToStops: a JSON body with apiKey and phoneNumber, decoded into map[string]interface{}.
    added = api.client.post(
        "/v1/stop-sms/add", json={"apiKey": api.key, "phoneNumber": "0612345678"}
    )
    assert added.status_code == 200
    stop_id = added.json()["stopId"]
    assert type(stop_id) is int
    # Go reads a number held in interface{} as float64: exact below 2^53.
    m = unmarshal(added.json(), dict[str, Any])
    assert m["stopId"] == float(stop_id) and int(m["stopId"]) == stop_id
    api.client.post("/v1/stop-sms/add", json={"apiKey": api.key, "phoneNumber": "+4915123456789"})

    # ListStops: GET stop-sms/list?apiKey=...
    listed = api.client.get(f"/v1/stop-sms/list?apiKey={api.key}")
    resp = unmarshal(listed.json(), StopSMSResp)
    assert (resp.Success, resp.Code, resp.NbOfData) == (True, 200, 2)
    assert (resp.Data[0].ID, resp.Data[0].PhoneNumber) == (stop_id, "+33612345678")
    assert all(len(d.CreatedAt) == len("2015-07-20 10:19:45") for d in resp.Data)

    # DeleteFromStops(id int): GET stop-sms/delete?apiKey=...&id=%d
    deleted = api.client.get(f"/v1/stop-sms/delete?apiKey={api.key}&id={resp.Data[0].ID:d}")
    assert deleted.status_code == 200 and deleted.json() == {"success": True, "code": 200}
    again = api.client.get(f"/v1/stop-sms/delete?apiKey={api.key}&id={resp.Data[0].ID:d}")
    error = unmarshal(again.json(), RemoteAPIError)
    assert (again.status_code, error.Success, error.Code) == (404, False, 404)
    assert error.Message  # what the SDK returns as the error's text
    remaining = unmarshal(api.get("/v1/stop-sms/list").json(), StopSMSResp)
    assert [d.PhoneNumber for d in remaining.Data] == ["+4915123456789"]


def test_a_field_error_decodes_into_the_sdks_types(api: Api) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="0612", url="nope")
    assert response.status_code == 400
    body = response.json()
    error = unmarshal(body, RemoteAPIError)
    assert (error.Success, error.Code) == (False, 9)
    assert "phoneNumber" in error.Message  # the text the SDK hands its caller
    # The list itself, item by item, in the SDK's ValidationError.
    items = unmarshal(body["errors"], list[ValidationError])
    assert [i.ElementID for i in items] == ["children[phoneNumber].data", "children[url].data"]
    assert all(i.Message for i in items)
